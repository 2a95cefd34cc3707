-- An application's own first migration, at Spring Boot's default location and with the version
-- Flowcast's first migration has: Flowcast's Flyway must neither see it nor collide with it.
create table host_order (id bigint primary key, customer varchar(100) not null);
