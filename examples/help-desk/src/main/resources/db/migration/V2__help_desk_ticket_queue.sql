-- The help desk's second migration: the queue a ticket's triage put it in (its classification runs on a worker).
alter table help_desk_ticket add column queue varchar(40);
