-- The help desk's own table, its first migration: the same version as Flowcast's first, in its own history.
create table help_desk_ticket (
  process_instance_id varchar(64) primary key,
  ticket varchar(100) not null,
  triaged_at timestamp not null
);
