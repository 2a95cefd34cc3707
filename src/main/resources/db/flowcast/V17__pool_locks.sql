-- One row per pool: a composition that reserves in a pool takes its row FOR UPDATE for the check
-- that its workflow still fits and the reservation, so two requests on any nodes never both book
-- the last free capacity of a pool, while requests for other pools do not wait for each other.
-- Rows are added the first time a pool is reserved in. The cluster-wide 'capacity' row of
-- flowcast_lock is no longer taken.
create table flowcast_pool_lock (
  pool varchar(64) not null primary key
);

-- Deploying a composition is looked up and done under this row, so that two requests on any nodes
-- that both find a composition missing do not both deploy it (the cluster-wide 'capacity' row did
-- this too, as a side effect, while every start held it).
insert into flowcast_lock (name) values ('deployment');
