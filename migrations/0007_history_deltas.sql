-- History grows with the change, not the document, and a save hashes only what it changed.
-- New history rows (hash_version 2) store either the full content (`data`, a keyframe) or the
-- changes from the previous revision (`delta`); any revision is rebuilt by app.revision_content.
-- Their hash covers the hashes of the sections the row changed (each section's value at any
-- revision was written by the last row that changed it, so the chain covers all of it; a keyframe
-- must agree with the rows before it). Rows written before keep their full data and the hash
-- formula of migration 0004 (hash_version 1).
-- depends: 0006_event_log

ALTER TABLE app.lecture_revisions
    ALTER COLUMN data DROP NOT NULL,
    ADD COLUMN delta jsonb,
    ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2)),
    ADD CONSTRAINT lecture_revisions_data_or_delta CHECK ((data IS NULL) <> (delta IS NULL)),
    ADD CONSTRAINT lecture_revisions_v1_has_data CHECK (hash_version = 2 OR data IS NOT NULL);
ALTER TABLE app.lecture_revisions ALTER COLUMN hash_version SET DEFAULT 2;
COMMENT ON COLUMN app.lecture_revisions.data IS
    'The full content after this revision (a keyframe), or NULL when `delta` holds the change.';
COMMENT ON COLUMN app.lecture_revisions.delta IS
    'The change from the previous revision: [{"p": [path…], "v": value}, {"p": [path…]} (removed)].';
COMMENT ON COLUMN app.lecture_revisions.hash_version IS
    '1: audit.revision_hash over the full data (migration 0004); 2: audit.revision_hash_v2 over '
    'per-section hashes.';

-- What every save carries forward, so that it reads no history and hashes only what it writes:
-- the chain head, the last keyframe, and a digest of each section of the current content (which
-- tells what a save changes without reading the stored sections). NULL until the lecture's
-- first save after this migration, which computes them (and writes a keyframe).
ALTER TABLE app.video_lectures
    ADD COLUMN section_digests bytea,
    ADD COLUMN history_hash bytea,
    ADD COLUMN keyframe_revision integer;
COMMENT ON COLUMN app.video_lectures.section_digests IS
    'The first 16 bytes of audit.section_hash of each section of the current content, in the '
    'order of app.lecture_sections() (16 bytes a section): what a save compares to find changes.';
COMMENT ON COLUMN app.video_lectures.history_hash IS 'The hash of the lecture''s last history row.';
COMMENT ON COLUMN app.video_lectures.keyframe_revision IS
    'The last revision whose history row stores the full content.';

-- audit.section_hash: SHA-256 (hex) of a section's canonical JSON text (jsonb output is
-- canonical: sorted keys, fixed spacing). Part of the data contract, like audit.revision_hash.
-- These two run inside every save: no SET search_path and STABLE like their bodies (convert_to,
-- jsonb_build_object), so that PostgreSQL can inline them. They call only pg_catalog functions;
-- the functions that call them pin the search path. Their results never change all the same.
CREATE FUNCTION audit.section_hash(p_value jsonb)
RETURNS text
LANGUAGE sql
STABLE
STRICT
AS $$
    SELECT encode(sha256(convert_to(p_value::text, 'UTF8')), 'hex');
$$;
COMMENT ON FUNCTION audit.section_hash(jsonb) IS
    'The hash of one section''s value (hex): the unit a save rehashes.';

-- audit.revision_hash_v2: a history row's hash from the previous row's hash, its metadata and
-- the hashes of the sections it changed ({section: audit.section_hash}). Time is epoch
-- microseconds (zone-independent). p_merged_base: the base revision of a merged save (its
-- column arrives with migration 0008; NULL otherwise).
CREATE FUNCTION audit.revision_hash_v2(
    p_prev_hash bytea,
    p_lecture_id integer,
    p_revision integer,
    p_section_hashes jsonb,
    p_created_by text,
    p_source text,
    p_run_id text,
    p_changed_sections text[],
    p_forced boolean,
    p_restored_from integer,
    p_merged_base integer,
    p_created_at timestamptz
)
RETURNS bytea
LANGUAGE sql
STABLE
AS $$
    SELECT sha256(convert_to(
        coalesce(encode(p_prev_hash, 'hex'), '') || ':v2:' || jsonb_build_object(
            'lectureId', p_lecture_id, 'revision', p_revision, 'sections', p_section_hashes,
            'createdBy', p_created_by, 'source', p_source, 'runId', p_run_id,
            'changedSections', to_jsonb(p_changed_sections), 'forced', p_forced,
            'restoredFrom', p_restored_from, 'mergedBase', p_merged_base,
            'createdAt', (extract(epoch FROM p_created_at) * 1000000)::bigint
        )::text,
        'UTF8'));
$$;
COMMENT ON FUNCTION audit.revision_hash_v2(bytea, integer, integer, jsonb, text, text, text, text[], boolean, integer, integer, timestamptz) IS
    'The hash of a version-2 history row given the previous row''s hash and the hashes of the '
    'sections it changed: recompute it to verify the chain.';
