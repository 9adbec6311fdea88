-- Tamper evidence: every history row carries a SHA-256 hash chained to the previous row of the
-- same lecture. audit.revision_hash is the canonical formula: it is part of the data contract
-- (existing hashes depend on it), so it lives here and is never redefined by sql/.
-- Existing rows are sealed in revision order.
-- depends: 0003_one_active_run_per_lecture

ALTER TABLE app.lecture_revisions
    ADD COLUMN prev_hash bytea,
    ADD COLUMN hash bytea;

COMMENT ON COLUMN app.lecture_revisions.hash IS
    'audit.revision_hash(prev_hash, this row): SHA-256 chained per lecture (tamper evidence).';
COMMENT ON COLUMN app.lecture_revisions.prev_hash IS
    'The hash of the previous revision of the same lecture (NULL for the first).';

-- audit.revision_hash: SHA-256 over the previous hash and a canonical JSON text of the row.
-- jsonb text output is canonical (sorted keys, fixed spacing); time is in epoch microseconds,
-- so neither key order nor the session time zone changes a hash.
CREATE FUNCTION audit.revision_hash(
    p_prev_hash bytea,
    p_lecture_id integer,
    p_revision integer,
    p_data jsonb,
    p_created_by text,
    p_source text,
    p_run_id text,
    p_changed_sections text[],
    p_forced boolean,
    p_restored_from integer,
    p_created_at timestamptz
)
RETURNS bytea
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT sha256(convert_to(
        coalesce(encode(p_prev_hash, 'hex'), '') || ':' || jsonb_build_object(
            'lectureId', p_lecture_id, 'revision', p_revision, 'data', p_data,
            'createdBy', p_created_by, 'source', p_source, 'runId', p_run_id,
            'changedSections', to_jsonb(p_changed_sections), 'forced', p_forced,
            'restoredFrom', p_restored_from,
            'createdAt', (extract(epoch FROM p_created_at) * 1000000)::bigint
        )::text,
        'UTF8'));
$$;
COMMENT ON FUNCTION audit.revision_hash(bytea, integer, integer, jsonb, text, text, text, text[], boolean, integer, timestamptz) IS
    'The hash of a history row given the previous row''s hash: recompute it to verify the chain.';

-- Seal the existing history. The append-only trigger (from sql/) would refuse these updates,
-- so user triggers are off for the length of this transaction.
ALTER TABLE app.lecture_revisions DISABLE TRIGGER USER;

DO $seal$
DECLARE
    v_row record;
    v_prev bytea;
    v_lecture integer;
BEGIN
    FOR v_row IN
        SELECT r.* FROM app.lecture_revisions AS r ORDER BY r.lecture_id, r.revision
    LOOP
        IF v_lecture IS DISTINCT FROM v_row.lecture_id THEN
            v_prev := NULL;
            v_lecture := v_row.lecture_id;
        END IF;
        UPDATE app.lecture_revisions AS r
        SET prev_hash = v_prev,
            hash = audit.revision_hash(v_prev, v_row.lecture_id, v_row.revision, v_row.data,
                                       v_row.created_by, v_row.source, v_row.run_id,
                                       v_row.changed_sections, v_row.forced,
                                       v_row.restored_from, v_row.created_at)
        WHERE r.id = v_row.id
        RETURNING r.hash INTO v_prev;
    END LOOP;
END
$seal$;

ALTER TABLE app.lecture_revisions ENABLE TRIGGER USER;

ALTER TABLE app.lecture_revisions ALTER COLUMN hash SET NOT NULL;
