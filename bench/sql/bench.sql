-- Statements of the benchmarks: the baselines the engine is compared with.

-- baseline_update --
-- The least a save could do: overwrite a section and bump the revision, no checks, no history.
UPDATE app.video_lectures SET title = %(title)s, revision = revision + 1 WHERE id = %(lecture_id)s;

-- baseline_select --
-- The least a read could do: fetch the row by primary key.
SELECT * FROM app.video_lectures WHERE id = %(lecture_id)s;

-- engine_save --
-- A real save through the revision engine (lock, check, write, history with hash, notify).
SELECT status, revision FROM api.lecture_save(
    %(user_id)s, %(lecture_id)s, %(base_revision)s, %(sections)s::jsonb);

-- engine_get --
-- A real read through the api (ownership check).
SELECT * FROM api.lecture_get(%(user_id)s, %(lecture_id)s);
