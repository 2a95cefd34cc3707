-- One row per run of a step of a composed workflow: written by the engine plugin's listeners in
-- the engine's transaction. Observed durations, the adaptive component's evidence and training data.
create table flowcast_step (
  id                    varchar(36)      not null primary key,
  process_instance_id   varchar(64)      not null,
  process_definition_id varchar(255)     not null,
  step_id               varchar(255)     not null,
  component             varchar(255)     not null,
  pool                  varchar(64)      not null,
  state                 varchar(16)      not null,
  started_at            timestamp        not null,
  ended_at              timestamp,
  duration_ms           bigint,
  vcpu                  double precision not null,
  memory_mb             double precision not null,
  cost                  double precision,
  profile               varchar(2000)
);
create index flowcast_step_component on flowcast_step (component, state, ended_at);
create index flowcast_step_instance on flowcast_step (process_instance_id, state);

-- The adaptive check takes this row FOR UPDATE: one node at a time assesses running instances.
insert into flowcast_lock (name) values ('adaptive');
