-- The adaptive check and every scoring read the running steps and the recently cancelled ones:
-- by state and end, not by a scan of every step ever run.
create index flowcast_step_state on flowcast_step (state, ended_at);
