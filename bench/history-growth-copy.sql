-- Multiplies the history of the ended instances in this database :copies times (:copies - 1 copies
-- added), for bench/history-growth-http.sh: history copied, not run. Only rows of ended instances,
-- never a runtime (act_ru_*) row or an open reservation. Copy n: every id that belongs to a copied
-- instance marked with n (pg_temp.copy_id), a row's own generated key new, every timestamp moved n
-- - 1 times the original run's span back. Usage: psql -v copies=100 -f bench/history-growth-copy.sql
\set ON_ERROR_STOP on
set client_min_messages = warning;

create temporary table copy_settings as
select :copies::int as copies,
       (max(end_time_) - min(start_time_)) + interval '1 minute' as span
from act_hi_procinst where end_time_ is not null;

create temporary table copy_instance as
select id_ as id, root_proc_inst_id_ as root from act_hi_procinst where end_time_ is not null
  and root_proc_inst_id_ in (select id_ from act_hi_procinst where id_ = root_proc_inst_id_ and end_time_ is not null);
create index on copy_instance (id);
create temporary table copy_root as select distinct root as id from copy_instance;
create index on copy_root (id);

-- A copied id: the uuid it ends in (alone, or after an activity's id) with the copy's number in
-- place of its last twelve digits, the node of a time-based uuid: ffffffff and four hex digits, a
-- node no network card has. Ids keep their length (an activity instance's id fills nearly all of
-- its 64 characters), the copies refer to each other as the originals do, and no copy meets an
-- original. (A string operation: a regular expression made the copy twenty times slower.)
create function pg_temp.copy_id(id text, n int) returns text language sql immutable as $$
  select case when id like '%-____________' then left(id, -12) || 'ffffffff' || lpad(to_hex(n), 4, '0') else id end
$$;
-- Every uuid in a text (a user's action names its instance in its tags) copied as above.
create function pg_temp.copy_ids_in(text text, n int) returns text language sql immutable as $$
  select regexp_replace(text, '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}',
                        '\1ffffffff' || lpad(to_hex(n), 4, '0'), 'g')
$$;

-- Copies the rows of table t that the where clause chooses, :copies - 1 times: every column that
-- holds an instance-scoped id marked with the copy's number, a generated key left to its default,
-- every timestamp moved back.
create function pg_temp.copy_rows(t text, chosen text) returns bigint language plpgsql as $$
declare
  columns text;
  expressions text;
  copied bigint;
begin
  select string_agg(format('%I', column_name), ', ' order by ordinal_position),
         string_agg(case
           when data_type like 'timestamp%' then format('%I - (n - 1) * s.span', column_name)
           -- ids of copied instances and everything in them, the decision id a composed instance
           -- carries as its business key, the own uuid keys of Flowcast's rows, the instance a
           -- user's action names in its tags
           when column_name ~ '^(id_|id|.*inst_id_|.*instance_id_?|execution_id_|.*task_id_|bytearray_id_|job_id_|.*stack_id_|error_details_id_|.*incident_id_|operation_id_|business_key_|run_key|case_id)$'
             then format('pg_temp.copy_id(%I, n)', column_name)
           when column_name in ('tags', 'attributes') then format('pg_temp.copy_ids_in(%I, n)', column_name)
           else format('%I', column_name) end, ', ' order by ordinal_position)
    into columns, expressions
    from information_schema.columns
   where table_schema = current_schema() and table_name = t and is_identity = 'NO';
  -- the oldest copy first, each copy's rows together, as history accumulates
  execute format('insert into %I (%s) select %s from copy_settings s cross join generate_series(s.copies, 2, -1) n
                  cross join lateral (select * from %I where %s) original', t, columns, expressions, t, chosen);
  get diagnostics copied = row_count;
  return copied;
end $$;

-- The tables copied into; their indexes (but those of keys) are dropped during the copy and built
-- again after it, which is several times faster than keeping them up to date row by row.
create temporary table copy_table as
select table_name::text as t from information_schema.columns
 where table_schema = current_schema() and column_name = 'root_proc_inst_id_'
   and (table_name like 'act_hi_%' or table_name = 'act_ge_bytearray')
union select unnest(array['flowcast_step', 'flowcast_decision', 'flowcast_reservation', 'flowcast_step_run', 'flowcast_activity']);
create temporary table copy_index as
select ix.indexrelid::regclass::text as name, pg_get_indexdef(ix.indexrelid) as definition
  from pg_index ix join pg_class tab on tab.oid = ix.indrelid
 where tab.relnamespace = current_schema()::regnamespace and tab.relname in (select t from copy_table)
   and not exists (select 1 from pg_constraint c where c.conindid = ix.indexrelid);
do $$ declare ix record; begin
  for ix in select name from copy_index loop execute 'drop index ' || ix.name; end loop;
end $$;
set maintenance_work_mem = '512MB';

-- the engine's history and the byte arrays of the ended instances (exception stack traces, error
-- details, serialized variables), by the root instance every such row names
select t, pg_temp.copy_rows(t, 'root_proc_inst_id_ in (select id from copy_root)') as copied
  from copy_table where t like 'act_%' order by t;

-- Flowcast's own rows of those instances: ended steps, decisions, released reservations, step
-- runs, and the user's actions that started them
select 'flowcast_step' as t, pg_temp.copy_rows('flowcast_step',
  'ended_at is not null and process_instance_id in (select id from copy_instance)') as copied
union all select 'flowcast_decision', pg_temp.copy_rows('flowcast_decision',
  'process_instance_id in (select id from copy_instance)')
union all select 'flowcast_reservation', pg_temp.copy_rows('flowcast_reservation',
  'released_at is not null and process_instance_id in (select id from copy_instance)')
union all select 'flowcast_step_run', pg_temp.copy_rows('flowcast_step_run',
  'completed_at is not null and instance_id in (select id from copy_instance)')
union all select 'flowcast_activity', pg_temp.copy_rows('flowcast_activity',
  'tags like ''{%'' and tags::json->>''processInstanceId'' in (select id from copy_instance)');

do $$ declare ix record; begin
  for ix in select definition from copy_index loop execute ix.definition; end loop;
end $$;
