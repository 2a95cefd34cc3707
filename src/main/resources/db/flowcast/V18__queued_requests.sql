-- One row per request waiting in the flowcast-queue process (the queue instance's id), added in the
-- transaction that queues it and removed in the one that ends its queue instance, whatever ends it
-- (started, expired, rejected, deleted, cancelled): the engine's built-in listeners of the queue
-- process keep it. A queued request's turn is ranked by the deadlines before its own, an index range
-- count here instead of a count over the engine's instances joined with their variables. Requests
-- queued before this table existed are added when the application starts (queued_at is then null).
create table flowcast_queued_request (
  process_instance_id varchar(64)  not null primary key,
  deadline            timestamp    not null,
  queued_at           timestamp,
  intent              varchar(255),
  user_id             varchar(255)
);
create index flowcast_queued_request_deadline on flowcast_queued_request (deadline, process_instance_id);
