-- Every step's start and end updated four indexes of flowcast_step; no query reads this one since
-- V12 added the same columns with ended_at descending (which PostgreSQL and H2 both use for the
-- component's latest runs). One index fewer to keep on every step the plugin measures.
drop index if exists flowcast_step_component;
