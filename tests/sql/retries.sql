-- The retry policy's limit in SQL (app.write_attempts), lowered or exhausted on purpose.

-- write_attempts --
-- How many times app.lecture_write decides and writes before it gives up.
SELECT app.write_attempts();

-- write_attempts_one --
-- This test database's lecture writes get one attempt: a single lost race exhausts them.
CREATE OR REPLACE FUNCTION app.write_attempts() RETURNS integer LANGUAGE sql IMMUTABLE
AS 'SELECT 1';

-- lecture_writes_lose_create --
-- A trigger function that makes a lecture's row update find nothing, as if another writer had
-- moved the revision first, and says so with a notice (counted by the test).
CREATE FUNCTION app.test_lecture_write_loses() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE NOTICE 'lost';
    RETURN NULL;
END
$$;

-- lecture_writes_lose --
-- Every later update of the lecture rows loses (lecture_writes_lose_create first).
CREATE TRIGGER test_lecture_write_loses BEFORE UPDATE ON app.video_lectures
    FOR EACH ROW EXECUTE FUNCTION app.test_lecture_write_loses();

-- first_lecture_writes_lose --
-- The next app.write_attempts() row updates that write a lecture revision lose, then writes
-- succeed again: one call of app.lecture_write loses every race it may retry (counted by a
-- sequence, which a rolled-back transaction does not reset).
CREATE SEQUENCE app.test_lost_writes;
GRANT USAGE ON SEQUENCE app.test_lost_writes TO tutopanda_owner;
CREATE FUNCTION app.test_first_writes_lose() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF nextval('app.test_lost_writes') <= app.write_attempts() THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER test_first_writes_lose BEFORE UPDATE ON app.video_lectures
    FOR EACH ROW WHEN (NEW.revision > OLD.revision)
    EXECUTE FUNCTION app.test_first_writes_lose();
