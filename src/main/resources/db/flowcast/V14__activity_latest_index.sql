-- A user's latest actions, which the intent model predicts from on every composition, were read
-- along (user_id, occurred_at) ascending. H2 does not read an ascending index backwards, so it
-- read every action the user had ever taken and sorted them: a cost that grew with the history.
-- Descending, and ordered by every column of the index, H2 reads the newest rows and stops;
-- PostgreSQL reads it either way. No other query reads the ascending one.
create index flowcast_activity_user_latest on flowcast_activity (user_id, occurred_at desc, id desc);
drop index if exists flowcast_activity_user_time;
