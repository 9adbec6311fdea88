-- The bare baseline save (bare_save.sql) plus one pg_notify in its transaction: with
-- bare_save.sql, the cost of a notifying commit on this server, whatever the product does.
\if :lecture = 0
SELECT lecture, revision, payload_a, payload_b FROM bench.slot(:set, :client_id) \gset
\endif
\if :revision % 2 = 0
WITH sent AS MATERIALIZED (SELECT :payload_a::jsonb AS sections), saved AS (
    UPDATE app.video_lectures AS l
    SET title = s.sections ->> 'title', timeline = s.sections -> 'timeline',
        revision = l.revision + 1, updated_at = now()
    FROM sent AS s
    WHERE l.id = :lecture AND l.revision = :revision
    RETURNING l.id, l.revision, l.updated_at
), history AS (
    INSERT INTO app.lecture_revisions
        (lecture_id, revision, data, created_by, source, changed_sections, created_at, hash)
    SELECT v.id, v.revision, s.sections, 'bench', 'app', '{timeline,title}', v.updated_at,
           ''::bytea
    FROM saved AS v, sent AS s
), notified AS (
    SELECT pg_notify('tutopanda_bench', jsonb_build_object(
        'type', 'lecture.revision', 'lectureId', v.id, 'revision', v.revision,
        'source', 'app')::text) FROM saved AS v
)
SELECT v.revision FROM saved AS v, notified AS n \gset
\else
WITH sent AS MATERIALIZED (SELECT :payload_b::jsonb AS sections), saved AS (
    UPDATE app.video_lectures AS l
    SET title = s.sections ->> 'title', timeline = s.sections -> 'timeline',
        revision = l.revision + 1, updated_at = now()
    FROM sent AS s
    WHERE l.id = :lecture AND l.revision = :revision
    RETURNING l.id, l.revision, l.updated_at
), history AS (
    INSERT INTO app.lecture_revisions
        (lecture_id, revision, data, created_by, source, changed_sections, created_at, hash)
    SELECT v.id, v.revision, s.sections, 'bench', 'app', '{timeline,title}', v.updated_at,
           ''::bytea
    FROM saved AS v, sent AS s
), notified AS (
    SELECT pg_notify('tutopanda_bench', jsonb_build_object(
        'type', 'lecture.revision', 'lectureId', v.id, 'revision', v.revision,
        'source', 'app')::text) FROM saved AS v
)
SELECT v.revision FROM saved AS v, notified AS n \gset
\endif
