-- The baseline of the product's save: the same job with the same payload, bare. As the owner:
-- UPDATE … WHERE id AND revision = base, then the history INSERT of the same content, in one
-- statement (one round trip, like the product's one call). No ownership join, no section
-- checks, no change detection, no hash (an empty one), no notification.
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
)
SELECT v.revision FROM saved AS v \gset
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
)
SELECT v.revision FROM saved AS v \gset
\endif
