-- A migration of a Flowcast newer than the one under test (the newer-schema test applies it).
create table flowcast_from_the_future (id bigint primary key);
