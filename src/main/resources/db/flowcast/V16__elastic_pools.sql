-- Elastic pools. An operator's run-time override of a pool carries its elasticity too (null
-- columns: the override is a fixed pool). Durations in milliseconds.
alter table flowcast_pool_override add column unit_vcpu double precision;
alter table flowcast_pool_override add column unit_memory_mb double precision;
alter table flowcast_pool_override add column unit_network_mbps double precision;
alter table flowcast_pool_override add column unit_disk_iops double precision;
alter table flowcast_pool_override add column min_units integer;
alter table flowcast_pool_override add column max_units integer;
alter table flowcast_pool_override add column lead_time_ms bigint;
alter table flowcast_pool_override add column lead_time_jitter_ms bigint;
alter table flowcast_pool_override add column billing_minimum_ms bigint;
alter table flowcast_pool_override add column scale_in_delay_ms bigint;
alter table flowcast_pool_override add column refusal_rate double precision;
alter table flowcast_pool_override add column interruption_notice_ms bigint;

-- The capacity planner runs on one node of a cluster at a time: the node that holds this lease
-- (taken when it has expired, renewed by its holder at every tick).
create table flowcast_capacity_lease (
  name      varchar(64)  not null primary key,
  holder    varchar(200) not null,
  until     timestamp    not null
);
insert into flowcast_capacity_lease (name, holder, until) values ('planner', 'nobody', timestamp '1970-01-01 00:00:00');

-- The latest size the planner wants per pool, so that every node reports the same (the KEDA
-- metrics endpoint, the gauges).
create table flowcast_pool_target (
  pool          varchar(64)  not null primary key,
  desired_units integer      not null,
  planner       varchar(64)  not null,
  decided_at    timestamp    not null
);
