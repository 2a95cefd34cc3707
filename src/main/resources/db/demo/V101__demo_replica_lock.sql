-- One row per demo resource that concurrent components must take turns on: restore rebuilds the
-- whole replica and replication appends to it, so each takes this row's lock first (a short wait
-- behind the other, instead of failing on each other's rows).
create table demo_lock (
  name varchar(64) not null primary key
);

insert into demo_lock (name) values ('replica');
