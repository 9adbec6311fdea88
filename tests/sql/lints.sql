-- Deliberately careless objects that the catalog lints must catch.

-- careless_function_create --
-- SECURITY DEFINER, no pinned search_path, no comment, executable by PUBLIC.
CREATE FUNCTION api.careless() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';

-- careless_invoker_create --
-- An api function that runs with the caller's rights.
CREATE FUNCTION api.lazy() RETURNS int LANGUAGE sql SET search_path = pg_catalog AS 'SELECT 1';

-- careless_table_create --
-- A foreign key with no index.
CREATE TABLE app.careless (id int PRIMARY KEY, lecture_id int REFERENCES app.video_lectures (id));

-- careless_table_index --
-- The index that satisfies the lint (foreign key columns leading).
CREATE INDEX careless_lecture_idx ON app.careless (lecture_id, id);
