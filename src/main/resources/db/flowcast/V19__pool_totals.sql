-- A running total of the open reservations per pool, on the pool's lock row, so that the check made
-- under a pool's lock reads one row instead of summing every open reservation in the pool (decision
-- 0036). Amounts are counted in millionths of their unit, as integers: totals that are added to and
-- subtracted from for years stay exact, where sums of doubles drift.
--
-- A reservation row carries the amounts it counts in its pool's total. A reservation adds them to the
-- total in its own transaction. A release does not touch the pool's row (it never waits for a
-- composition that holds the pool): it marks its rows release_pending, and the next caller that holds
-- the pool subtracts the pending rows from the total and clears the mark. What a pool holds is its
-- total less its pending rows.
alter table flowcast_reservation add column vcpu_micro bigint;
alter table flowcast_reservation add column memory_mb_micro bigint;
alter table flowcast_reservation add column network_mbps_micro bigint;
alter table flowcast_reservation add column disk_iops_micro bigint;
alter table flowcast_reservation add column release_pending smallint;
update flowcast_reservation set
  vcpu_micro = cast(round(vcpu * 1000000) as bigint),
  memory_mb_micro = cast(round(memory_mb * 1000000) as bigint),
  network_mbps_micro = cast(round(network_mbps * 1000000) as bigint),
  disk_iops_micro = cast(round(disk_iops * 1000000) as bigint);
alter table flowcast_reservation alter column vcpu_micro set not null;
alter table flowcast_reservation alter column memory_mb_micro set not null;
alter table flowcast_reservation alter column network_mbps_micro set not null;
alter table flowcast_reservation alter column disk_iops_micro set not null;
-- the rows a holder of the pool still has to subtract, found without reading the open ones
create index flowcast_reservation_release_pending on flowcast_reservation (release_pending, pool);

alter table flowcast_pool_lock add column held_vcpu_micro bigint default 0 not null;
alter table flowcast_pool_lock add column held_memory_mb_micro bigint default 0 not null;
alter table flowcast_pool_lock add column held_network_mbps_micro bigint default 0 not null;
alter table flowcast_pool_lock add column held_disk_iops_micro bigint default 0 not null;
insert into flowcast_pool_lock (pool)
  select distinct r.pool from flowcast_reservation r
  where r.released_at is null and not exists (select 1 from flowcast_pool_lock l where l.pool = r.pool);
update flowcast_pool_lock set
  held_vcpu_micro = coalesce((select sum(r.vcpu_micro) from flowcast_reservation r
    where r.pool = flowcast_pool_lock.pool and r.released_at is null), 0),
  held_memory_mb_micro = coalesce((select sum(r.memory_mb_micro) from flowcast_reservation r
    where r.pool = flowcast_pool_lock.pool and r.released_at is null), 0),
  held_network_mbps_micro = coalesce((select sum(r.network_mbps_micro) from flowcast_reservation r
    where r.pool = flowcast_pool_lock.pool and r.released_at is null), 0),
  held_disk_iops_micro = coalesce((select sum(r.disk_iops_micro) from flowcast_reservation r
    where r.pool = flowcast_pool_lock.pool and r.released_at is null), 0);
