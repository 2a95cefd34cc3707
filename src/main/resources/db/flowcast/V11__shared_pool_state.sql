-- Pool state every node of a cluster must share: operators' run-time overrides of a pool, and
-- interruption notices. Each node reads them within one check interval.
create table flowcast_pool_override (
  pool                       varchar(64)      not null primary key,
  vcpu                       double precision not null,
  memory_mb                  double precision not null,
  network_mbps               double precision not null,
  disk_iops                  double precision not null,
  price_per_vcpu_hour        double precision not null,
  price_per_gb_hour          double precision not null,
  interruption_rate_per_hour double precision not null,
  set_at                     timestamp        not null
);

create table flowcast_interruption (
  pool      varchar(64)   not null primary key,
  raised_at timestamp     not null,
  until     timestamp     not null,
  reason    varchar(2000) not null
);
