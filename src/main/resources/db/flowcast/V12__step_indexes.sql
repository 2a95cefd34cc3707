-- Scoring reads each component's latest runs, newest first; the adaptive check reads the running
-- steps and the recently cancelled ones. Both along an index, whatever the number of steps ever
-- run (H2 does not read an ascending index backwards: the latest runs need one that is descending).
create index flowcast_step_latest on flowcast_step (component, state, ended_at desc);
create index flowcast_step_state on flowcast_step (state, ended_at);
