-- Named queries of the lecture aggregate (content and history).

-- lecture_get --
-- A lecture of a user as JSON text (PT404 when missing or not theirs).
SELECT api.lecture_get(%(user_id)s::text, %(lecture_id)s::integer)::text AS lecture;

-- lecture_get_wire --
-- A lecture of a user as the HTTP API sends it (JSON text) and its revision (PT404 as above).
SELECT * FROM api.lecture_get_wire(%(user_id)s::text, %(lecture_id)s::integer);

-- lecture_save --
-- Save sections on a base revision: saved, or conflict with the latest snapshot.
SELECT * FROM api.lecture_save(
    %(user_id)s::text, %(lecture_id)s::integer, %(base_revision)s::integer,
    %(sections)s::jsonb, p_merge => %(merge)s::boolean, p_force => %(force)s::boolean);

-- lecture_save_merged --
-- Write a three-way merge of a draft onto exactly one revision; resolve the draft.
SELECT * FROM api.lecture_save_merged(
    %(user_id)s::text, %(lecture_id)s::integer, %(base_revision)s::integer,
    %(onto_revision)s::integer, %(sections)s::jsonb, %(draft_id)s::bigint,
    %(resolution)s::text);

-- lecture_history_list --
-- History rows of a lecture, newest first, paged by revision.
SELECT * FROM api.lecture_history_list(
    %(user_id)s::text, %(lecture_id)s::integer, %(limit)s::integer,
    %(before_revision)s::integer);

-- lecture_revision_get --
-- One history row with its snapshot.
SELECT * FROM api.lecture_revision_get(
    %(user_id)s::text, %(lecture_id)s::integer, %(revision)s::integer);

-- lecture_restore --
-- Restore an old revision as a new one (saved or conflict).
SELECT * FROM api.lecture_restore(
    %(user_id)s::text, %(lecture_id)s::integer, %(revision)s::integer,
    %(base_revision)s::integer, p_force => %(force)s::boolean);

-- lecture_drafts --
-- The unresolved conflict drafts of a user on a lecture.
SELECT * FROM api.lecture_drafts(%(user_id)s::text, %(lecture_id)s::integer);

-- lecture_draft_get --
-- One unresolved draft with the content of its base revision.
SELECT * FROM api.lecture_draft_get(
    %(user_id)s::text, %(lecture_id)s::integer, %(draft_id)s::bigint);

-- lecture_draft_discard --
-- Discard an unresolved draft.
SELECT api.lecture_draft_discard(
    %(user_id)s::text, %(lecture_id)s::integer, %(draft_id)s::bigint);

-- drafts_prune --
-- Delete drafts resolved before a time; returns how many.
SELECT api.drafts_prune(%(resolved_before)s::timestamptz) AS pruned;
