-- External-task workers: each registers with its pool and slots and sends heartbeats; a worker
-- whose heartbeat is older than the staleness limit no longer counts as capacity.
create table flowcast_worker (
  id             varchar(128) not null primary key,
  pool           varchar(64)  not null,
  slots          integer      not null,
  slots_in_use   integer      not null,
  host           varchar(255),
  registered_at  timestamp    not null,
  last_heartbeat timestamp    not null,
  completed      bigint       not null,
  cancelled      bigint       not null,
  stopped_at     timestamp
);
create index flowcast_worker_pool on flowcast_worker (pool, stopped_at);

-- One row per step run done by a worker (the run's key is its external task's id, which survives
-- the expiry of a lock and is new when a step is restarted elsewhere): the first claim does the
-- work and keeps its result; any later claim (another worker after a crash) gets that result
-- back instead of doing the work again. The worker that completed the run is recorded.
create table flowcast_step_run (
  run_key           varchar(64)   not null primary key,
  component         varchar(64)   not null,
  pool              varchar(64)   not null,
  instance_id       varchar(64),
  step_id           varchar(255),
  component_instance_id varchar(64) not null,
  first_worker      varchar(128)  not null,
  claims            integer       not null,
  result            varchar(20000),
  claimed_at        timestamp     not null,
  completed_by      varchar(128),
  completed_at      timestamp
);
create index flowcast_step_run_instance on flowcast_step_run (instance_id);
