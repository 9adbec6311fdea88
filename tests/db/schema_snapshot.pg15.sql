-- GENERATED FILE, do not edit: normalised `pg_dump --schema-only` of schemas app, api
-- and audit after `tutopanda db migrate`, on the PostgreSQL major version in the file
-- name. Refresh with `make schema-snapshot`.

CREATE SCHEMA api;

ALTER SCHEMA api OWNER TO tutopanda_owner;

COMMENT ON SCHEMA api IS 'Functions the runtime role calls (re-created from sql/ by every migrate).';

CREATE SCHEMA app;

ALTER SCHEMA app OWNER TO tutopanda_owner;

COMMENT ON SCHEMA app IS 'Private tables of the lecture store; reached only through api.* functions.';

CREATE SCHEMA audit;

ALTER SCHEMA audit OWNER TO tutopanda_owner;

COMMENT ON SCHEMA audit IS 'Read-only views for auditors (re-created from sql/ by every migrate).';

CREATE TYPE api.lecture_save_result AS (
	status text,
	revision integer,
	updated_at timestamp with time zone,
	changed_sections text[],
	lecture jsonb,
	draft_id bigint,
	base jsonb
);

ALTER TYPE api.lecture_save_result OWNER TO tutopanda_owner;

COMMENT ON TYPE api.lecture_save_result IS 'What a write of lecture content answers: saved (revision, changed sections) or conflict (nothing written; the latest snapshot, the draft kept and, for a merge, the base content). Python reads it as SaveResult (tutopanda/models/lecture.py).';

CREATE FUNCTION api.asset_regenerate(p_user_id text, p_lecture_id integer, p_asset_kind text, p_asset_id text, p_kind text, p_review_seconds integer, p_max_active_runs integer, p_context jsonb DEFAULT '{}'::jsonb) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_section text := app.asset_section(p_asset_kind);
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_lock => true);
    IF v_section IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('%s is not an asset kind (image, narration, music, video)',
                             p_asset_kind);
    ELSIF p_review_seconds IS NULL OR p_review_seconds NOT BETWEEN 1 AND 7 * 86400 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'the review time is 1 second to 7 days';
    ELSIF app.lecture_asset(app.lecture_content(l), v_section, p_asset_id) IS NULL
          FROM app.video_lectures AS l WHERE l.id = p_lecture_id THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no %s asset %s', p_lecture_id, p_asset_kind,
                             p_asset_id);
    END IF;
    RETURN app.workflow_run_insert(
        p_user_id, p_lecture_id, p_kind, 1,
        coalesce(p_context, '{}') || jsonb_build_object(
            'asset', jsonb_build_object('kind', p_asset_kind, 'section', v_section,
                                        'id', p_asset_id),
            'reviewSeconds', p_review_seconds),
        p_max_active_runs);
END
$$;

ALTER FUNCTION api.asset_regenerate(p_user_id text, p_lecture_id integer, p_asset_kind text, p_asset_id text, p_kind text, p_review_seconds integer, p_max_active_runs integer, p_context jsonb) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.asset_regenerate(p_user_id text, p_lecture_id integer, p_asset_kind text, p_asset_id text, p_kind text, p_review_seconds integer, p_max_active_runs integer, p_context jsonb) IS 'Start a one-step run that proposes a new version of one asset of a lecture of the user (kinds image, narration, music, video), to be reviewed within p_review_seconds of the proposal. Returns the run id. PT404 lecture or asset not found, PT409 a run is already in progress, PT422 bad kind or review time, PT429 the user has p_max_active_runs active runs.';

CREATE FUNCTION api.drafts_prune(p_resolved_before timestamp with time zone) RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    WITH pruned AS (
        DELETE FROM app.conflict_drafts AS d
        WHERE d.resolved_at < p_resolved_before
        RETURNING d.id
    )
    SELECT count(*)::integer FROM pruned;
$$;

ALTER FUNCTION api.drafts_prune(p_resolved_before timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.drafts_prune(p_resolved_before timestamp with time zone) IS 'Delete the drafts resolved (applied, merged or discarded) before a time; unresolved drafts are never pruned. Returns how many were deleted.';

CREATE FUNCTION api.events_publish() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_from xid8 := (SELECT p.horizon FROM app.event_publisher AS p);
    v_to xid8 := pg_snapshot_xmin(pg_current_snapshot());
    v_lectures integer[];
BEGIN
    IF v_to <= v_from THEN
        RETURN 0;
    END IF;
    SELECT array_agg(DISTINCT c.lecture_id ORDER BY c.lecture_id) INTO v_lectures FROM (
        SELECT r.lecture_id FROM app.lecture_revisions AS r WHERE r.txid >= v_from AND r.txid < v_to
        UNION ALL
        SELECT e.lecture_id FROM app.workflow_run_events AS e WHERE e.txid >= v_from AND e.txid < v_to
        UNION ALL
        SELECT m.lecture_id FROM app.member_removal_events AS m
        WHERE m.txid >= v_from AND m.txid < v_to
    ) AS c;
    IF v_lectures IS NULL THEN
        RETURN 0;  -- nothing new: keep the horizon, write nothing
    END IF;
    UPDATE app.event_publisher AS p SET horizon = v_to, published_at = clock_timestamp()
    WHERE p.horizon = v_from;
    IF NOT FOUND THEN
        RETURN 0;  -- another publisher announced them
    END IF;
    -- The only NOTIFY of the project: one per batch, in the publisher's own transaction. The
    -- payload is a hint (lecture ids, comma-separated, each under 8000 bytes): listeners read the
    -- events themselves from the database, so a forged notification can only cause a re-read.
    PERFORM pg_notify('tutopanda_events', string_agg(b.id::text, ','))
    FROM unnest(v_lectures) WITH ORDINALITY AS b (id, n)
    GROUP BY (b.n - 1) / 500;
    RETURN cardinality(v_lectures);
END
$$;

ALTER FUNCTION api.events_publish() OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.events_publish() IS 'Announce on channel tutopanda_events the lectures with events committed since the last call (below the oldest running transaction, so none is ever skipped); returns how many.';

CREATE FUNCTION api.events_publisher_claim() RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT pg_try_advisory_lock(hashtext('tutopanda:events-publisher'));
$$;

ALTER FUNCTION api.events_publisher_claim() OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.events_publisher_claim() IS 'Become this database''s event publisher for the life of the session (true) unless another session is (false). Call on a direct connection: the lock belongs to the session.';

CREATE FUNCTION api.idempotency_claim(p_user_id text, p_key text, p_fingerprint bytea) RETURNS TABLE(status integer, headers jsonb, body bytea)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_key IS NULL OR length(p_key) NOT BETWEEN 1 AND 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'Idempotency-Key must be 1 to 255 characters';
    END IF;
    -- Held until this transaction ends: the same key sent again meanwhile is told so at once.
    IF NOT pg_try_advisory_xact_lock(hashtext('tutopanda:idempotency'),
                                     hashtext(p_user_id || E'\n' || p_key)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = 'a request with this Idempotency-Key is still in progress',
            HINT = 'retry once it has been answered';
    END IF;
    -- A replay writes (the row, unchanged): its COMMIT then waits for a synchronous standby as
    -- the write's did, so an answer is never replayed before the standby has its write.
    RETURN QUERY
        UPDATE app.idempotency_keys AS k SET expires_at = k.expires_at
        WHERE k.user_id = p_user_id AND k.key = p_key AND k.expires_at > now()
          AND k.fingerprint = p_fingerprint
        RETURNING k.status, k.headers, k.body;
    IF NOT FOUND AND EXISTS (
            SELECT FROM app.idempotency_keys AS k
            WHERE k.user_id = p_user_id AND k.key = p_key AND k.expires_at > now()) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'this Idempotency-Key was used for another request',
            HINT = 'send a new key with a new request';
    END IF;
END
$$;

ALTER FUNCTION api.idempotency_claim(p_user_id text, p_key text, p_fingerprint bytea) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.idempotency_claim(p_user_id text, p_key text, p_fingerprint bytea) IS 'Start a write sent with an idempotency key, inside its transaction: the answer kept for the same key and request (replay it, do nothing else), or no row (do the write, then api.idempotency_record). PT409 while another request with the key runs; PT422 when the key was used for another request (fingerprint).';

CREATE FUNCTION api.idempotency_prune() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    WITH gone AS (
        DELETE FROM app.idempotency_keys AS k WHERE k.expires_at <= now() RETURNING 1
    )
    SELECT count(*)::integer FROM gone;
$$;

ALTER FUNCTION api.idempotency_prune() OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.idempotency_prune() IS 'Delete the idempotency keys that have expired (workers call it periodically); how many.';

CREATE FUNCTION api.idempotency_record(p_user_id text, p_key text, p_fingerprint bytea, p_status integer, p_headers jsonb, p_body bytea, p_ttl_seconds integer) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF txid_current_if_assigned() IS NULL THEN
        RETURN false;  -- the request wrote nothing: nothing to protect, it may simply run again
    END IF;
    INSERT INTO app.idempotency_keys AS k
        (user_id, key, fingerprint, status, headers, body, expires_at)
    VALUES (p_user_id, p_key, p_fingerprint, p_status, coalesce(p_headers, '{}'), p_body,
            now() + make_interval(secs => greatest(p_ttl_seconds, 1)))
    ON CONFLICT (user_id, key) DO UPDATE  -- only an expired key is still there to replace
        SET fingerprint = excluded.fingerprint, status = excluded.status,
            headers = excluded.headers, body = excluded.body, created_at = excluded.created_at,
            expires_at = excluded.expires_at;
    RETURN true;
END
$$;

ALTER FUNCTION api.idempotency_record(p_user_id text, p_key text, p_fingerprint bytea, p_status integer, p_headers jsonb, p_body bytea, p_ttl_seconds integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.idempotency_record(p_user_id text, p_key text, p_fingerprint bytea, p_status integer, p_headers jsonb, p_body bytea, p_ttl_seconds integer) IS 'Keep the answer of a write made with an idempotency key, in the write''s transaction, for p_ttl_seconds; false (nothing kept) when the transaction wrote nothing.';

CREATE FUNCTION api.lecture_draft_discard(p_user_id text, p_lecture_id integer, p_draft_id bigint) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM app.conflict_draft_owned(p_user_id, p_lecture_id, p_draft_id);
    PERFORM app.conflict_draft_resolve(p_draft_id, 'discarded', NULL);
END
$$;

ALTER FUNCTION api.lecture_draft_discard(p_user_id text, p_lecture_id integer, p_draft_id bigint) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_draft_discard(p_user_id text, p_lecture_id integer, p_draft_id bigint) IS 'Discard an unresolved draft, the author''s or, for an owner, any member''s (kept, marked discarded, until pruned). PT404.';

CREATE FUNCTION api.lecture_draft_get(p_user_id text, p_lecture_id integer, p_draft_id bigint) RETURNS TABLE(id bigint, lecture_id integer, user_id text, base_revision integer, conflict_revision integer, sections jsonb, created_at timestamp with time zone, base jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_draft app.conflict_drafts := app.conflict_draft_owned(p_user_id, p_lecture_id, p_draft_id);
BEGIN
    RETURN QUERY SELECT v_draft.id, v_draft.lecture_id, v_draft.user_id, v_draft.base_revision,
                        v_draft.conflict_revision, v_draft.sections, v_draft.created_at,
                        app.revision_content(p_lecture_id, v_draft.base_revision);
END
$$;

ALTER FUNCTION api.lecture_draft_get(p_user_id text, p_lecture_id integer, p_draft_id bigint) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_draft_get(p_user_id text, p_lecture_id integer, p_draft_id bigint) IS 'An unresolved draft with its author (user_id) and the content of the revision it was based on (what rebasing it needs); the author''s or, for an owner, any member''s. PT404: lecture or draft not found or not theirs to see.';

CREATE FUNCTION api.lecture_drafts(p_user_id text, p_lecture_id integer) RETURNS TABLE(id bigint, lecture_id integer, user_id text, base_revision integer, conflict_revision integer, sections jsonb, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    SELECT d.id, d.lecture_id, d.user_id, d.base_revision, d.conflict_revision, d.sections,
           d.created_at
    FROM app.conflict_drafts_of(p_user_id, p_lecture_id) AS d
    ORDER BY d.id;
END
$$;

ALTER FUNCTION api.lecture_drafts(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_drafts(p_user_id text, p_lecture_id integer) IS 'The unresolved conflict drafts on a lecture that a user may act on, oldest first, each with its author (user_id): their own; an owner''s, every member''s. PT404: lecture not found or not theirs; PT403: a viewer.';

CREATE FUNCTION api.lecture_events(p_lecture_id integer, p_after_revision integer, p_after_seq integer, p_limit integer DEFAULT 500) RETURNS TABLE(revision integer, seq integer, type text, data jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT e.revision, e.seq, e.type, e.data FROM (
        SELECT r.revision, 0 AS rank, NULL::integer AS seq, 'lecture.revised' AS type,
               jsonb_build_object(
                   'lectureId', r.lecture_id, 'revision', r.revision, 'source', r.source,
                   'actor', r.created_by, 'runId', r.run_id,
                   'changedSections', to_jsonb(r.changed_sections), 'forced', r.forced,
                   'restoredFrom', r.restored_from, 'at', r.created_at) AS data
        FROM app.lecture_revisions AS r
        WHERE r.lecture_id = p_lecture_id AND r.revision > p_after_revision
        UNION ALL
        SELECT v.revision, 1, v.seq, 'workflow.progress',
               app.workflow_run_state(w) || jsonb_build_object(
                   'status', v.status, 'currentStep', v.current_step, 'stepName', v.step_name,
                   'message', v.message, 'stepProgress', v.step_progress, 'error', v.error,
                   'at', v.created_at)
        FROM app.workflow_run_events AS v
        JOIN app.workflow_runs AS w ON w.run_id = v.run_id
        WHERE v.lecture_id = p_lecture_id AND v.seq > p_after_seq
        UNION ALL
        SELECT m.revision, 1, m.seq, 'member.removed',
               jsonb_build_object('lectureId', m.lecture_id, 'userId', c.user_id,
                                  'removedBy', c.changed_by, 'at', c.changed_at)
        FROM app.member_removal_events AS m
        JOIN app.project_member_changes AS c ON c.id = m.change_id
        WHERE m.lecture_id = p_lecture_id AND m.seq > p_after_seq
    ) AS e
    ORDER BY e.revision, e.rank, e.seq
    LIMIT least(greatest(p_limit, 1), 5000);
$$;

ALTER FUNCTION api.lecture_events(p_lecture_id integer, p_after_revision integer, p_after_seq integer, p_limit integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_events(p_lecture_id integer, p_after_revision integer, p_after_seq integer, p_limit integer) IS 'A lecture''s events after revision p_after_revision and numbered event p_after_seq, in commit order: lecture.revised (history rows), workflow.progress (run events) and member.removed (member removals). For the API''s event hub, which has checked the subscriber''s membership with api.lecture_stream_open.';

CREATE FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN (SELECT app.lecture_snapshot(l) FROM app.video_lectures AS l WHERE l.id = p_lecture_id);
END
$$;

ALTER FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) IS 'A lecture of a user as JSON (sections, id, projectId, revision, updatedAt). PT404: missing or not theirs.';

CREATE FUNCTION api.lecture_get_wire(p_user_id text, p_lecture_id integer) RETURNS TABLE(revision integer, lecture text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    -- app.lecture_snapshot's object (api.lecture_get's), a null list section as [] and
    -- updatedAt rewritten: what LectureSnapshot would make of it.
    RETURN QUERY
    SELECT l.revision, (
        (SELECT jsonb_object_agg(c.key, CASE
                    WHEN c.value = 'null' AND 'array' = ANY (app.lecture_section_types(c.key))
                    THEN '[]'::jsonb ELSE c.value END)
         FROM jsonb_each(app.lecture_snapshot(l)) AS c)
        || jsonb_build_object('updatedAt', regexp_replace(
            to_char(l.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            '\.000000Z$', 'Z'))
    )::text
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
END
$_$;

ALTER FUNCTION api.lecture_get_wire(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_get_wire(p_user_id text, p_lecture_id integer) IS 'A lecture of a user as the HTTP API sends it, as JSON text, and its revision: the snapshot of api.lecture_get with list sections never null and updatedAt in UTC with a Z (microseconds only when there are any, as pydantic writes them). PT404: missing or not theirs.';

CREATE FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer DEFAULT 50, p_before_revision integer DEFAULT NULL::integer) RETURNS TABLE(revision integer, source text, created_by text, run_id text, changed_sections text[], forced boolean, restored_from integer, size_bytes integer, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'limit must be between 1 and 500';
    END IF;
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN QUERY
    SELECT r.revision, r.source, r.created_by, r.run_id, r.changed_sections, r.forced,
           r.restored_from, pg_column_size(coalesce(r.data, r.delta)), r.created_at
    FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id
      AND (p_before_revision IS NULL OR r.revision < p_before_revision)
    ORDER BY r.revision DESC
    LIMIT p_limit;
END
$$;

ALTER FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) IS 'History of a lecture, newest first, p_limit rows older than p_before_revision (the smallest revision of the previous page). PT404 not found, PT422 bad limit.';

CREATE FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean DEFAULT false) RETURNS api.lecture_save_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_data jsonb;
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id);
    v_data := app.revision_content(p_lecture_id, p_revision);
    IF v_data IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no revision %s', p_lecture_id, p_revision);
    ELSIF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    RETURN app.lecture_write(
        p_lecture_id, p_user_id,
        (SELECT jsonb_object_agg(s.name, v_data -> s.name) FROM app.lecture_sections() AS s),
        p_base_revision, coalesce(p_force, false), p_user_id, 'app',
        p_restored_from => p_revision);
END
$$;

ALTER FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) IS 'Make an old revision''s content current as a new revision; optimistic like a save (a stale p_base_revision is a conflict unless p_force). PT404, PT422.';

CREATE FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) RETURNS TABLE(lecture_id integer, revision integer, source text, created_by text, run_id text, changed_sections text[], forced boolean, restored_from integer, size_bytes integer, created_at timestamp with time zone, data jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN QUERY
    SELECT r.lecture_id, r.revision, r.source, r.created_by, r.run_id, r.changed_sections,
           r.forced, r.restored_from, pg_column_size(coalesce(r.data, r.delta)), r.created_at,
           app.revision_content(p_lecture_id, p_revision)
    FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision = p_revision;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('lecture %s has no revision %s', p_lecture_id, p_revision);
    END IF;
END
$$;

ALTER FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) IS 'One revision of a lecture with the full snapshot after that write. PT404: lecture or revision not found.';

CREATE FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean DEFAULT false, p_force boolean DEFAULT false) RETURNS api.lecture_save_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_base_revision IS NULL OR p_base_revision < 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'base revision must be 0 or more';
    END IF;
    RETURN app.lecture_write(p_lecture_id, p_user_id, p_sections, p_base_revision,
                             coalesce(p_force, false), p_user_id, 'app',
                             p_keep_draft => NOT coalesce(p_force, false),
                             p_base_content_of => CASE WHEN p_merge THEN p_base_revision END);
END
$$;

ALTER FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) IS 'Save sections on the revision the editor saw: saved (revision + 1), or conflict with the latest snapshot and nothing written but the refused sections, kept as a conflict draft (draft_id). p_merge: a conflict also returns the content of the base revision (base), for a three-way merge written with api.lecture_save_merged. p_force overwrites newer revisions (recorded as forced). PT404, PT422 invalid sections or base revision.';

CREATE FUNCTION api.lecture_save_merged(p_user_id text, p_lecture_id integer, p_base_revision integer, p_onto_revision integer, p_sections jsonb, p_draft_id bigint, p_resolution text DEFAULT 'merged'::text) RETURNS api.lecture_save_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_resolution NOT IN ('merged', 'applied') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'resolution must be merged or applied';
    END IF;
    PERFORM app.conflict_draft_owned(p_user_id, p_lecture_id, p_draft_id);
    RETURN app.lecture_write(p_lecture_id, p_user_id, p_sections, p_onto_revision, false, p_user_id,
                             'app', p_base_content_of => p_base_revision,
                             p_merged_base => nullif(p_base_revision, p_onto_revision),
                             p_resolves_draft => p_draft_id, p_resolution => p_resolution);
END
$$;

ALTER FUNCTION api.lecture_save_merged(p_user_id text, p_lecture_id integer, p_base_revision integer, p_onto_revision integer, p_sections jsonb, p_draft_id bigint, p_resolution text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_save_merged(p_user_id text, p_lecture_id integer, p_base_revision integer, p_onto_revision integer, p_sections jsonb, p_draft_id bigint, p_resolution text) IS 'Write a three-way merge of a conflict draft (made on p_base_revision) onto exactly revision p_onto_revision, recording both, and resolve the draft; a newer writer meanwhile is a conflict again (with the base content, for another merge) — never an overwrite. The draft is the caller''s or, for an owner, any member''s (app.conflict_draft_owned): the revision is created by the caller, who applied it, and the draft keeps its author. PT404.';

CREATE FUNCTION api.lecture_stream_open(p_user_id text, p_lecture_id integer) RETURNS TABLE(revision integer, progress_seq integer, runs jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_action => 'read');
    RETURN QUERY
    SELECT l.revision, l.progress_seq, coalesce((
        SELECT jsonb_agg(app.workflow_run_state(r) ORDER BY r.created_at)
        FROM app.workflow_runs AS r
        WHERE r.lecture_id = l.id AND app.workflow_run_active(r.status)), '[]')
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
END
$$;

ALTER FUNCTION api.lecture_stream_open(p_user_id text, p_lecture_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.lecture_stream_open(p_user_id text, p_lecture_id integer) IS 'Where a lecture''s event stream starts for a member: revision, last numbered event (run events, member removals) and the active runs. PT404: missing or not theirs.';

CREATE FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer, p_max_active_runs integer, p_max_projects_per_hour integer) RETURNS TABLE(project_id integer, lecture_id integer, run_id text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_project_id integer;
    v_lecture app.video_lectures;
BEGIN
    IF p_user_id IS NULL OR length(p_user_id) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'user id must be 1 to 200 characters';
    ELSIF p_prompt IS NULL OR length(p_prompt) NOT BETWEEN 1 AND 5000 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'prompt must be 1 to 5000 characters';
    ELSIF jsonb_typeof(coalesce(p_settings, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'settings must be a JSON object';
    END IF;
    PERFORM app.quota_projects_per_hour(p_user_id, p_max_projects_per_hour);
    INSERT INTO app.projects AS p (created_by, name, settings)
    VALUES (p_user_id, p_name, p_settings) RETURNING p.id INTO v_project_id;
    PERFORM app.project_member_write(v_project_id, p_user_id, 'owner', NULL, p_user_id);
    INSERT INTO app.project_settings_history (project_id, revision, name, settings, changed_by)
    VALUES (v_project_id, 0, p_name, p_settings, p_user_id);
    INSERT INTO app.video_lectures AS l (project_id, prompt)
    VALUES (v_project_id, p_prompt) RETURNING * INTO v_lecture;
    PERFORM app.history_start(v_lecture, p_user_id);
    RETURN QUERY SELECT v_project_id, v_lecture.id,
        app.workflow_run_insert(p_user_id, v_lecture.id, p_workflow_kind, p_total_steps,
                                jsonb_build_object('prompt', p_prompt), p_max_active_runs);
END
$$;

ALTER FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer, p_max_active_runs integer, p_max_projects_per_hour integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer, p_max_active_runs integer, p_max_projects_per_hour integer) IS 'Create a project (settings revision 0 in its settings history) with the user as its owner, its lecture (revision 0, empty sections, a revision-0 history row) and a queued workflow run whose first step job is enqueued in the same transaction. PT422; PT429 when the user created p_max_projects_per_hour projects in the last hour or has p_max_active_runs active runs (nothing is written).';

CREATE FUNCTION api.project_get(p_user_id text, p_project_id integer) RETURNS TABLE(id integer, name text, is_default boolean, settings jsonb, settings_revision integer, created_at timestamp with time zone, updated_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    SELECT p.id, p.name, p.is_default, coalesce(p.settings, '{}'), p.settings_revision,
           p.created_at, p.updated_at
    FROM app.projects AS p
    WHERE p.id = p_project_id AND app.project_allows(p_user_id, p.id, 'read');
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('project %s not found', p_project_id);
    END IF;
END
$$;

ALTER FUNCTION api.project_get(p_user_id text, p_project_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_get(p_user_id text, p_project_id integer) IS 'A project of the user (any role): name, generation settings and their revision. PT404.';

CREATE FUNCTION api.project_list(p_user_id text, p_limit integer DEFAULT 50, p_before_id integer DEFAULT NULL::integer) RETURNS TABLE(id integer, name text, is_default boolean, settings jsonb, created_at timestamp with time zone, lectures jsonb, role text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'limit must be between 1 and 500';
    END IF;
    RETURN QUERY
    SELECT p.id, p.name, p.is_default, p.settings, p.created_at,
           coalesce((SELECT jsonb_agg(jsonb_build_object(
                         'id', l.id, 'title', l.title, 'revision', l.revision,
                         'updated_at', l.updated_at) ORDER BY l.id)
                     FROM app.video_lectures AS l WHERE l.project_id = p.id), '[]'),
           m.role
    FROM app.project_members AS m
    JOIN app.projects AS p ON p.id = m.project_id
    WHERE m.user_id = p_user_id  -- one range of the index (user_id, project_id): every id < 2^31
      AND m.project_id < coalesce(p_before_id::bigint, 2147483648)
    ORDER BY m.project_id DESC
    LIMIT p_limit;
END
$$;

ALTER FUNCTION api.project_list(p_user_id text, p_limit integer, p_before_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_list(p_user_id text, p_limit integer, p_before_id integer) IS 'Projects a user is a member of (their own and those shared with them), newest (highest id) first, p_limit of them with an id below p_before_id (the last id of the previous page), each with the user''s role and its lectures (id, title, revision, updated_at; no content). PT422 bad limit (1 to 500).';

CREATE FUNCTION api.project_member_remove(p_user_id text, p_project_id integer, p_member_id text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_previous text := app.project_members_lock(p_user_id, p_project_id, p_member_id);
BEGIN
    IF v_previous IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('%s is not a member of project %s', p_member_id, p_project_id);
    END IF;
    PERFORM app.project_last_owner_refuse(p_project_id, p_member_id, v_previous);
    PERFORM app.project_member_write(p_project_id, p_member_id, NULL, v_previous, p_user_id);
END
$$;

ALTER FUNCTION api.project_member_remove(p_user_id text, p_project_id integer, p_member_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_member_remove(p_user_id text, p_project_id integer, p_member_id text) IS 'Remove a member from a project (an owner only): their next request on it is PT404, like a stranger''s, and a member.removed event on each of its lectures ends their open event streams. PT404: project missing or not theirs, or no such member; PT403: the user is no owner; PTOWN: the last owner.';

CREATE FUNCTION api.project_member_set(p_user_id text, p_project_id integer, p_member_id text, p_role text) RETURNS TABLE(user_id text, role text, added_by text, added_at timestamp with time zone, updated_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_previous text;
BEGIN
    IF p_member_id IS NULL OR length(p_member_id) NOT BETWEEN 1 AND 200
       OR p_member_id ~ '[\x01-\x1f\x7f-\x9f]' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'user id must be 1 to 200 characters without control characters';
    ELSIF p_role IS NULL OR p_role NOT IN ('owner', 'editor', 'viewer') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'role must be owner, editor or viewer';
    END IF;
    v_previous := app.project_members_lock(p_user_id, p_project_id, p_member_id);
    IF v_previous IS DISTINCT FROM p_role THEN
        IF p_role <> 'owner' THEN
            PERFORM app.project_last_owner_refuse(p_project_id, p_member_id, v_previous);
        END IF;
        PERFORM app.project_member_write(p_project_id, p_member_id, p_role, v_previous, p_user_id);
    END IF;
    RETURN QUERY
    SELECT m.user_id, m.role, m.added_by, m.added_at, m.updated_at
    FROM app.project_members AS m
    WHERE m.project_id = p_project_id AND m.user_id = p_member_id;
END
$$;

ALTER FUNCTION api.project_member_set(p_user_id text, p_project_id integer, p_member_id text, p_role text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_member_set(p_user_id text, p_project_id integer, p_member_id text, p_role text) IS 'Add a member to a project with a role, or change their role (an owner only); the member after. The same role again changes and records nothing. PT404: project missing or not theirs, PT403: the user is no owner, PTOWN: it would demote the last owner, PT422: a user id that breaks the user-id rule or a role that is not owner, editor or viewer.';

CREATE FUNCTION api.project_members(p_user_id text, p_project_id integer) RETURNS TABLE(user_id text, role text, added_by text, added_at timestamp with time zone, updated_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF NOT app.project_allows(p_user_id, p_project_id, 'read') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('project %s not found', p_project_id);
    END IF;
    RETURN QUERY
    SELECT m.user_id, m.role, m.added_by, m.added_at, m.updated_at
    FROM app.project_members AS m
    WHERE m.project_id = p_project_id
    ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'editor' THEN 1 ELSE 2 END, m.user_id;
END
$$;

ALTER FUNCTION api.project_members(p_user_id text, p_project_id integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_members(p_user_id text, p_project_id integer) IS 'The members of a project the user is a member of (any role), owners first, then editors, then viewers, each by user id. PT404: missing or not theirs.';

CREATE FUNCTION api.project_update(p_user_id text, p_project_id integer, p_base_revision integer, p_name text, p_settings jsonb) RETURNS TABLE(id integer, name text, is_default boolean, settings jsonb, settings_revision integer, created_at timestamp with time zone, updated_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_project app.projects;
    v_settings jsonb;
    v_group text;
    v_value jsonb;
BEGIN
    SELECT p.* INTO v_project FROM app.projects AS p
    WHERE p.id = p_project_id AND app.project_allows(p_user_id, p.id, 'write')
    FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('project %s not found', p_project_id);
    ELSIF p_base_revision IS NOT NULL AND p_base_revision <> v_project.settings_revision THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('project %s is at settings revision %s, not %s', p_project_id,
                             v_project.settings_revision, p_base_revision),
            HINT = 'read the project again and apply your change to it';
    ELSIF jsonb_typeof(coalesce(p_settings, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'settings must be a JSON object';
    ELSIF p_name IS NOT NULL AND length(p_name) NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'name must be 1 to 200 characters';
    END IF;
    -- Per group: the keys sent replace the stored ones, the others stay.
    v_settings := coalesce(v_project.settings, '{}');
    FOR v_group, v_value IN SELECT e.key, e.value FROM jsonb_each(coalesce(p_settings, '{}')) AS e
    LOOP
        IF jsonb_typeof(v_value) <> 'object' THEN
            RAISE EXCEPTION USING ERRCODE = 'PT422',
                MESSAGE = format('settings group %s must be an object', v_group);
        END IF;
        v_settings := v_settings || jsonb_build_object(
            v_group, CASE jsonb_typeof(v_settings -> v_group)
                         WHEN 'object' THEN v_settings -> v_group ELSE '{}' END || v_value);
    END LOOP;
    IF v_settings IS NOT DISTINCT FROM v_project.settings
       AND coalesce(p_name, v_project.name) IS NOT DISTINCT FROM v_project.name THEN
        RETURN QUERY SELECT * FROM api.project_get(p_user_id, p_project_id);  -- nothing changed
        RETURN;
    END IF;
    UPDATE app.projects AS p
    SET name = coalesce(p_name, p.name), settings = v_settings,
        settings_revision = p.settings_revision + 1, updated_at = clock_timestamp()
    WHERE p.id = p_project_id
    RETURNING * INTO v_project;
    INSERT INTO app.project_settings_history (project_id, revision, name, settings, changed_by,
                                              changed_at)
    VALUES (v_project.id, v_project.settings_revision, v_project.name, v_project.settings,
            p_user_id, v_project.updated_at);
    RETURN QUERY SELECT * FROM api.project_get(p_user_id, p_project_id);
END
$$;

ALTER FUNCTION api.project_update(p_user_id text, p_project_id integer, p_base_revision integer, p_name text, p_settings jsonb) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.project_update(p_user_id text, p_project_id integer, p_base_revision integer, p_name text, p_settings jsonb) IS 'Update a project of the user (an editor or owner; PT403 for a viewer): a new name and/or settings groups merged into the stored ones (keys sent replace keys stored, per group). With p_base_revision, only if the settings are still at that revision. A change is a new settings revision with a history row (who, when); no change writes nothing. PT404, PT409 stale revision, PT422 not objects or bad name.';

CREATE FUNCTION api.workflow_reviews_expire(p_now timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run_id text;
    v_count integer := 0;
BEGIN
    FOR v_run_id IN
        SELECT r.run_id FROM app.workflow_runs AS r
        WHERE r.status = 'waiting_for_review' AND r.review_expires_at <= p_now
        ORDER BY r.review_expires_at
        FOR UPDATE SKIP LOCKED
    LOOP
        PERFORM app.workflow_run_update(v_run_id, 'expired',
                                        p_error => 'the proposal was not reviewed in time');
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

ALTER FUNCTION api.workflow_reviews_expire(p_now timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_reviews_expire(p_now timestamp with time zone) IS 'Record as expired every proposal whose review time has passed at p_now (workers call it periodically; a locked run is left for the next call). Returns how many expired.';

CREATE FUNCTION api.workflow_run_accept(p_user_id text, p_run_id text, p_force boolean DEFAULT false) RETURNS TABLE(status text, revision integer, merged_base integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_review_open(p_user_id, p_run_id);
    v_lecture app.video_lectures;
    v_section text;
    v_asset_id text;
    v_current jsonb;
    v_items jsonb;
    v_write record;
BEGIN
    IF v_run.run_id IS NULL THEN
        RETURN QUERY SELECT 'expired'::text, NULL::integer, NULL::integer;
        RETURN;
    END IF;
    v_section := v_run.context #>> '{asset,section}';
    v_asset_id := v_run.context #>> '{asset,id}';
    SELECT l.* INTO v_lecture FROM app.video_lectures AS l WHERE l.id = v_run.lecture_id
    FOR UPDATE;
    v_items := app.lecture_content(v_lecture) -> v_section;
    v_current := app.lecture_asset(app.lecture_content(v_lecture), v_section, v_asset_id);
    IF v_current IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('asset %s was removed from lecture %s after the proposal (revision '
                             '%s); nothing applied', v_asset_id, v_lecture.id,
                             v_run.proposal_revision),
            HINT = 'reject the proposal';
    ELSIF v_current <> v_run.proposal_base AND NOT coalesce(p_force, false) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('asset %s was edited after the proposal (revision %s, now %s); '
                             'nothing applied', v_asset_id, v_run.proposal_revision,
                             v_lecture.revision),
            HINT = 'reject the proposal, or accept with force to replace the edited asset';
    END IF;
    -- Other assets and sections stand as they are now: only this asset is replaced.
    SELECT jsonb_agg(CASE WHEN a.value ->> 'id' = v_asset_id THEN v_run.proposal ELSE a.value END
                     ORDER BY a.ordinality)
    INTO v_items
    FROM jsonb_array_elements(v_items) WITH ORDINALITY AS a;
    SELECT w.* INTO v_write
    FROM app.lecture_write(
        v_lecture.id, NULL, jsonb_build_object(v_section, v_items), v_lecture.revision, false,
        v_run.user_id, 'workflow', v_run.run_id,
        p_merged_base => CASE WHEN v_lecture.revision <> v_run.proposal_revision
                              THEN v_run.proposal_revision END) AS w;
    PERFORM app.workflow_run_update(
        p_run_id, 'succeeded', p_message => format('%s %s accepted',
                                                   initcap(v_run.context #>> '{asset,kind}'),
                                                   v_asset_id));
    RETURN QUERY SELECT 'succeeded'::text, v_write.revision,
        CASE WHEN v_lecture.revision <> v_run.proposal_revision THEN v_run.proposal_revision END;
END
$$;

ALTER FUNCTION api.workflow_run_accept(p_user_id text, p_run_id text, p_force boolean) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_accept(p_user_id text, p_run_id text, p_force boolean) IS 'The owner accepts a proposal: the asset is replaced in the lecture as it is now (a revision, source workflow with the run id; merged_base names the proposal''s revision when the lecture moved on) and the run succeeds. Returns status expired (recorded, nothing applied) when the review time has passed. PT404, PT409 not waiting for review, or the asset was edited or removed since the proposal (unless p_force replaces an edited one).';

CREATE FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'procrastinate', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_user_id, p_lock => true);
BEGIN
    IF app.workflow_run_active(v_run.status) THEN
        v_run := app.workflow_run_update(p_run_id, 'cancelled');
        PERFORM procrastinate.procrastinate_cancel_job_v1(j.id, false, false)
        FROM procrastinate.procrastinate_jobs AS j, app.workflow_step_task() AS t
        WHERE j.status = 'todo' AND j.task_name = t.task_name AND j.args ->> 'run_id' = p_run_id;
    ELSIF v_run.status <> 'cancelled' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s already %s', p_run_id, v_run.status);
    END IF;
    RETURN v_run.status;
END
$$;

ALTER FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) IS 'The owner stops a run: queued/running/waiting_for_review -> cancelled (idempotent); its queued jobs are cancelled, a running step finds the run cancelled and writes nothing, a proposal is not applied. PT404, PT409 already succeeded, failed, rejected or expired.';

CREATE FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_max_active_runs integer, p_context jsonb DEFAULT '{}'::jsonb, p_from_step integer DEFAULT 1, p_original_run_id text DEFAULT NULL::text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_original text := p_original_run_id;
BEGIN
    -- The lecture lock serialises concurrent starts, so at most one run is in progress.
    PERFORM app.lecture_owned(p_user_id, p_lecture_id, p_lock => true);
    IF v_original IS NULL THEN  -- a rerun repeats the lecture's latest run of the same kind
        SELECT r.run_id INTO v_original FROM app.workflow_runs AS r
        WHERE r.lecture_id = p_lecture_id AND r.kind = p_kind
        ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1;
    ELSIF NOT EXISTS (SELECT FROM app.workflow_run_owned(v_original, p_user_id) AS o
                      WHERE o.lecture_id = p_lecture_id AND o.kind = p_kind) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404',
            MESSAGE = format('run %s is not a %s run of lecture %s', v_original, p_kind,
                             p_lecture_id);
    END IF;
    RETURN app.workflow_run_insert(p_user_id, p_lecture_id, p_kind, p_total_steps, p_context,
                                   p_max_active_runs, p_from_step, v_original);
END
$$;

ALTER FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_max_active_runs integer, p_context jsonb, p_from_step integer, p_original_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_max_active_runs integer, p_context jsonb, p_from_step integer, p_original_run_id text) IS 'Start a workflow on a lecture of the user from step p_from_step (earlier steps count as done) and enqueue that step; returns the run id. The run repeats p_original_run_id, or the lecture''s latest run of the same kind (originalRunId, attempt + 1), and keeps the project settings as they are now. PT404 lecture or original run not found, PT409 a run is already in progress, PT422 bad kind or steps, PT429 the user has p_max_active_runs active runs.';

CREATE FUNCTION api.workflow_run_fail(p_run_id text, p_error text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
BEGIN
    IF v_run.status IN ('queued', 'running') THEN
        v_run := app.workflow_run_update(p_run_id, 'failed',
                                         p_error => coalesce(p_error, 'unknown error'));
    END IF;
    RETURN v_run.status;
END
$$;

ALTER FUNCTION api.workflow_run_fail(p_run_id text, p_error text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_fail(p_run_id text, p_error text) IS 'Record why a run failed: queued/running -> failed; a finished or cancelled run is left as it is. Returns the status after the call. PT404.';

CREATE FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) RETURNS TABLE(run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer, total_steps integer, context jsonb, error text, created_at timestamp with time zone, updated_at timestamp with time zone, steps jsonb, original_run_id text, attempt integer, proposal jsonb, current_asset jsonb, proposal_revision integer, review_expires_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    PERFORM app.workflow_run_owned(p_run_id, p_user_id, p_action => 'read');
    RETURN QUERY
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, r.error, r.created_at, r.updated_at, app.workflow_run_steps(r.run_id),
           r.original_run_id, r.attempt, r.proposal,
           CASE WHEN r.context ? 'asset' THEN
               app.lecture_asset(app.lecture_content(l), r.context #>> '{asset,section}',
                                 r.context #>> '{asset,id}') END,
           r.proposal_revision, r.review_expires_at
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    WHERE r.run_id = p_run_id;
END
$$;

ALTER FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) IS 'A workflow run of a user with its completed steps, the run it repeats and its attempt; for an asset regeneration, the proposal beside the lecture''s current asset. PT404: missing or not theirs.';

CREATE FUNCTION api.workflow_run_progress(p_run_id text, p_step_index integer, p_step_name text, p_message text, p_fraction real) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
BEGIN
    IF v_run.status <> 'running' OR v_run.current_step <> p_step_index - 1 THEN
        RETURN false;  -- finished, cancelled, or another step's: nothing to report
    ELSIF p_message IS NULL OR length(p_message) NOT BETWEEN 1 AND 500
          OR p_fraction NOT BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = 'progress is a message of 1 to 500 characters and a fraction from 0 to 1';
    END IF;
    PERFORM app.workflow_run_event(v_run, p_step_name, p_message, p_fraction);
    RETURN true;
END
$$;

ALTER FUNCTION api.workflow_run_progress(p_run_id text, p_step_index integer, p_step_name text, p_message text, p_fraction real) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_progress(p_run_id text, p_step_index integer, p_step_name text, p_message text, p_fraction real) IS 'A running step reports its progress: a message and an optional fraction, kept as a run event (workflow.progress) for the stream and its replay. False when the run is not at that step any more (nothing recorded). PT404, PT422.';

CREATE FUNCTION api.workflow_run_reject(p_user_id text, p_run_id text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_review_open(p_user_id, p_run_id);
BEGIN
    IF v_run.run_id IS NULL THEN
        RETURN 'expired';
    END IF;
    v_run := app.workflow_run_update(
        p_run_id, 'rejected', p_message => format('%s %s rejected',
                                                  initcap(v_run.context #>> '{asset,kind}'),
                                                  v_run.context #>> '{asset,id}'));
    RETURN v_run.status;
END
$$;

ALTER FUNCTION api.workflow_run_reject(p_user_id text, p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_reject(p_user_id text, p_run_id text) IS 'The owner rejects a proposal: the run is rejected, the lecture unchanged (the proposal stays on the run for the record). Returns expired when the review time had passed. PT404, PT409 not waiting for review.';

CREATE FUNCTION api.workflow_run_resume(p_user_id text, p_run_id text, p_max_active_runs integer) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_user_id, p_lock => true);
BEGIN
    IF v_run.status NOT IN ('failed', 'cancelled') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s is %s; only a failed or cancelled run resumes',
                             p_run_id, v_run.status);
    ELSIF v_run.current_step >= v_run.total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s has no step left to run', p_run_id),
            HINT = 'start a new run instead';
    END IF;
    PERFORM app.quota_active_runs(p_user_id, p_max_active_runs);
    BEGIN
        v_run := app.workflow_run_update(p_run_id, 'queued', p_error => '',
                                         p_attempt => v_run.attempt + 1,
                                         p_message => format('Resuming at step %s of %s',
                                                             v_run.current_step + 1,
                                                             v_run.total_steps));
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('lecture %s already has a workflow in progress', v_run.lecture_id),
            HINT = 'cancel it or wait for it to finish';
    END;
    PERFORM app.workflow_enqueue_step(p_run_id, v_run.current_step + 1);
    RETURN v_run.status;
END
$$;

ALTER FUNCTION api.workflow_run_resume(p_user_id text, p_run_id text, p_max_active_runs integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_resume(p_user_id text, p_run_id text, p_max_active_runs integer) IS 'The owner continues a failed or cancelled run from its first incomplete step: its completed steps and their revisions stand, the error is cleared, the attempt counted and the next step enqueued. Returns queued. PT404, PT409 not failed/cancelled or the lecture has another run in progress, PT429 the user has p_max_active_runs active runs.';

CREATE FUNCTION api.workflow_run_start(p_run_id text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
BEGIN
    IF v_run.status = 'queued' THEN
        v_run := app.workflow_run_update(p_run_id, 'running');
    END IF;
    RETURN v_run.status;
END
$$;

ALTER FUNCTION api.workflow_run_start(p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_start(p_run_id text) IS 'A worker takes up a run: queued -> running (running stays running); returns the status after the call, unchanged for a finished or cancelled run. PT404.';

CREATE FUNCTION api.workflow_run_work(p_run_id text) RETURNS TABLE(run_id text, lecture_id integer, user_id text, kind text, status text, current_step integer, total_steps integer, context jsonb, lecture jsonb, settings jsonb)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    SELECT r.run_id, r.lecture_id, r.user_id, r.kind, r.status, r.current_step, r.total_steps,
           r.context, app.lecture_snapshot(l) || jsonb_build_object('prompt', l.prompt),
           coalesce(r.context -> 'settings', p.settings, '{}')
    FROM app.workflow_runs AS r
    JOIN app.video_lectures AS l ON l.id = r.lecture_id
    JOIN app.projects AS p ON p.id = l.project_id
    WHERE r.run_id = p_run_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
END
$$;

ALTER FUNCTION api.workflow_run_work(p_run_id text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_run_work(p_run_id text) IS 'What a worker needs for the next step: the run, its lecture''s snapshot (with the prompt) and the project settings the run started with (kept in its context). No owner check: workers call it with a run id from a job. PT404.';

CREATE FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb DEFAULT '{}'::jsonb, p_attempts integer DEFAULT 1, p_started_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_base_revision integer DEFAULT NULL::integer, p_merged_base integer DEFAULT NULL::integer) RETURNS TABLE(revision integer, applied boolean, run_status text, moved boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
    v_revision integer;
BEGIN
    SELECT s.revision INTO v_revision FROM app.workflow_steps AS s
    WHERE s.run_id = p_run_id AND s.step_index = p_step_index;
    IF FOUND THEN
        RETURN QUERY SELECT v_revision, false, v_run.status, false;
        RETURN;
    END IF;
    PERFORM app.workflow_step_check(v_run, p_step_index, p_step_name, p_output_summary);
    v_revision := app.workflow_step_write(v_run, p_sections, p_base_revision, p_merged_base);
    IF v_revision IS NULL THEN  -- another writer changed these sections since the step read them
        RETURN QUERY SELECT l.revision, false, v_run.status, true
                     FROM app.video_lectures AS l WHERE l.id = v_run.lecture_id;
        RETURN;
    END IF;
    INSERT INTO app.workflow_steps AS s
        (run_id, step_index, name, revision, output_summary, attempts, started_at, completed_at)
    VALUES (p_run_id, p_step_index, p_step_name, v_revision, coalesce(p_output_summary, '{}'),
            greatest(coalesce(p_attempts, 1), 1), p_started_at, clock_timestamp());
    v_run := app.workflow_run_update(
        p_run_id, CASE WHEN p_step_index = v_run.total_steps THEN 'succeeded' ELSE 'running' END,
        p_current_step => p_step_index, p_step_name => p_step_name);
    IF p_step_index < v_run.total_steps THEN
        PERFORM app.workflow_enqueue_step(p_run_id, p_step_index + 1);
    END IF;
    RETURN QUERY SELECT v_revision, true, v_run.status, false;
END
$$;

ALTER FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone, p_base_revision integer, p_merged_base integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone, p_base_revision integer, p_merged_base integer) IS 'Record step p_step_index of a run and write its sections, once: a recorded step returns its revision and writes nothing. Otherwise one transaction writes the lecture (source workflow, with the run id), the step row, the run''s progress and the next step''s job (or marks the run succeeded after its last step). With p_base_revision (the revision the step read): if another writer changed any of these sections since, nothing is written and `moved` is true (the worker merges its output onto the latest revision and calls again with that revision as base and p_merged_base). PT404, PT409 cancelled/finished/out of order, PT422.';

CREATE FUNCTION api.workflow_step_propose(p_run_id text, p_step_index integer, p_step_name text, p_asset jsonb, p_base_revision integer, p_output_summary jsonb DEFAULT '{}'::jsonb, p_attempts integer DEFAULT 1, p_started_at timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS TABLE(revision integer, applied boolean, run_status text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_lock => true);
    v_section text := v_run.context #>> '{asset,section}';
    v_asset_id text := v_run.context #>> '{asset,id}';
    v_before jsonb;
BEGIN
    IF EXISTS (SELECT FROM app.workflow_steps AS s
               WHERE s.run_id = p_run_id AND s.step_index = p_step_index) THEN
        RETURN QUERY SELECT v_run.proposal_revision, false, v_run.status;
        RETURN;
    END IF;
    PERFORM app.workflow_step_check(v_run, p_step_index, p_step_name, p_output_summary);
    IF v_asset_id IS NULL OR p_step_index <> v_run.total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('workflow run %s does not propose an asset at step %s', p_run_id,
                             p_step_index);
    ELSIF jsonb_typeof(p_asset) IS DISTINCT FROM 'object'
          OR p_asset ->> 'id' IS DISTINCT FROM v_asset_id THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('the proposal must be an object with the id %s', v_asset_id);
    END IF;
    v_before := app.lecture_asset(app.revision_content(v_run.lecture_id, p_base_revision),
                                  v_section, v_asset_id);
    IF v_before IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('lecture %s has no asset %s at revision %s', v_run.lecture_id,
                             v_asset_id, p_base_revision);
    END IF;
    INSERT INTO app.workflow_steps AS s
        (run_id, step_index, name, revision, output_summary, attempts, started_at, completed_at)
    VALUES (p_run_id, p_step_index, p_step_name, p_base_revision,
            coalesce(p_output_summary, '{}'), greatest(coalesce(p_attempts, 1), 1), p_started_at,
            clock_timestamp());
    UPDATE app.workflow_runs AS r
    SET proposal = p_asset, proposal_base = v_before, proposal_revision = p_base_revision,
        review_expires_at = clock_timestamp()
            + make_interval(secs => coalesce((r.context ->> 'reviewSeconds')::integer, 1800))
    WHERE r.run_id = p_run_id;
    v_run := app.workflow_run_update(
        p_run_id, 'waiting_for_review', p_current_step => p_step_index,
        p_step_name => p_step_name,
        p_message => format('%s %s ready for review', initcap(v_run.context #>> '{asset,kind}'),
                            v_asset_id));
    RETURN QUERY SELECT p_base_revision, true, v_run.status;
END
$$;

ALTER FUNCTION api.workflow_step_propose(p_run_id text, p_step_index integer, p_step_name text, p_asset jsonb, p_base_revision integer, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION api.workflow_step_propose(p_run_id text, p_step_index integer, p_step_name text, p_asset jsonb, p_base_revision integer, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) IS 'A worker records the last step of a regeneration run, once: the proposed asset (same id) made from revision p_base_revision, kept on the run and not applied; the run waits for review until its review time passes. A recorded step returns applied = false. PT404, PT409 cancelled/finished/out of order, PT422 not a regeneration step, wrong id or missing asset.';

CREATE FUNCTION app.append_only_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('%s: append-only (%s refused)', TG_ARGV[0], lower(TG_OP));
END
$$;

ALTER FUNCTION app.append_only_guard() OWNER TO tutopanda_owner;

CREATE FUNCTION app.asset_section(p_kind text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE p_kind WHEN 'image' THEN 'images' WHEN 'narration' THEN 'narration'
                       WHEN 'music' THEN 'music' WHEN 'video' THEN 'videos' END;
$$;

ALTER FUNCTION app.asset_section(p_kind text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.conflict_draft_keep(p_lecture_id integer, p_user_id text, p_base_revision integer, p_conflict_revision integer, p_sections jsonb) RETURNS bigint
    LANGUAGE sql
    AS $$
    INSERT INTO app.conflict_drafts AS d
        (lecture_id, user_id, base_revision, conflict_revision, sections)
    VALUES (p_lecture_id, p_user_id, p_base_revision, p_conflict_revision, p_sections)
    RETURNING d.id;
$$;

ALTER FUNCTION app.conflict_draft_keep(p_lecture_id integer, p_user_id text, p_base_revision integer, p_conflict_revision integer, p_sections jsonb) OWNER TO tutopanda_owner;

CREATE TABLE app.conflict_drafts (
    id bigint NOT NULL,
    lecture_id integer NOT NULL,
    user_id text NOT NULL,
    base_revision integer NOT NULL,
    conflict_revision integer NOT NULL,
    sections jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    resolved_at timestamp with time zone,
    resolution text,
    resolved_revision integer,
    CONSTRAINT conflict_drafts_base_revision_check CHECK ((base_revision >= 0)),
    CONSTRAINT conflict_drafts_conflict_revision_check CHECK ((conflict_revision >= 0)),
    CONSTRAINT conflict_drafts_resolution_check CHECK ((resolution = ANY (ARRAY['applied'::text, 'merged'::text, 'discarded'::text, 'pruned'::text]))),
    CONSTRAINT conflict_drafts_resolved_together CHECK (((resolved_at IS NULL) = (resolution IS NULL))),
    CONSTRAINT conflict_drafts_sections_check CHECK ((jsonb_typeof(sections) = 'object'::text))
);

ALTER TABLE app.conflict_drafts OWNER TO tutopanda_owner;

COMMENT ON TABLE app.conflict_drafts IS 'Saves refused as conflicts, kept until their owner applies (merges) or discards them.';

CREATE FUNCTION app.conflict_draft_owned(p_user_id text, p_lecture_id integer, p_draft_id bigint) RETURNS app.conflict_drafts
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_draft app.conflict_drafts;
BEGIN
    SELECT d.* INTO v_draft FROM app.conflict_drafts_of(p_user_id, p_lecture_id, p_draft_id) AS d;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('draft %s not found', p_draft_id);
    END IF;
    RETURN v_draft;
END
$$;

ALTER FUNCTION app.conflict_draft_owned(p_user_id text, p_lecture_id integer, p_draft_id bigint) OWNER TO tutopanda_owner;

CREATE FUNCTION app.conflict_draft_resolve(p_draft_id bigint, p_resolution text, p_revision integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_draft_id IS NOT NULL THEN
        UPDATE app.conflict_drafts AS d
        SET resolved_at = clock_timestamp(), resolution = p_resolution,
            resolved_revision = p_revision
        WHERE d.id = p_draft_id AND d.resolved_at IS NULL;
    END IF;
END
$$;

ALTER FUNCTION app.conflict_draft_resolve(p_draft_id bigint, p_resolution text, p_revision integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.conflict_drafts_of(p_user_id text, p_lecture_id integer, p_draft_id bigint DEFAULT NULL::bigint) RETURNS SETOF app.conflict_drafts
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_oversees boolean;
BEGIN
    PERFORM app.lecture_owned(p_user_id, p_lecture_id);
    SELECT app.member_may(p_user_id, l.project_id, 'oversee') INTO v_oversees
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    RETURN QUERY
    SELECT d.* FROM app.conflict_drafts AS d
    WHERE d.lecture_id = p_lecture_id AND d.resolved_at IS NULL
      AND (p_draft_id IS NULL OR d.id = p_draft_id)
      AND (v_oversees OR d.user_id = p_user_id);
END
$$;

ALTER FUNCTION app.conflict_drafts_of(p_user_id text, p_lecture_id integer, p_draft_id bigint) OWNER TO tutopanda_owner;

CREATE FUNCTION app.history_delta(p_old jsonb, p_changes jsonb, p_hashes jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_section text;
    v_delta jsonb := '[]';
    v_part jsonb;
BEGIN
    FOR v_section IN SELECT k FROM jsonb_object_keys(p_changes) AS k ORDER BY k LOOP
        v_part := NULL;
        IF p_old ? v_section THEN
            v_part := coalesce(jsonb_agg(d), '[]')
                FROM app.json_delta(p_old -> v_section, p_changes -> v_section, ARRAY[v_section]) AS d;
            IF audit.section_hash(app.json_apply(p_old, v_part) -> v_section)
               IS DISTINCT FROM p_hashes ->> v_section THEN
                v_part := NULL;
            END IF;
        END IF;
        v_delta := v_delta || coalesce(v_part, jsonb_build_array(jsonb_build_object(
            'p', jsonb_build_array(v_section), 'v', p_changes -> v_section)));
    END LOOP;
    RETURN v_delta;
END
$$;

ALTER FUNCTION app.history_delta(p_old jsonb, p_changes jsonb, p_hashes jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.history_head(p_lecture_id integer, p_revision integer) RETURNS bytea
    LANGUAGE sql STABLE
    AS $$
    SELECT r.hash FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision = p_revision;
$$;

ALTER FUNCTION app.history_head(p_lecture_id integer, p_revision integer) OWNER TO tutopanda_owner;

CREATE TABLE app.video_lectures (
    id integer NOT NULL,
    project_id integer NOT NULL,
    title text DEFAULT 'Untitled Lecture'::text NOT NULL,
    prompt text,
    summary text,
    script jsonb,
    images jsonb,
    narration jsonb,
    videos jsonb,
    music jsonb,
    effects jsonb,
    timeline jsonb,
    revision integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    progress_seq integer DEFAULT 0 NOT NULL,
    section_digests bytea,
    history_hash bytea,
    keyframe_revision integer,
    CONSTRAINT video_lectures_revision_not_negative CHECK ((revision >= 0))
);

ALTER TABLE app.video_lectures OWNER TO tutopanda_owner;

COMMENT ON COLUMN app.video_lectures.progress_seq IS 'The number of the lecture''s last numbered event: a workflow run event (app.workflow_run_events.seq) or a member removal (app.member_removal_events.seq).';

COMMENT ON COLUMN app.video_lectures.section_digests IS 'The first 16 bytes of audit.section_hash of each section of the current content, in the order of app.lecture_sections() (16 bytes a section): what a save compares to find changes.';

COMMENT ON COLUMN app.video_lectures.history_hash IS 'The hash of the lecture''s last history row.';

COMMENT ON COLUMN app.video_lectures.keyframe_revision IS 'The last revision whose history row stores the full content.';

CREATE FUNCTION app.history_start(p_lecture app.video_lectures, p_actor text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_content jsonb := app.lecture_content(p_lecture);
    v_hash bytea := audit.revision_hash_v2(NULL, p_lecture.id, p_lecture.revision,
                                           app.section_hashes(v_content),
                                           p_actor, 'app', NULL, '{}', false, NULL, NULL,
                                           p_lecture.updated_at);
BEGIN
    INSERT INTO app.lecture_revisions AS r
        (lecture_id, revision, data, created_by, source, changed_sections, created_at, hash)
    VALUES (p_lecture.id, p_lecture.revision, v_content, p_actor, 'app', '{}',
            p_lecture.updated_at, v_hash);
    UPDATE app.video_lectures AS l
    SET section_digests = app.section_digests(v_content), history_hash = v_hash,
        keyframe_revision = p_lecture.revision
    WHERE l.id = p_lecture.id;
END
$$;

ALTER FUNCTION app.history_start(p_lecture app.video_lectures, p_actor text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.history_walk(p_lecture_id integer) RETURNS TABLE(revision integer, hash bytea, content_intact boolean, link_intact boolean, sequence_intact boolean)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_row app.lecture_revisions;
    v_state jsonb;  -- the content after the previous row
    v_content jsonb;
    v_covered text[];
    v_consistent boolean;
    v_expected bytea;
    v_previous app.lecture_revisions;
BEGIN
    FOR v_row IN SELECT r.* FROM app.lecture_revisions AS r
                 WHERE r.lecture_id = p_lecture_id ORDER BY r.revision LOOP
        v_content := coalesce(v_row.data, app.json_apply(v_state, v_row.delta));
        v_covered := CASE WHEN v_state IS NULL OR v_previous.hash_version = 1
                          THEN ARRAY(SELECT s.name FROM app.lecture_sections() AS s)
                          ELSE v_row.changed_sections END;
        v_consistent := NOT EXISTS (  -- nothing outside the covered sections moved
            SELECT FROM app.lecture_sections() AS s
            WHERE v_row.hash_version = 2 AND v_state IS NOT NULL AND NOT s.name = ANY (v_covered)
              AND (v_state -> s.name)::text IS DISTINCT FROM (v_content -> s.name)::text);
        v_expected := CASE WHEN v_row.hash_version = 1 THEN audit.revision_hash(
                v_row.prev_hash, v_row.lecture_id, v_row.revision, v_row.data, v_row.created_by,
                v_row.source, v_row.run_id, v_row.changed_sections, v_row.forced,
                v_row.restored_from, v_row.created_at)
            ELSE audit.revision_hash_v2(
                v_row.prev_hash, v_row.lecture_id, v_row.revision,
                (SELECT jsonb_object_agg(k, audit.section_hash(coalesce(v_content -> k, 'null')))
                 FROM unnest(v_covered) AS k),
                v_row.created_by, v_row.source, v_row.run_id, v_row.changed_sections, v_row.forced,
                v_row.restored_from, v_row.merged_base, v_row.created_at) END;
        revision := v_row.revision;
        hash := v_row.hash;
        content_intact := v_consistent AND v_expected IS NOT DISTINCT FROM v_row.hash;
        link_intact := v_row.prev_hash IS NOT DISTINCT FROM v_previous.hash;
        sequence_intact := coalesce(v_row.revision = v_previous.revision + 1, v_row.revision = 0);
        RETURN NEXT;
        v_state := v_content;
        v_previous := v_row;
    END LOOP;
END
$$;

ALTER FUNCTION app.history_walk(p_lecture_id integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.json_apply(p_document jsonb, p_operations jsonb) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
    v_operation jsonb;
BEGIN
    IF jsonb_typeof(p_operations) = 'object' THEN
        RETURN p_document || p_operations;
    END IF;
    FOR v_operation IN SELECT o.value FROM jsonb_array_elements(p_operations) AS o LOOP
        IF v_operation ? 'v' THEN
            p_document := jsonb_set(p_document,
                                    ARRAY(SELECT jsonb_array_elements_text(v_operation -> 'p')),
                                    v_operation -> 'v');
        ELSE
            p_document := p_document #- ARRAY(SELECT jsonb_array_elements_text(v_operation -> 'p'));
        END IF;
    END LOOP;
    RETURN p_document;
END
$$;

ALTER FUNCTION app.json_apply(p_document jsonb, p_operations jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.json_delta(p_before jsonb, p_after jsonb, p_path text[]) RETURNS SETOF jsonb
    LANGUAGE plpgsql IMMUTABLE
    AS $$
DECLARE
    v_key text;
BEGIN
    IF jsonb_typeof(p_before) = 'object' AND jsonb_typeof(p_after) = 'object' THEN
        RETURN QUERY SELECT jsonb_build_object('p', to_jsonb(p_path || b.key))
            FROM jsonb_object_keys(p_before) AS b (key) WHERE NOT p_after ? b.key;
        FOR v_key IN SELECT a.key FROM jsonb_each(p_after) AS a
                     WHERE (p_before -> a.key) IS DISTINCT FROM a.value LOOP
            IF p_before ? v_key THEN
                RETURN QUERY SELECT * FROM app.json_delta(p_before -> v_key, p_after -> v_key,
                                                          p_path || v_key);
            ELSE
                RETURN NEXT jsonb_build_object('p', to_jsonb(p_path || v_key), 'v', p_after -> v_key);
            END IF;
        END LOOP;
    ELSIF jsonb_typeof(p_before) = 'array' AND jsonb_typeof(p_after) = 'array'
          AND jsonb_array_length(p_before) = jsonb_array_length(p_after) THEN
        FOR v_key IN SELECT i::text FROM generate_series(0, jsonb_array_length(p_after) - 1) AS i
                     WHERE p_before -> i <> p_after -> i LOOP
            RETURN QUERY SELECT * FROM app.json_delta(p_before -> v_key::integer,
                                                      p_after -> v_key::integer, p_path || v_key);
        END LOOP;
    ELSE
        RETURN NEXT jsonb_build_object('p', to_jsonb(p_path), 'v', p_after);
    END IF;
END
$$;

ALTER FUNCTION app.json_delta(p_before jsonb, p_after jsonb, p_path text[]) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_asset(p_content jsonb, p_section text, p_asset_id text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT a.value
    FROM jsonb_array_elements(CASE jsonb_typeof(p_content -> p_section)
                                  WHEN 'array' THEN p_content -> p_section END) AS a
    WHERE a.value ->> 'id' = p_asset_id
    LIMIT 1;
$$;

ALTER FUNCTION app.lecture_asset(p_content jsonb, p_section text, p_asset_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_content(p_lecture app.video_lectures) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object(
        'title', p_lecture.title,
        'summary', p_lecture.summary,
        'script', p_lecture.script,
        'images', p_lecture.images,
        'videos', p_lecture.videos,
        'narration', p_lecture.narration,
        'music', p_lecture.music,
        'effects', p_lecture.effects,
        'timeline', p_lecture.timeline
    );
$$;

ALTER FUNCTION app.lecture_content(p_lecture app.video_lectures) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.lecture_content(p_lecture app.video_lectures) IS 'GENERATED from app.lecture_sections() (sql/schema/095_lecture_sections.sql).';

CREATE FUNCTION app.lecture_contents(p_lecture_id integer) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN (SELECT app.lecture_content(l) FROM app.video_lectures AS l WHERE l.id = p_lecture_id);
END
$$;

ALTER FUNCTION app.lecture_contents(p_lecture_id integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_owned(p_user_id text, p_lecture_id integer, p_lock boolean DEFAULT false, p_action text DEFAULT 'write'::text) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_revision integer;
BEGIN
    IF p_lock THEN
        SELECT l.revision INTO v_revision FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id AND app.project_allows(p_user_id, l.project_id, p_action) FOR UPDATE;
    ELSE
        SELECT l.revision INTO v_revision FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id AND app.project_allows(p_user_id, l.project_id, p_action);
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
    END IF;
    RETURN v_revision;
END
$$;

ALTER FUNCTION app.lecture_owned(p_user_id text, p_lecture_id integer, p_lock boolean, p_action text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_section_count() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT 9;
$$;

ALTER FUNCTION app.lecture_section_count() OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.lecture_section_count() IS 'GENERATED from app.lecture_sections() (sql/schema/095_lecture_sections.sql).';

CREATE FUNCTION app.lecture_section_slot(p_name text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE p_name
        WHEN 'title' THEN 0
        WHEN 'summary' THEN 1
        WHEN 'script' THEN 2
        WHEN 'images' THEN 3
        WHEN 'videos' THEN 4
        WHEN 'narration' THEN 5
        WHEN 'music' THEN 6
        WHEN 'effects' THEN 7
        WHEN 'timeline' THEN 8
    END;
$$;

ALTER FUNCTION app.lecture_section_slot(p_name text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.lecture_section_slot(p_name text) IS 'GENERATED from app.lecture_sections() (sql/schema/095_lecture_sections.sql).';

CREATE FUNCTION app.lecture_section_types(p_name text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE p_name
        WHEN 'title' THEN ARRAY['string']
        WHEN 'summary' THEN ARRAY['string', 'null']
        WHEN 'script' THEN ARRAY['object', 'null']
        WHEN 'images' THEN ARRAY['array', 'null']
        WHEN 'videos' THEN ARRAY['array', 'null']
        WHEN 'narration' THEN ARRAY['array', 'null']
        WHEN 'music' THEN ARRAY['array', 'null']
        WHEN 'effects' THEN ARRAY['array', 'null']
        WHEN 'timeline' THEN ARRAY['object', 'null']
    END;
$$;

ALTER FUNCTION app.lecture_section_types(p_name text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.lecture_section_types(p_name text) IS 'GENERATED from app.lecture_sections() (sql/schema/095_lecture_sections.sql).';

CREATE FUNCTION app.lecture_sections() RETURNS TABLE(name text, json_types text[])
    LANGUAGE sql IMMUTABLE
    AS $$
    VALUES ('title', ARRAY['string']),
           ('summary', ARRAY['string', 'null']),
           ('script', ARRAY['object', 'null']),
           ('images', ARRAY['array', 'null']),
           ('videos', ARRAY['array', 'null']),
           ('narration', ARRAY['array', 'null']),
           ('music', ARRAY['array', 'null']),
           ('effects', ARRAY['array', 'null']),
           ('timeline', ARRAY['object', 'null']);
$$;

ALTER FUNCTION app.lecture_sections() OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_sections_changed(p_lecture_id integer, p_after integer, p_until integer, p_names text[]) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN EXISTS (SELECT FROM app.lecture_revisions AS r
                   WHERE r.lecture_id = p_lecture_id AND r.revision > p_after
                     AND r.revision <= p_until AND r.changed_sections && p_names);
END
$$;

ALTER FUNCTION app.lecture_sections_changed(p_lecture_id integer, p_after integer, p_until integer, p_names text[]) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_sections_of(p_lecture_id integer, p_names text[]) RETURNS jsonb
    LANGUAGE plpgsql
    AS $$
BEGIN
    RETURN (SELECT jsonb_object_agg(n.name, coalesce(CASE n.name
            WHEN 'title' THEN to_jsonb(l.title)
            WHEN 'summary' THEN to_jsonb(l.summary)
            WHEN 'script' THEN to_jsonb(l.script)
            WHEN 'images' THEN to_jsonb(l.images)
            WHEN 'videos' THEN to_jsonb(l.videos)
            WHEN 'narration' THEN to_jsonb(l.narration)
            WHEN 'music' THEN to_jsonb(l.music)
            WHEN 'effects' THEN to_jsonb(l.effects)
            WHEN 'timeline' THEN to_jsonb(l.timeline)
        END, 'null'))
        FROM app.video_lectures AS l, unnest(p_names) AS n (name)
        WHERE l.id = p_lecture_id);
END
$$;

ALTER FUNCTION app.lecture_sections_of(p_lecture_id integer, p_names text[]) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.lecture_sections_of(p_lecture_id integer, p_names text[]) IS 'GENERATED from app.lecture_sections() (sql/schema/095_lecture_sections.sql).';

CREATE FUNCTION app.lecture_sections_refuse(p_sections jsonb, p_key text, p_type text, p_expected text[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_sections IS NULL OR jsonb_typeof(p_sections) <> 'object' OR p_sections = '{}' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'sections must be a non-empty JSON object';
    ELSIF p_expected IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = format('unknown section %I', p_key),
            HINT = 'sections: ' || (SELECT string_agg(s.name, ', ') FROM app.lecture_sections() AS s);
    ELSIF p_key = 'title' AND p_type = 'string' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'title must be 1 to 500 characters';
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT422',
        MESSAGE = format('section %I must be %s, not %s', p_key, array_to_string(p_expected, ' or '),
                         p_type);
END
$$;

ALTER FUNCTION app.lecture_sections_refuse(p_sections jsonb, p_key text, p_type text, p_expected text[]) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_snapshot(p_lecture app.video_lectures) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT app.lecture_content(p_lecture) || jsonb_build_object(
        'id', p_lecture.id, 'projectId', p_lecture.project_id,
        'revision', p_lecture.revision, 'updatedAt', p_lecture.updated_at);
$$;

ALTER FUNCTION app.lecture_snapshot(p_lecture app.video_lectures) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_store(p_lecture_id integer, p_changes jsonb, p_revision integer, p_updated_at timestamp with time zone, p_section_digests bytea, p_history_hash bytea, p_keyframe_revision integer) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE app.video_lectures AS l SET
        title = CASE WHEN p_changes ? 'title' THEN p_changes ->> 'title'
            ELSE l.title END,
        summary = CASE WHEN p_changes ? 'summary' THEN p_changes ->> 'summary'
            ELSE l.summary END,
        script = CASE WHEN p_changes ? 'script' THEN nullif(p_changes -> 'script', 'null')
            ELSE l.script END,
        images = CASE WHEN p_changes ? 'images' THEN nullif(p_changes -> 'images', 'null')
            ELSE l.images END,
        videos = CASE WHEN p_changes ? 'videos' THEN nullif(p_changes -> 'videos', 'null')
            ELSE l.videos END,
        narration = CASE WHEN p_changes ? 'narration' THEN nullif(p_changes -> 'narration', 'null')
            ELSE l.narration END,
        music = CASE WHEN p_changes ? 'music' THEN nullif(p_changes -> 'music', 'null')
            ELSE l.music END,
        effects = CASE WHEN p_changes ? 'effects' THEN nullif(p_changes -> 'effects', 'null')
            ELSE l.effects END,
        timeline = CASE WHEN p_changes ? 'timeline' THEN nullif(p_changes -> 'timeline', 'null')
            ELSE l.timeline END,
        revision = p_revision, updated_at = p_updated_at, section_digests = p_section_digests,
        history_hash = p_history_hash, keyframe_revision = p_keyframe_revision
    WHERE l.id = p_lecture_id AND l.revision = p_revision - 1;
    RETURN FOUND;
END
$$;

ALTER FUNCTION app.lecture_store(p_lecture_id integer, p_changes jsonb, p_revision integer, p_updated_at timestamp with time zone, p_section_digests bytea, p_history_hash bytea, p_keyframe_revision integer) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.lecture_store(p_lecture_id integer, p_changes jsonb, p_revision integer, p_updated_at timestamp with time zone, p_section_digests bytea, p_history_hash bytea, p_keyframe_revision integer) IS 'GENERATED from app.lecture_sections() (sql/schema/095_lecture_sections.sql).';

CREATE FUNCTION app.lecture_write(p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer, p_force boolean, p_actor text, p_source text, p_run_id text DEFAULT NULL::text, p_restored_from integer DEFAULT NULL::integer, p_keep_draft boolean DEFAULT false, p_base_content_of integer DEFAULT NULL::integer, p_merged_base integer DEFAULT NULL::integer, p_resolves_draft bigint DEFAULT NULL::bigint, p_resolution text DEFAULT NULL::text, p_unchanged_since integer DEFAULT NULL::integer) RETURNS api.lecture_save_result
    LANGUAGE plpgsql
    AS $$
DECLARE
    v record;
    v_stored bytea;  -- the section digests of the content read, then of the content written
    v_slot integer;
    v_digest bytea;
    v_key text;
    v_value jsonb;
    v_types text[];
    v_hash_of text;
    v_changes jsonb;
    v_changed text[];
    v_hashes jsonb;
    v_large text[];
    v_unchanged text[];
    v_next integer;
    v_at timestamptz;
    v_keyframe boolean;
    v_forced boolean;
    v_old jsonb;
    v_prev bytea;
    v_hash bytea;
BEGIN
    IF p_sections IS NULL OR jsonb_typeof(p_sections) <> 'object' OR p_sections = '{}' THEN
        PERFORM app.lecture_sections_refuse(p_sections, NULL, NULL, NULL);
    END IF;
    FOR v_attempt IN 1 .. app.write_attempts() LOOP
        SELECT l.revision, l.updated_at, l.history_hash, l.keyframe_revision, l.section_digests
        INTO v FROM app.video_lectures AS l
        WHERE l.id = p_lecture_id
          AND (p_user_id IS NULL OR app.project_allows(p_user_id, l.project_id, 'write'));
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('lecture %s not found', p_lecture_id);
        END IF;
        -- One pass over the sent sections: refuse what cannot be stored, keep what differs from
        -- the stored content (by hash, so text-exact). Simple expressions only: no query each.
        v_stored := v.section_digests;
        IF octet_length(v_stored) IS DISTINCT FROM 16 * app.lecture_section_count() THEN
            v_stored := app.section_digests(app.lecture_contents(p_lecture_id));  -- first save
        END IF;
        v_hashes := '{}';
        v_changed := '{}';
        v_unchanged := '{}';
        v_large := NULL;
        FOR v_key, v_value IN SELECT e.key, e.value FROM jsonb_each(p_sections) AS e ORDER BY e.key LOOP
            v_types := app.lecture_section_types(v_key);
            IF v_types IS NULL OR NOT jsonb_typeof(v_value) = ANY (v_types)
               OR (v_key = 'title' AND length(v_value #>> '{}') NOT BETWEEN 1 AND 500) THEN
                PERFORM app.lecture_sections_refuse(p_sections, v_key, jsonb_typeof(v_value), v_types);
            END IF;
            v_hash_of := audit.section_hash(v_value);
            v_digest := decode(left(v_hash_of, 32), 'hex');
            v_slot := 16 * app.lecture_section_slot(v_key);
            IF substring(v_stored FROM v_slot + 1 FOR 16) = v_digest THEN
                v_unchanged := v_unchanged || v_key;
                CONTINUE;
            END IF;
            v_stored := overlay(v_stored PLACING v_digest FROM v_slot + 1 FOR 16);
            v_hashes := v_hashes || jsonb_build_object(v_key, v_hash_of);
            v_changed := v_changed || v_key;
            IF pg_column_size(v_value) > 4096 THEN
                v_large := v_large || v_key;
            END IF;
        END LOOP;
        -- Usually every sent section changed: then the changes are what was sent, not a copy.
        v_changes := CASE WHEN cardinality(v_unchanged) = 0 THEN p_sections
                          ELSE p_sections - v_unchanged END;
        IF (p_base_revision <> v.revision AND NOT p_force)
           OR (p_unchanged_since < v.revision  -- decided on the revision read, like the write
               AND app.lecture_sections_changed(p_lecture_id, p_unchanged_since, v.revision,
                                                v_changed || v_unchanged)) THEN
            RETURN app.lecture_write_refused(p_lecture_id, p_user_id, p_sections, p_base_revision,
                                             p_keep_draft, p_base_content_of, p_resolves_draft);
        ELSIF cardinality(v_changed) = 0 THEN
            IF p_resolves_draft IS NOT NULL THEN  -- most saves resolve none: no call
                PERFORM app.conflict_draft_resolve(p_resolves_draft, p_resolution, v.revision);
            END IF;
            RETURN ('saved', v.revision, v.updated_at, '{}', NULL, NULL, NULL)::api.lecture_save_result;
        END IF;
        v_next := v.revision + 1;
        v_at := clock_timestamp();
        v_forced := coalesce(p_base_revision <> v.revision AND p_force, false);
        v_keyframe := v_next - v.keyframe_revision < 32 IS NOT TRUE;
        IF NOT v_keyframe AND v_large IS NOT NULL THEN
            v_old := app.lecture_sections_of(p_lecture_id, v_large);  -- before they are replaced
        END IF;
        v_prev := coalesce(v.history_hash, app.history_head(p_lecture_id, v.revision));
        v_hash := audit.revision_hash_v2(
            v_prev, p_lecture_id, v_next,
            CASE WHEN v.history_hash IS NULL  -- the first row after version-1 rows covers all
                 THEN app.section_hashes(app.lecture_contents(p_lecture_id) || v_changes)
                 ELSE v_hashes END,
            p_actor, p_source, p_run_id, v_changed, v_forced, p_restored_from, p_merged_base, v_at);
        IF app.lecture_store(p_lecture_id, v_changes, v_next, v_at, v_stored, v_hash,
                             CASE WHEN v_keyframe THEN v_next ELSE v.keyframe_revision END) THEN
            INSERT INTO app.lecture_revisions AS r
                (lecture_id, revision, data, delta, created_by, source, run_id, changed_sections,
                 forced, restored_from, merged_base, created_at, prev_hash, hash)
            VALUES (p_lecture_id, v_next,
                    CASE WHEN v_keyframe THEN app.lecture_contents(p_lecture_id) END,
                    CASE WHEN v_keyframe THEN NULL WHEN v_large IS NULL THEN v_changes
                         ELSE app.history_delta(v_old, v_changes, v_hashes) END,
                    p_actor, p_source, p_run_id, v_changed, v_forced, p_restored_from,
                    p_merged_base, v_at, v_prev, v_hash);
            IF p_resolves_draft IS NOT NULL THEN  -- most saves resolve none: no call
                PERFORM app.conflict_draft_resolve(p_resolves_draft, p_resolution, v_next);
            END IF;
            RETURN ('saved', v_next, v_at, v_changed, NULL, NULL, NULL)::api.lecture_save_result;
        END IF;
    END LOOP;
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('lecture %s: other writers came first %s times in a row; nothing written',
                         p_lecture_id, app.write_attempts()),
        HINT = 'try again (the retry policy: docs/merge.md)';
END
$$;

ALTER FUNCTION app.lecture_write(p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer, p_force boolean, p_actor text, p_source text, p_run_id text, p_restored_from integer, p_keep_draft boolean, p_base_content_of integer, p_merged_base integer, p_resolves_draft bigint, p_resolution text, p_unchanged_since integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.lecture_write_refused(p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer, p_keep_draft boolean, p_base_content_of integer, p_resolves_draft bigint) RETURNS api.lecture_save_result
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_result api.lecture_save_result;
BEGIN
    -- The snapshot is read by a statement of its own, which may see a writer that committed
    -- since app.lecture_write read the row: its revision is the one to report.
    SELECT 'conflict', l.revision, l.updated_at, '{}', app.lecture_snapshot(l)
    INTO v_result.status, v_result.revision, v_result.updated_at, v_result.changed_sections,
         v_result.lecture
    FROM app.video_lectures AS l WHERE l.id = p_lecture_id;
    v_result.draft_id := CASE WHEN p_keep_draft
                              THEN app.conflict_draft_keep(p_lecture_id, p_user_id, p_base_revision,
                                                           v_result.revision, p_sections)
                              ELSE p_resolves_draft END;
    v_result.base := app.revision_content(p_lecture_id, p_base_content_of);
    RETURN v_result;
END
$$;

ALTER FUNCTION app.lecture_write_refused(p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer, p_keep_draft boolean, p_base_content_of integer, p_resolves_draft bigint) OWNER TO tutopanda_owner;

CREATE FUNCTION app.member_may(p_user_id text, p_project_id integer, p_action text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT EXISTS (SELECT FROM app.project_members AS m
                   WHERE m.project_id = p_project_id AND m.user_id = p_user_id
                     AND app.role_allows(m.role, p_action));
$$;

ALTER FUNCTION app.member_may(p_user_id text, p_project_id integer, p_action text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.project_allows(p_user_id text, p_project_id integer, p_action text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE  -- PL/pgSQL, not SQL: its plan is cached for the session (it runs inside every write)
    v_role text;
BEGIN
    SELECT m.role INTO v_role FROM app.project_members AS m
    WHERE m.project_id = p_project_id AND m.user_id = p_user_id;
    IF v_role IS NULL THEN
        RETURN false;
    ELSIF app.role_allows(v_role, p_action) THEN
        RETURN true;
    ELSIF app.role_allows(v_role, p_action) IS NULL THEN
        RAISE EXCEPTION 'unknown action %', p_action;  -- a bug: no SQLSTATE of ours
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT403',
        MESSAGE = format('a%s %s of project %s may not %s', CASE v_role WHEN 'owner' THEN 'n' ELSE '' END,
                         v_role, p_project_id,
                         CASE p_action WHEN 'write' THEN 'change it' ELSE 'change its members' END),
        HINT = CASE p_action WHEN 'write' THEN 'an editor or an owner may' ELSE 'an owner may' END;
END
$$;

ALTER FUNCTION app.project_allows(p_user_id text, p_project_id integer, p_action text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.project_last_owner_refuse(p_project_id integer, p_member_id text, p_previous text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_previous = 'owner' AND NOT EXISTS (
        SELECT FROM app.project_members AS m
        WHERE m.project_id = p_project_id AND m.role = 'owner' AND m.user_id <> p_member_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'PTOWN',
            MESSAGE = format('%s is the last owner of project %s', p_member_id, p_project_id),
            HINT = 'make another member an owner first';
    END IF;
END
$$;

ALTER FUNCTION app.project_last_owner_refuse(p_project_id integer, p_member_id text, p_previous text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.project_member_removal_events(p_project_id integer, p_change_id bigint) RETURNS void
    LANGUAGE sql
    AS $$
    WITH lecture AS (
        UPDATE app.video_lectures AS l SET progress_seq = l.progress_seq + 1
        WHERE l.project_id = p_project_id
        RETURNING l.id, l.progress_seq, l.revision
    )
    INSERT INTO app.member_removal_events AS e (lecture_id, seq, revision, change_id)
    SELECT lecture.id, lecture.progress_seq, lecture.revision, p_change_id FROM lecture;
$$;

ALTER FUNCTION app.project_member_removal_events(p_project_id integer, p_change_id bigint) OWNER TO tutopanda_owner;

CREATE FUNCTION app.project_member_write(p_project_id integer, p_member_id text, p_role text, p_previous text, p_actor text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_change bigint;
BEGIN
    IF p_role IS NULL THEN
        DELETE FROM app.project_members AS m
        WHERE m.project_id = p_project_id AND m.user_id = p_member_id;
    ELSE
        INSERT INTO app.project_members AS m (project_id, user_id, role, added_by)
        VALUES (p_project_id, p_member_id, p_role, p_actor)
        ON CONFLICT (project_id, user_id)
            DO UPDATE SET role = excluded.role, updated_at = clock_timestamp();
    END IF;
    INSERT INTO app.project_member_changes AS c (project_id, user_id, role, previous_role,
                                                 changed_by, changed_at)
    VALUES (p_project_id, p_member_id, p_role, p_previous, p_actor, clock_timestamp())
    RETURNING c.id INTO v_change;
    IF p_role IS NULL THEN
        PERFORM app.project_member_removal_events(p_project_id, v_change);
    END IF;
END
$$;

ALTER FUNCTION app.project_member_write(p_project_id integer, p_member_id text, p_role text, p_previous text, p_actor text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.project_members_lock(p_user_id text, p_project_id integer, p_member_id text) RETURNS text
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF app.project_allows(p_user_id, p_project_id, 'share') THEN
        PERFORM FROM app.projects AS p WHERE p.id = p_project_id FOR NO KEY UPDATE;
        IF app.project_allows(p_user_id, p_project_id, 'share') THEN
            RETURN (SELECT m.role FROM app.project_members AS m
                    WHERE m.project_id = p_project_id AND m.user_id = p_member_id);
        END IF;
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('project %s not found', p_project_id);
END
$$;

ALTER FUNCTION app.project_members_lock(p_user_id text, p_project_id integer, p_member_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.quota_active_runs(p_user_id text, p_limit integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_active integer;
BEGIN
    PERFORM app.quota_lock(p_user_id, 'active_runs', p_limit);
    SELECT count(*) INTO v_active
    FROM (SELECT FROM app.workflow_runs AS r
          WHERE r.user_id = p_user_id AND app.workflow_run_active(r.status)
          LIMIT p_limit) AS active;
    IF v_active >= p_limit THEN
        -- When a run ends is unknown here: a generation takes about this long.
        PERFORM app.quota_refuse(
            'active_runs', p_limit, 30,
            format('%s workflow runs are active: the most one user may have at once', p_limit),
            'wait for one to finish, or cancel one');
    END IF;
END
$$;

ALTER FUNCTION app.quota_active_runs(p_user_id text, p_limit integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.quota_lock(p_user_id text, p_quota text, p_limit integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('the %s quota must be at least 1', p_quota);
    END IF;
    PERFORM pg_catalog.pg_advisory_xact_lock(hashtext('tutopanda:quota'), hashtext(p_user_id));
END
$$;

ALTER FUNCTION app.quota_lock(p_user_id text, p_quota text, p_limit integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.quota_projects_per_hour(p_user_id text, p_limit integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_frees_at timestamptz;
BEGIN
    PERFORM app.quota_lock(p_user_id, 'projects_per_hour', p_limit);
    -- The p_limit-th newest project of the hour: while it is in the window, the limit is reached.
    SELECT p.created_at + interval '1 hour' INTO v_frees_at
    FROM app.projects AS p
    WHERE p.created_by = p_user_id AND p.created_at > now() - interval '1 hour'
    ORDER BY p.created_at DESC
    OFFSET p_limit - 1 LIMIT 1;
    IF FOUND THEN
        PERFORM app.quota_refuse(
            'projects_per_hour', p_limit, ceil(extract(epoch FROM v_frees_at - now()))::integer,
            format('%s projects in an hour: the most one user may create', p_limit),
            'wait until the oldest of them is an hour old');
    END IF;
END
$$;

ALTER FUNCTION app.quota_projects_per_hour(p_user_id text, p_limit integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.quota_refuse(p_quota text, p_limit integer, p_retry_after integer, p_message text, p_hint text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT429', MESSAGE = p_message, HINT = p_hint,
        DETAIL = jsonb_build_object('quota', p_quota, 'limit', p_limit,
                                    'retryAfter', greatest(p_retry_after, 1))::text;
END
$$;

ALTER FUNCTION app.quota_refuse(p_quota text, p_limit integer, p_retry_after integer, p_message text, p_hint text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.retention_guard() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'PT409',
        MESSAGE = format('%s are never deleted: their history must outlive them (%s refused)',
                         replace(TG_TABLE_NAME, 'video_', ''), lower(TG_OP));
END
$$;

ALTER FUNCTION app.retention_guard() OWNER TO tutopanda_owner;

CREATE FUNCTION app.revision_content(p_lecture_id integer, p_revision integer) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
    v_keyframe integer;
    v_content jsonb;
    v_delta jsonb;
BEGIN
    SELECT r.revision, r.data INTO v_keyframe, v_content FROM app.lecture_revisions AS r
    WHERE r.lecture_id = p_lecture_id AND r.revision <= p_revision AND r.data IS NOT NULL
    ORDER BY r.revision DESC LIMIT 1;
    FOR v_delta IN SELECT r.delta FROM app.lecture_revisions AS r
                   WHERE r.lecture_id = p_lecture_id AND r.revision > v_keyframe
                     AND r.revision <= p_revision
                   ORDER BY r.revision LOOP
        v_content := app.json_apply(v_content, v_delta);
    END LOOP;
    RETURN CASE WHEN EXISTS (SELECT FROM app.lecture_revisions AS r WHERE r.lecture_id = p_lecture_id
                                AND r.revision = p_revision) THEN v_content END;
END
$$;

ALTER FUNCTION app.revision_content(p_lecture_id integer, p_revision integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.role_allows(p_role text, p_action text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE p_action
               WHEN 'read' THEN p_role IN ('owner', 'editor', 'viewer')
               WHEN 'write' THEN p_role IN ('owner', 'editor')
               WHEN 'share' THEN p_role = 'owner'
               WHEN 'oversee' THEN p_role = 'owner'
           END;
$$;

ALTER FUNCTION app.role_allows(p_role text, p_action text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION app.role_allows(p_role text, p_action text) IS 'Does a role (owner, editor, viewer) allow an action (read, write, share, oversee)? NULL for an unknown action.';

CREATE FUNCTION app.section_digests(p_content jsonb) RETURNS bytea
    LANGUAGE sql STABLE
    AS $$
    SELECT string_agg(decode(left(audit.section_hash(coalesce(p_content -> s.name, 'null')), 32),
                             'hex'), ''::bytea ORDER BY s.position)
    FROM app.lecture_sections() WITH ORDINALITY AS s (name, json_types, position);
$$;

ALTER FUNCTION app.section_digests(p_content jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.section_hashes(p_content jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_object_agg(s.name, audit.section_hash(coalesce(p_content -> s.name, 'null')))
    FROM app.lecture_sections() AS s;
$$;

ALTER FUNCTION app.section_hashes(p_content jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer) RETURNS bigint
    LANGUAGE sql
    SET search_path TO 'procrastinate', 'pg_catalog', 'pg_temp'
    AS $$
    SELECT (procrastinate.procrastinate_defer_jobs_v1(ARRAY[ROW(
        t.queue_name, t.task_name, 0, NULL, NULL,
        jsonb_build_object('run_id', p_run_id, 'step_index', p_step_index), NULL
    )::procrastinate.procrastinate_job_to_defer_v1]))[1]
    FROM app.workflow_step_task() AS t;
$$;

ALTER FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer) OWNER TO tutopanda_owner;

CREATE TABLE app.workflow_runs (
    run_id text NOT NULL,
    lecture_id integer NOT NULL,
    user_id text NOT NULL,
    kind text NOT NULL,
    status text DEFAULT 'queued'::text NOT NULL,
    current_step integer DEFAULT 0 NOT NULL,
    total_steps integer DEFAULT 0 NOT NULL,
    context jsonb DEFAULT '{}'::jsonb NOT NULL,
    error text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    original_run_id text,
    attempt integer DEFAULT 1 NOT NULL,
    proposal jsonb,
    proposal_base jsonb,
    proposal_revision integer,
    review_expires_at timestamp with time zone,
    CONSTRAINT workflow_runs_attempt_check CHECK ((attempt >= 1)),
    CONSTRAINT workflow_runs_current_step_check CHECK ((current_step >= 0)),
    CONSTRAINT workflow_runs_run_id_is_uuid CHECK ((run_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'::text)),
    CONSTRAINT workflow_runs_status_check CHECK ((status = ANY (ARRAY['queued'::text, 'running'::text, 'waiting_for_review'::text, 'succeeded'::text, 'failed'::text, 'cancelled'::text, 'rejected'::text, 'expired'::text]))),
    CONSTRAINT workflow_runs_step_within_total CHECK ((current_step <= total_steps)),
    CONSTRAINT workflow_runs_total_steps_check CHECK ((total_steps >= 0))
);

ALTER TABLE app.workflow_runs OWNER TO tutopanda_owner;

COMMENT ON COLUMN app.workflow_runs.original_run_id IS 'The run this one repeats (a rerun or a resume of a failed generation), if any.';

COMMENT ON COLUMN app.workflow_runs.proposal IS 'A single-asset regeneration''s result, shown for review and applied only when accepted.';

COMMENT ON COLUMN app.workflow_runs.proposal_base IS 'The asset as it was at proposal_revision: an accept refuses when the lecture''s asset differs.';

COMMENT ON COLUMN app.workflow_runs.proposal_revision IS 'The lecture revision the proposal was made on: an accept merges onto newer ones.';

CREATE FUNCTION app.workflow_review_open(p_user_id text, p_run_id text) RETURNS app.workflow_runs
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_run app.workflow_runs := app.workflow_run_owned(p_run_id, p_user_id, p_lock => true);
BEGIN
    IF v_run.status <> 'waiting_for_review' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s is %s, not waiting for review', p_run_id,
                             v_run.status);
    ELSIF v_run.review_expires_at <= clock_timestamp() THEN
        PERFORM app.workflow_run_update(p_run_id, 'expired',
                                        p_error => 'the proposal was not reviewed in time');
        RETURN NULL;
    END IF;
    RETURN v_run;
END
$$;

ALTER FUNCTION app.workflow_review_open(p_user_id text, p_run_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_active(p_status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT p_status IN ('queued', 'running', 'waiting_for_review');
$$;

ALTER FUNCTION app.workflow_run_active(p_status text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_event(p_run app.workflow_runs, p_step_name text DEFAULT NULL::text, p_message text DEFAULT NULL::text, p_step_progress real DEFAULT NULL::real) RETURNS void
    LANGUAGE sql
    AS $$
    WITH lecture AS (
        UPDATE app.video_lectures AS l SET progress_seq = l.progress_seq + 1
        WHERE l.id = p_run.lecture_id
        RETURNING l.progress_seq, l.revision
    )
    INSERT INTO app.workflow_run_events AS e
        (run_id, lecture_id, seq, revision, status, current_step, total_steps, step_name, message,
         step_progress, error)
    SELECT p_run.run_id, p_run.lecture_id, lecture.progress_seq, lecture.revision, p_run.status,
           p_run.current_step, p_run.total_steps, p_step_name, p_message, p_step_progress,
           p_run.error
    FROM lecture;
$$;

ALTER FUNCTION app.workflow_run_event(p_run app.workflow_runs, p_step_name text, p_message text, p_step_progress real) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_insert(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb, p_max_active_runs integer, p_from_step integer DEFAULT 1, p_original_run_id text DEFAULT NULL::text) RETURNS text
    LANGUAGE plpgsql
    AS $_$
DECLARE
    v_run app.workflow_runs;
BEGIN
    IF p_kind IS NULL OR p_kind !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'workflow kind must be a lowercase name';
    ELSIF p_total_steps IS NULL OR p_total_steps NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'a workflow has 1 to 100 steps';
    ELSIF p_from_step IS NULL OR p_from_step NOT BETWEEN 1 AND p_total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('the first step must be between 1 and %s', p_total_steps);
    ELSIF jsonb_typeof(coalesce(p_context, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'workflow context must be an object';
    END IF;
    IF EXISTS (SELECT FROM app.workflow_runs AS r
               WHERE r.lecture_id = p_lecture_id AND app.workflow_run_active(r.status)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('lecture %s already has a workflow in progress', p_lecture_id),
            HINT = 'cancel it or wait for it to finish';
    END IF;
    PERFORM app.quota_active_runs(p_user_id, p_max_active_runs);
    INSERT INTO app.workflow_runs AS r
        (run_id, lecture_id, user_id, kind, total_steps, current_step, context, original_run_id,
         attempt)
    SELECT gen_random_uuid()::text, p_lecture_id, p_user_id, p_kind, p_total_steps,
           p_from_step - 1,
           jsonb_build_object('settings', coalesce(p.settings, '{}')) || coalesce(p_context, '{}'),
           p_original_run_id,
           coalesce((SELECT o.attempt + 1 FROM app.workflow_runs AS o
                     WHERE o.run_id = p_original_run_id), 1)
    FROM app.video_lectures AS l JOIN app.projects AS p ON p.id = l.project_id
    WHERE l.id = p_lecture_id
    RETURNING * INTO v_run;
    PERFORM app.workflow_enqueue_step(v_run.run_id, p_from_step);
    PERFORM app.workflow_run_event(v_run);
    RETURN v_run.run_id;
END
$_$;

ALTER FUNCTION app.workflow_run_insert(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb, p_max_active_runs integer, p_from_step integer, p_original_run_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_owned(p_run_id text, p_user_id text DEFAULT NULL::text, p_lock boolean DEFAULT false, p_action text DEFAULT 'write'::text) RETURNS app.workflow_runs
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    IF p_lock THEN
        SELECT r.* INTO v_run FROM app.workflow_runs AS r JOIN app.video_lectures AS l ON l.id = r.lecture_id
        WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR app.project_allows(p_user_id, l.project_id, p_action))
        FOR UPDATE OF r;
    ELSE
        SELECT r.* INTO v_run FROM app.workflow_runs AS r JOIN app.video_lectures AS l ON l.id = r.lecture_id
        WHERE r.run_id = p_run_id AND (p_user_id IS NULL OR app.project_allows(p_user_id, l.project_id, p_action));
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = format('workflow run %s not found', p_run_id);
    END IF;
    RETURN v_run;
END
$$;

ALTER FUNCTION app.workflow_run_owned(p_run_id text, p_user_id text, p_lock boolean, p_action text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_state(p_run app.workflow_runs) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT jsonb_build_object(
        'lectureId', p_run.lecture_id, 'runId', p_run.run_id, 'kind', p_run.kind,
        'status', p_run.status, 'currentStep', p_run.current_step,
        'totalSteps', p_run.total_steps, 'error', p_run.error, 'updatedAt', p_run.updated_at);
$$;

ALTER FUNCTION app.workflow_run_state(p_run app.workflow_runs) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_steps(p_run_id text) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'step_index', s.step_index, 'name', s.name, 'revision', s.revision,
        'output_summary', s.output_summary, 'attempts', s.attempts,
        'started_at', s.started_at, 'completed_at', s.completed_at) ORDER BY s.step_index), '[]')
    FROM app.workflow_steps AS s WHERE s.run_id = p_run_id;
$$;

ALTER FUNCTION app.workflow_run_steps(p_run_id text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_run_update(p_run_id text, p_status text, p_current_step integer DEFAULT NULL::integer, p_error text DEFAULT NULL::text, p_step_name text DEFAULT NULL::text, p_message text DEFAULT NULL::text, p_attempt integer DEFAULT NULL::integer) RETURNS app.workflow_runs
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_run app.workflow_runs;
BEGIN
    UPDATE app.workflow_runs AS r
    SET status = p_status, current_step = coalesce(p_current_step, r.current_step),
        error = CASE WHEN p_error = '' THEN NULL ELSE coalesce(left(p_error, 4000), r.error) END,
        attempt = coalesce(p_attempt, r.attempt), updated_at = clock_timestamp()
    WHERE r.run_id = p_run_id
    RETURNING * INTO v_run;
    PERFORM app.workflow_run_event(v_run, p_step_name, p_message);
    RETURN v_run;
END
$$;

ALTER FUNCTION app.workflow_run_update(p_run_id text, p_status text, p_current_step integer, p_error text, p_step_name text, p_message text, p_attempt integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_step_check(p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF p_run.status NOT IN ('queued', 'running') THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s is %s', p_run.run_id, p_run.status);
    ELSIF p_step_index IS NULL OR p_step_index NOT BETWEEN 1 AND p_run.total_steps THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422',
            MESSAGE = format('step must be between 1 and %s', p_run.total_steps);
    ELSIF p_step_index <> p_run.current_step + 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT409',
            MESSAGE = format('workflow run %s expects step %s, not %s', p_run.run_id,
                             p_run.current_step + 1, p_step_index);
    ELSIF p_step_name IS NULL OR length(p_step_name) NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'step name must be 1 to 100 characters';
    ELSIF jsonb_typeof(coalesce(p_output_summary, '{}')) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PT422', MESSAGE = 'step output summary must be an object';
    END IF;
END
$$;

ALTER FUNCTION app.workflow_step_check(p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_step_task(OUT task_name text, OUT queue_name text) RETURNS record
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT 'tutopanda.workflow_step', 'workflows';
$$;

ALTER FUNCTION app.workflow_step_task(OUT task_name text, OUT queue_name text) OWNER TO tutopanda_owner;

CREATE FUNCTION app.workflow_step_write(p_run app.workflow_runs, p_sections jsonb, p_base_revision integer, p_merged_base integer) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_write api.lecture_save_result;
BEGIN
    IF p_sections IS NULL OR p_sections = '{}' THEN
        RETURN (SELECT l.revision FROM app.video_lectures AS l WHERE l.id = p_run.lecture_id);
    END IF;
    v_write := app.lecture_write(p_run.lecture_id, NULL, p_sections, NULL, false, p_run.user_id,
                                 'workflow', p_run.run_id, p_merged_base => p_merged_base,
                                 p_unchanged_since => p_base_revision);
    RETURN CASE WHEN v_write.status = 'saved' THEN v_write.revision END;
END
$$;

ALTER FUNCTION app.workflow_step_write(p_run app.workflow_runs, p_sections jsonb, p_base_revision integer, p_merged_base integer) OWNER TO tutopanda_owner;

CREATE FUNCTION app.write_attempts() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$SELECT 16$$;

ALTER FUNCTION app.write_attempts() OWNER TO tutopanda_owner;

CREATE FUNCTION audit.history_walk(p_lecture_id integer) RETURNS TABLE(revision integer, hash bytea, content_intact boolean, link_intact boolean, sequence_intact boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT * FROM app.history_walk(p_lecture_id);
$$;

ALTER FUNCTION audit.history_walk(p_lecture_id integer) OWNER TO tutopanda_owner;

CREATE FUNCTION audit.query_objects(p_query text) RETURNS TABLE(object_kind text, schema_name text, object_name text)
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
    v_plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (VERBOSE, FORMAT JSON) ' || p_query INTO v_plan;
    RETURN QUERY
    SELECT DISTINCT
           CASE WHEN n.node ? 'Relation Name' THEN 'relation' ELSE 'function' END,
           n.node ->> 'Schema',
           coalesce(n.node ->> 'Relation Name', n.node ->> 'Function Name')
    FROM jsonb_path_query(v_plan, 'strict $.**') AS n (node)
    WHERE jsonb_typeof(n.node) = 'object'
      AND (n.node ? 'Relation Name' OR n.node ? 'Function Name')
    ORDER BY 1, 2, 3;
END
$_$;

ALTER FUNCTION audit.query_objects(p_query text) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION audit.query_objects(p_query text) IS 'Relations and functions the plan of a query scans: the query is EXPLAINed, never run, with the caller''s rights (it gives them nothing an EXPLAIN of their own would not). tutopanda audit query refuses a plan that reaches beyond the audit views.';

CREATE FUNCTION audit.revision_content(p_lecture_id integer, p_revision integer) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT app.revision_content(p_lecture_id, p_revision);
$$;

ALTER FUNCTION audit.revision_content(p_lecture_id integer, p_revision integer) OWNER TO tutopanda_owner;

CREATE FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
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

ALTER FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) IS 'The hash of a history row given the previous row''s hash: recompute it to verify the chain.';

CREATE FUNCTION audit.revision_hash_v2(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_section_hashes jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_merged_base integer, p_created_at timestamp with time zone) RETURNS bytea
    LANGUAGE sql STABLE
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

ALTER FUNCTION audit.revision_hash_v2(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_section_hashes jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_merged_base integer, p_created_at timestamp with time zone) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION audit.revision_hash_v2(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_section_hashes jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_merged_base integer, p_created_at timestamp with time zone) IS 'The hash of a version-2 history row given the previous row''s hash and the hashes of the sections it changed: recompute it to verify the chain.';

CREATE FUNCTION audit.section_hash(p_value jsonb) RETURNS text
    LANGUAGE sql STABLE STRICT
    AS $$
    SELECT encode(sha256(convert_to(p_value::text, 'UTF8')), 'hex');
$$;

ALTER FUNCTION audit.section_hash(p_value jsonb) OWNER TO tutopanda_owner;

COMMENT ON FUNCTION audit.section_hash(p_value jsonb) IS 'The hash of one section''s value (hex): the unit a save rehashes.';

ALTER TABLE app.conflict_drafts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.conflict_drafts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.event_publisher (
    id boolean DEFAULT true NOT NULL,
    horizon xid8 NOT NULL,
    published_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT event_publisher_id_check CHECK (id)
);

ALTER TABLE app.event_publisher OWNER TO tutopanda_owner;

COMMENT ON TABLE app.event_publisher IS 'One row: the horizon below which every committed event has been announced on tutopanda_events.';

CREATE TABLE app.idempotency_keys (
    user_id text NOT NULL,
    key text NOT NULL,
    fingerprint bytea NOT NULL,
    status integer NOT NULL,
    headers jsonb NOT NULL,
    body bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT idempotency_keys_key_check CHECK (((length(key) >= 1) AND (length(key) <= 255))),
    CONSTRAINT idempotency_keys_status_check CHECK (((status >= 100) AND (status <= 599)))
);

ALTER TABLE app.idempotency_keys OWNER TO tutopanda_owner;

CREATE TABLE app.installed_components (
    name text NOT NULL,
    version text NOT NULL,
    installed_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE app.installed_components OWNER TO tutopanda_owner;

CREATE TABLE app.lecture_revisions (
    id bigint NOT NULL,
    lecture_id integer NOT NULL,
    revision integer NOT NULL,
    data jsonb,
    created_by text NOT NULL,
    source text DEFAULT 'app'::text NOT NULL,
    run_id text,
    changed_sections text[] DEFAULT '{}'::text[] NOT NULL,
    forced boolean DEFAULT false NOT NULL,
    restored_from integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    prev_hash bytea,
    hash bytea NOT NULL,
    txid xid8 DEFAULT pg_current_xact_id(),
    delta jsonb,
    hash_version smallint DEFAULT 2 NOT NULL,
    merged_base integer,
    CONSTRAINT lecture_revisions_data_or_delta CHECK (((data IS NULL) <> (delta IS NULL))),
    CONSTRAINT lecture_revisions_hash_version_check CHECK ((hash_version = ANY (ARRAY[1, 2]))),
    CONSTRAINT lecture_revisions_revision_check CHECK ((revision >= 0)),
    CONSTRAINT lecture_revisions_source_check CHECK ((source = ANY (ARRAY['app'::text, 'workflow'::text, 'system'::text]))),
    CONSTRAINT lecture_revisions_v1_has_data CHECK (((hash_version = 2) OR (data IS NOT NULL)))
);

ALTER TABLE app.lecture_revisions OWNER TO tutopanda_owner;

COMMENT ON COLUMN app.lecture_revisions.data IS 'The full content after this revision (a keyframe), or NULL when `delta` holds the change.';

COMMENT ON COLUMN app.lecture_revisions.prev_hash IS 'The hash of the previous revision of the same lecture (NULL for the first).';

COMMENT ON COLUMN app.lecture_revisions.hash IS 'audit.revision_hash(prev_hash, this row): SHA-256 chained per lecture (tamper evidence).';

COMMENT ON COLUMN app.lecture_revisions.txid IS 'The transaction that wrote the row: the event publisher''s cursor (NULL before migration 0006).';

COMMENT ON COLUMN app.lecture_revisions.delta IS 'The change from the previous revision: [{"p": [path…], "v": value}, {"p": [path…]} (removed)].';

COMMENT ON COLUMN app.lecture_revisions.hash_version IS '1: audit.revision_hash over the full data (migration 0004); 2: audit.revision_hash_v2 over per-section hashes.';

COMMENT ON COLUMN app.lecture_revisions.merged_base IS 'For a save merged onto a newer revision: the revision the editor''s change was made on.';

ALTER TABLE app.lecture_revisions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.lecture_revisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.member_removal_events (
    id bigint NOT NULL,
    lecture_id integer NOT NULL,
    seq integer NOT NULL,
    revision integer NOT NULL,
    change_id bigint NOT NULL,
    txid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    CONSTRAINT member_removal_events_revision_check CHECK ((revision >= 0)),
    CONSTRAINT member_removal_events_seq_check CHECK ((seq >= 1))
);

ALTER TABLE app.member_removal_events OWNER TO tutopanda_owner;

COMMENT ON TABLE app.member_removal_events IS 'A member removal as an event of each lecture of the project (member.removed): numbered with the lecture''s run events (seq), at the lecture''s revision then; change_id is the removal in app.project_member_changes.';

ALTER TABLE app.member_removal_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.member_removal_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.project_member_changes (
    id bigint NOT NULL,
    project_id integer NOT NULL,
    user_id text NOT NULL,
    role text,
    previous_role text,
    changed_by text NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_member_changes_change CHECK ((role IS DISTINCT FROM previous_role)),
    CONSTRAINT project_member_changes_previous_role_check CHECK ((previous_role = ANY (ARRAY['owner'::text, 'editor'::text, 'viewer'::text]))),
    CONSTRAINT project_member_changes_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'editor'::text, 'viewer'::text])))
);

ALTER TABLE app.project_member_changes OWNER TO tutopanda_owner;

COMMENT ON TABLE app.project_member_changes IS 'Every membership change, append-only: whom (user_id), the role after (NULL: removed) and before (NULL: added), who made it and when.';

ALTER TABLE app.project_member_changes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.project_member_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.project_members (
    project_id integer NOT NULL,
    user_id text NOT NULL,
    role text NOT NULL,
    added_by text NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'editor'::text, 'viewer'::text])))
);

ALTER TABLE app.project_members OWNER TO tutopanda_owner;

COMMENT ON TABLE app.project_members IS 'Who may use a project, and how: owner (everything, sharing included), editor (read and write), viewer (read). Every project has at least one owner.';

CREATE TABLE app.project_settings_history (
    project_id integer NOT NULL,
    revision integer NOT NULL,
    name text,
    settings jsonb,
    changed_by text NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_settings_history_revision_check CHECK ((revision >= 0))
);

ALTER TABLE app.project_settings_history OWNER TO tutopanda_owner;

COMMENT ON TABLE app.project_settings_history IS 'Every version of a project''s name and settings: who changed them and when.';

CREATE TABLE app.projects (
    id integer NOT NULL,
    created_by text NOT NULL,
    name text,
    is_default boolean DEFAULT false NOT NULL,
    settings jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    settings_revision integer DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT projects_settings_revision_check CHECK ((settings_revision >= 0))
);

ALTER TABLE app.projects OWNER TO tutopanda_owner;

CREATE SEQUENCE app.projects_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.projects_id_seq OWNER TO tutopanda_owner;

ALTER SEQUENCE app.projects_id_seq OWNED BY app.projects.id;

CREATE SEQUENCE app.video_lectures_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.video_lectures_id_seq OWNER TO tutopanda_owner;

ALTER SEQUENCE app.video_lectures_id_seq OWNED BY app.video_lectures.id;

CREATE TABLE app.workflow_run_events (
    id bigint NOT NULL,
    run_id text NOT NULL,
    lecture_id integer NOT NULL,
    seq integer NOT NULL,
    revision integer NOT NULL,
    status text NOT NULL,
    current_step integer NOT NULL,
    total_steps integer NOT NULL,
    step_name text,
    message text,
    step_progress real,
    error text,
    created_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    txid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    CONSTRAINT workflow_run_events_revision_check CHECK ((revision >= 0)),
    CONSTRAINT workflow_run_events_seq_check CHECK ((seq >= 1)),
    CONSTRAINT workflow_run_events_step_progress_check CHECK (((step_progress >= (0)::double precision) AND (step_progress <= (1)::double precision)))
);

ALTER TABLE app.workflow_run_events OWNER TO tutopanda_owner;

COMMENT ON TABLE app.workflow_run_events IS 'One row per change of a workflow run (created, started, step done, finished), numbered per lecture (seq) in commit order; revision is the lecture''s revision when it happened.';

ALTER TABLE app.workflow_run_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app.workflow_run_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE app.workflow_steps (
    run_id text NOT NULL,
    step_index integer NOT NULL,
    name text NOT NULL,
    revision integer NOT NULL,
    output_summary jsonb DEFAULT '{}'::jsonb NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    started_at timestamp with time zone,
    completed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT workflow_steps_attempts_check CHECK ((attempts >= 1)),
    CONSTRAINT workflow_steps_revision_check CHECK ((revision >= 0)),
    CONSTRAINT workflow_steps_step_index_check CHECK ((step_index >= 1))
);

ALTER TABLE app.workflow_steps OWNER TO tutopanda_owner;

CREATE VIEW audit.lecture_snapshots AS
 SELECT r.lecture_id,
    r.revision,
    audit.revision_content(r.lecture_id, r.revision) AS data,
    (r.data IS NOT NULL) AS keyframe,
    r.created_at AS changed_at
   FROM app.lecture_revisions r;

ALTER VIEW audit.lecture_snapshots OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.lecture_snapshots IS 'The lecture content (JSON, camelCase like the editor''s) after each revision.';

CREATE VIEW audit.chain_heads AS
 WITH heads AS (
         SELECT DISTINCT ON (r.lecture_id) r.lecture_id,
            r.revision,
            r.hash,
            count(*) OVER (PARTITION BY r.lecture_id) AS revisions
           FROM app.lecture_revisions r
          ORDER BY r.lecture_id, r.revision DESC
        )
 SELECT COALESCE(h.lecture_id, l.id) AS lecture_id,
    h.revision,
    encode(h.hash, 'hex'::text) AS hash,
    COALESCE(h.revisions, (0)::bigint) AS revisions,
    l.revision AS live_revision,
    COALESCE(((l.revision = h.revision) AND ((app.lecture_content(l.*))::text = (s.data)::text)), false) AS live_matches
   FROM ((heads h
     FULL JOIN app.video_lectures l ON ((l.id = h.lecture_id)))
     LEFT JOIN audit.lecture_snapshots s ON (((s.lecture_id = h.lecture_id) AND (s.revision = h.revision))));

ALTER VIEW audit.chain_heads OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.chain_heads IS 'Per lecture: the head of its history chain (revision, hash, number of rows) and whether the live lecture is that revision with that content (live_matches). A lecture without history, or history without its lecture, has NULLs on the missing side.';

CREATE VIEW audit.conflict_drafts AS
 SELECT d.id AS draft_id,
    d.lecture_id,
    l.project_id,
    p.created_by AS owner,
    d.user_id AS author,
    d.base_revision,
    d.conflict_revision,
    ARRAY( SELECT jsonb_object_keys(d.sections) AS jsonb_object_keys
          ORDER BY (jsonb_object_keys(d.sections))) AS sections,
    d.sections AS content,
    d.created_at,
    d.resolution,
    d.resolved_at,
    d.resolved_revision
   FROM ((app.conflict_drafts d
     JOIN app.video_lectures l ON ((l.id = d.lecture_id)))
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.conflict_drafts OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.conflict_drafts IS 'Saves refused as conflicts (nothing typed is lost): who, on which base, against which revision, the sections, and how they ended (applied, merged, discarded, or still open).';

CREATE VIEW audit.workflow_activity AS
 SELECT w.run_id,
    w.lecture_id,
    l.project_id,
    p.created_by AS owner,
    w.user_id AS started_by,
    w.kind,
    w.status AS outcome,
    w.current_step AS steps_done,
    w.total_steps,
    w.error,
    w.original_run_id AS repeats_run_id,
    w.attempt,
    w.created_at AS queued_at,
        CASE
            WHEN (NOT finished.active) THEN w.updated_at
            ELSE NULL::timestamp with time zone
        END AS finished_at,
        CASE
            WHEN (NOT finished.active) THEN (w.updated_at - w.created_at)
            ELSE NULL::interval
        END AS duration,
    COALESCE(( SELECT jsonb_agg(jsonb_build_object('step', s.step_index, 'name', s.name, 'revision', s.revision, 'attempts', s.attempts, 'seconds', round(EXTRACT(epoch FROM (s.completed_at - s.started_at)), 3)) ORDER BY s.step_index) AS jsonb_agg
           FROM app.workflow_steps s
          WHERE (s.run_id = w.run_id)), '[]'::jsonb) AS steps
   FROM (((app.workflow_runs w
     CROSS JOIN LATERAL ( SELECT (w.status = ANY (ARRAY['queued'::text, 'running'::text, 'waiting_for_review'::text])) AS active) finished)
     JOIN app.video_lectures l ON ((l.id = w.lecture_id)))
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.workflow_activity OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.workflow_activity IS 'Every workflow run: outcome (queued, running, waiting_for_review, succeeded, failed, cancelled, rejected, expired), the run it repeats and its attempt, steps, timing.';

CREATE VIEW audit.failed_runs AS
 SELECT a.run_id,
    a.lecture_id,
    a.owner,
    a.kind,
    (a.steps_done + 1) AS failed_step,
    a.total_steps,
    a.error,
    a.finished_at AS failed_at
   FROM audit.workflow_activity a
  WHERE (a.outcome = 'failed'::text);

ALTER VIEW audit.failed_runs OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.failed_runs IS 'Failed workflow runs with the failing step and the error.';

CREATE VIEW audit.history_chain AS
 SELECT l.lecture_id,
    w.revision,
    encode(w.hash, 'hex'::text) AS hash,
    w.content_intact,
    w.link_intact,
    w.sequence_intact
   FROM (( SELECT DISTINCT r.lecture_id
           FROM app.lecture_revisions r) l
     CROSS JOIN LATERAL audit.history_walk(l.lecture_id) w(revision, hash, content_intact, link_intact, sequence_intact));

ALTER VIEW audit.history_chain OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.history_chain IS 'Tamper check per history row: content_intact (row matches its hash), link_intact (chained to the previous row), sequence_intact (no missing revision before it).';

CREATE VIEW audit.lecture_history AS
 SELECT r.lecture_id,
    l.project_id,
    p.created_by AS owner,
    l.title AS lecture_title,
    r.revision,
    r.source,
    r.created_by AS actor,
    r.run_id,
    r.changed_sections,
    r.forced,
    r.restored_from,
    pg_column_size(COALESCE(r.data, r.delta)) AS stored_bytes,
    r.created_at AS changed_at,
    encode(r.hash, 'hex'::text) AS hash
   FROM ((app.lecture_revisions r
     JOIN app.video_lectures l ON ((l.id = r.lecture_id)))
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.lecture_history OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.lecture_history IS 'Every revision of every lecture: actor, source (app, workflow, system), run, changed sections.';

COMMENT ON COLUMN audit.lecture_history.source IS 'app: an editor save or restore; workflow: a workflow step (run_id set); system: migration.';

COMMENT ON COLUMN audit.lecture_history.actor IS 'The user id that made the change (for a workflow step, the user who started the run).';

COMMENT ON COLUMN audit.lecture_history.forced IS 'True when an editor overwrote newer revisions on purpose (force option).';

COMMENT ON COLUMN audit.lecture_history.restored_from IS 'The older revision whose content this revision restored, if any.';

COMMENT ON COLUMN audit.lecture_history.stored_bytes IS 'Bytes the history row stores for its content: the full content (a keyframe) or the delta.';

CREATE VIEW audit.lectures AS
 SELECT l.id AS lecture_id,
    l.project_id,
    p.created_by AS owner,
    p.name AS project_name,
    l.title,
    l.revision AS current_revision,
    l.created_at,
    l.updated_at,
    ( SELECT count(*) AS count
           FROM app.lecture_revisions r
          WHERE (r.lecture_id = l.id)) AS revisions
   FROM (app.video_lectures l
     JOIN app.projects p ON ((p.id = l.project_id)));

ALTER VIEW audit.lectures OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.lectures IS 'Every lecture: owner, title, current revision, history rows.';

CREATE VIEW audit.membership_changes AS
 SELECT c.id AS change_id,
    c.project_id,
    p.created_by AS creator,
    c.user_id AS member,
    c.previous_role,
    c.role,
    c.changed_by,
    c.changed_at,
        CASE
            WHEN (c.previous_role IS NULL) THEN 'added'::text
            WHEN (c.role IS NULL) THEN 'removed'::text
            ELSE 'changed'::text
        END AS change
   FROM (app.project_member_changes c
     JOIN app.projects p ON ((p.id = c.project_id)));

ALTER VIEW audit.membership_changes OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.membership_changes IS 'Every membership change of every project, in order: whom (member), the role before and after (NULL: not a member), who made it (changed_by) and when; change is added, changed or removed.';

CREATE VIEW audit.project_settings_changes AS
 SELECT h.project_id,
    p.created_by AS owner,
    h.revision,
    h.changed_by,
    h.changed_at,
    h.name,
    h.settings,
    ( SELECT jsonb_object_agg(g.key, g.value) AS jsonb_object_agg
           FROM jsonb_each(COALESCE(h.settings, '{}'::jsonb)) g(key, value)
          WHERE (g.value IS DISTINCT FROM (previous.settings -> g.key))) AS changed_groups
   FROM ((app.project_settings_history h
     JOIN app.projects p ON ((p.id = h.project_id)))
     LEFT JOIN app.project_settings_history previous ON (((previous.project_id = h.project_id) AND (previous.revision = (h.revision - 1)))));

ALTER VIEW audit.project_settings_changes OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.project_settings_changes IS 'Every version of every project''s name and settings: who changed them, when, and the settings groups that differ from the version before (all groups for revision 0).';

CREATE VIEW audit.section_changes AS
 SELECT h.lecture_id,
    h.project_id,
    h.owner,
    h.revision,
    s.section,
    h.source,
    h.actor,
    h.run_id,
    h.forced,
    h.changed_at
   FROM (audit.lecture_history h
     CROSS JOIN LATERAL unnest(h.changed_sections) s(section));

ALTER VIEW audit.section_changes OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.section_changes IS 'One row per (revision, changed section): title, summary, script, images, videos, narration, music, effects or timeline.';

CREATE VIEW audit.workflow_steps AS
 SELECT s.run_id,
    w.lecture_id,
    w.kind,
    w.status AS run_outcome,
    s.step_index,
    s.name AS step,
    s.revision,
    s.attempts,
    s.started_at,
    s.completed_at,
    (s.completed_at - s.started_at) AS duration,
    s.output_summary
   FROM (app.workflow_steps s
     JOIN app.workflow_runs w ON ((w.run_id = s.run_id)));

ALTER VIEW audit.workflow_steps OWNER TO tutopanda_owner;

COMMENT ON VIEW audit.workflow_steps IS 'Every completed workflow step: the revision it wrote, attempts, duration, output summary.';

ALTER TABLE ONLY app.projects ALTER COLUMN id SET DEFAULT nextval('app.projects_id_seq'::regclass);

ALTER TABLE ONLY app.video_lectures ALTER COLUMN id SET DEFAULT nextval('app.video_lectures_id_seq'::regclass);

ALTER TABLE ONLY app.conflict_drafts
    ADD CONSTRAINT conflict_drafts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.event_publisher
    ADD CONSTRAINT event_publisher_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, key);

ALTER TABLE ONLY app.installed_components
    ADD CONSTRAINT installed_components_pkey PRIMARY KEY (name);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revision_unique UNIQUE (lecture_id, revision);

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.member_removal_events
    ADD CONSTRAINT member_removal_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.member_removal_events
    ADD CONSTRAINT member_removal_events_seq_unique UNIQUE (lecture_id, seq);

ALTER TABLE ONLY app.project_member_changes
    ADD CONSTRAINT project_member_changes_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.project_members
    ADD CONSTRAINT project_members_pkey PRIMARY KEY (project_id, user_id);

ALTER TABLE ONLY app.project_settings_history
    ADD CONSTRAINT project_settings_history_pkey PRIMARY KEY (project_id, revision);

ALTER TABLE ONLY app.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.video_lectures
    ADD CONSTRAINT video_lectures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.workflow_run_events
    ADD CONSTRAINT workflow_run_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY app.workflow_run_events
    ADD CONSTRAINT workflow_run_events_seq_unique UNIQUE (lecture_id, seq);

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_pkey PRIMARY KEY (run_id);

ALTER TABLE ONLY app.workflow_steps
    ADD CONSTRAINT workflow_steps_pkey PRIMARY KEY (run_id, step_index);

CREATE INDEX conflict_drafts_lecture_fk_idx ON app.conflict_drafts USING btree (lecture_id);

CREATE INDEX conflict_drafts_lecture_id_idx ON app.conflict_drafts USING btree (lecture_id, user_id) WHERE (resolved_at IS NULL);

CREATE INDEX idempotency_keys_expiry ON app.idempotency_keys USING btree (expires_at);

CREATE INDEX lecture_revisions_run_id_idx ON app.lecture_revisions USING btree (run_id);

CREATE INDEX lecture_revisions_txid_idx ON app.lecture_revisions USING btree (txid);

CREATE INDEX member_removal_events_change_id_idx ON app.member_removal_events USING btree (change_id);

CREATE INDEX member_removal_events_txid_idx ON app.member_removal_events USING btree (txid);

CREATE INDEX project_member_changes_project_id_idx ON app.project_member_changes USING btree (project_id);

CREATE INDEX project_members_user_id_idx ON app.project_members USING btree (user_id, project_id);

CREATE INDEX projects_created_by_created_at_idx ON app.projects USING btree (created_by, created_at);

CREATE INDEX projects_created_by_id_idx ON app.projects USING btree (created_by, id);

CREATE INDEX video_lectures_project_id_idx ON app.video_lectures USING btree (project_id);

CREATE INDEX workflow_run_events_run_id_idx ON app.workflow_run_events USING btree (run_id);

CREATE INDEX workflow_run_events_txid_idx ON app.workflow_run_events USING btree (txid);

CREATE INDEX workflow_runs_active_per_user_idx ON app.workflow_runs USING btree (user_id) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text, 'waiting_for_review'::text]));

CREATE INDEX workflow_runs_lecture_id_idx ON app.workflow_runs USING btree (lecture_id);

CREATE UNIQUE INDEX workflow_runs_one_active_per_lecture ON app.workflow_runs USING btree (lecture_id) WHERE (status = ANY (ARRAY['queued'::text, 'running'::text, 'waiting_for_review'::text]));

CREATE INDEX workflow_runs_original_run_id_idx ON app.workflow_runs USING btree (original_run_id);

CREATE INDEX workflow_runs_review_expires_at_idx ON app.workflow_runs USING btree (review_expires_at) WHERE (status = 'waiting_for_review'::text);

CREATE INDEX workflow_runs_status_idx ON app.workflow_runs USING btree (status);

CREATE TRIGGER lecture_revisions_append_only BEFORE DELETE OR UPDATE ON app.lecture_revisions FOR EACH ROW EXECUTE FUNCTION app.append_only_guard('lecture history');

CREATE TRIGGER lecture_revisions_no_truncate BEFORE TRUNCATE ON app.lecture_revisions FOR EACH STATEMENT EXECUTE FUNCTION app.append_only_guard('lecture history');

CREATE TRIGGER project_member_changes_append_only BEFORE DELETE OR UPDATE ON app.project_member_changes FOR EACH ROW EXECUTE FUNCTION app.append_only_guard('membership changes');

CREATE TRIGGER project_member_changes_no_truncate BEFORE TRUNCATE ON app.project_member_changes FOR EACH STATEMENT EXECUTE FUNCTION app.append_only_guard('membership changes');

CREATE TRIGGER projects_never_deleted BEFORE DELETE ON app.projects FOR EACH ROW EXECUTE FUNCTION app.retention_guard();

CREATE TRIGGER projects_never_truncated BEFORE TRUNCATE ON app.projects FOR EACH STATEMENT EXECUTE FUNCTION app.retention_guard();

CREATE TRIGGER video_lectures_never_deleted BEFORE DELETE ON app.video_lectures FOR EACH ROW EXECUTE FUNCTION app.retention_guard();

CREATE TRIGGER video_lectures_never_truncated BEFORE TRUNCATE ON app.video_lectures FOR EACH STATEMENT EXECUTE FUNCTION app.retention_guard();

ALTER TABLE ONLY app.conflict_drafts
    ADD CONSTRAINT conflict_drafts_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.lecture_revisions
    ADD CONSTRAINT lecture_revisions_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id);

ALTER TABLE ONLY app.member_removal_events
    ADD CONSTRAINT member_removal_events_change_id_fkey FOREIGN KEY (change_id) REFERENCES app.project_member_changes(id);

ALTER TABLE ONLY app.member_removal_events
    ADD CONSTRAINT member_removal_events_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id);

ALTER TABLE ONLY app.project_member_changes
    ADD CONSTRAINT project_member_changes_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.project_members
    ADD CONSTRAINT project_members_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.project_settings_history
    ADD CONSTRAINT project_settings_history_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE RESTRICT;

ALTER TABLE ONLY app.video_lectures
    ADD CONSTRAINT video_lectures_project_id_fkey FOREIGN KEY (project_id) REFERENCES app.projects(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_run_events
    ADD CONSTRAINT workflow_run_events_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_lecture_id_fkey FOREIGN KEY (lecture_id) REFERENCES app.video_lectures(id) ON DELETE CASCADE;

ALTER TABLE ONLY app.workflow_runs
    ADD CONSTRAINT workflow_runs_original_run_id_fkey FOREIGN KEY (original_run_id) REFERENCES app.workflow_runs(run_id);

ALTER TABLE ONLY app.workflow_steps
    ADD CONSTRAINT workflow_steps_run_id_fkey FOREIGN KEY (run_id) REFERENCES app.workflow_runs(run_id) ON DELETE CASCADE;

GRANT USAGE ON SCHEMA api TO tutopanda_runtime;

GRANT USAGE ON SCHEMA audit TO tutopanda_auditor;

REVOKE ALL ON TYPE api.lecture_save_result FROM PUBLIC;
GRANT ALL ON TYPE api.lecture_save_result TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.asset_regenerate(p_user_id text, p_lecture_id integer, p_asset_kind text, p_asset_id text, p_kind text, p_review_seconds integer, p_max_active_runs integer, p_context jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION api.asset_regenerate(p_user_id text, p_lecture_id integer, p_asset_kind text, p_asset_id text, p_kind text, p_review_seconds integer, p_max_active_runs integer, p_context jsonb) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.drafts_prune(p_resolved_before timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION api.drafts_prune(p_resolved_before timestamp with time zone) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.events_publish() FROM PUBLIC;
GRANT ALL ON FUNCTION api.events_publish() TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.events_publisher_claim() FROM PUBLIC;
GRANT ALL ON FUNCTION api.events_publisher_claim() TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.idempotency_claim(p_user_id text, p_key text, p_fingerprint bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION api.idempotency_claim(p_user_id text, p_key text, p_fingerprint bytea) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.idempotency_prune() FROM PUBLIC;
GRANT ALL ON FUNCTION api.idempotency_prune() TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.idempotency_record(p_user_id text, p_key text, p_fingerprint bytea, p_status integer, p_headers jsonb, p_body bytea, p_ttl_seconds integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.idempotency_record(p_user_id text, p_key text, p_fingerprint bytea, p_status integer, p_headers jsonb, p_body bytea, p_ttl_seconds integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_draft_discard(p_user_id text, p_lecture_id integer, p_draft_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_draft_discard(p_user_id text, p_lecture_id integer, p_draft_id bigint) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_draft_get(p_user_id text, p_lecture_id integer, p_draft_id bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_draft_get(p_user_id text, p_lecture_id integer, p_draft_id bigint) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_drafts(p_user_id text, p_lecture_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_drafts(p_user_id text, p_lecture_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_events(p_lecture_id integer, p_after_revision integer, p_after_seq integer, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_events(p_lecture_id integer, p_after_revision integer, p_after_seq integer, p_limit integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_get(p_user_id text, p_lecture_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_get_wire(p_user_id text, p_lecture_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_get_wire(p_user_id text, p_lecture_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_history_list(p_user_id text, p_lecture_id integer, p_limit integer, p_before_revision integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_restore(p_user_id text, p_lecture_id integer, p_revision integer, p_base_revision integer, p_force boolean) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_revision_get(p_user_id text, p_lecture_id integer, p_revision integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_save(p_user_id text, p_lecture_id integer, p_base_revision integer, p_sections jsonb, p_merge boolean, p_force boolean) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_save_merged(p_user_id text, p_lecture_id integer, p_base_revision integer, p_onto_revision integer, p_sections jsonb, p_draft_id bigint, p_resolution text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_save_merged(p_user_id text, p_lecture_id integer, p_base_revision integer, p_onto_revision integer, p_sections jsonb, p_draft_id bigint, p_resolution text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.lecture_stream_open(p_user_id text, p_lecture_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.lecture_stream_open(p_user_id text, p_lecture_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer, p_max_active_runs integer, p_max_projects_per_hour integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_create(p_user_id text, p_prompt text, p_name text, p_settings jsonb, p_workflow_kind text, p_total_steps integer, p_max_active_runs integer, p_max_projects_per_hour integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_get(p_user_id text, p_project_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_get(p_user_id text, p_project_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_list(p_user_id text, p_limit integer, p_before_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_list(p_user_id text, p_limit integer, p_before_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_member_remove(p_user_id text, p_project_id integer, p_member_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_member_remove(p_user_id text, p_project_id integer, p_member_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_member_set(p_user_id text, p_project_id integer, p_member_id text, p_role text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_member_set(p_user_id text, p_project_id integer, p_member_id text, p_role text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_members(p_user_id text, p_project_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_members(p_user_id text, p_project_id integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.project_update(p_user_id text, p_project_id integer, p_base_revision integer, p_name text, p_settings jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION api.project_update(p_user_id text, p_project_id integer, p_base_revision integer, p_name text, p_settings jsonb) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_reviews_expire(p_now timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_reviews_expire(p_now timestamp with time zone) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_accept(p_user_id text, p_run_id text, p_force boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_accept(p_user_id text, p_run_id text, p_force boolean) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_cancel(p_user_id text, p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_max_active_runs integer, p_context jsonb, p_from_step integer, p_original_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_create(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_max_active_runs integer, p_context jsonb, p_from_step integer, p_original_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_fail(p_run_id text, p_error text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_fail(p_run_id text, p_error text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_get(p_user_id text, p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_progress(p_run_id text, p_step_index integer, p_step_name text, p_message text, p_fraction real) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_progress(p_run_id text, p_step_index integer, p_step_name text, p_message text, p_fraction real) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_reject(p_user_id text, p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_reject(p_user_id text, p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_resume(p_user_id text, p_run_id text, p_max_active_runs integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_resume(p_user_id text, p_run_id text, p_max_active_runs integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_start(p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_start(p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_run_work(p_run_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_run_work(p_run_id text) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone, p_base_revision integer, p_merged_base integer) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_step_apply(p_run_id text, p_step_index integer, p_step_name text, p_sections jsonb, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone, p_base_revision integer, p_merged_base integer) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION api.workflow_step_propose(p_run_id text, p_step_index integer, p_step_name text, p_asset jsonb, p_base_revision integer, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION api.workflow_step_propose(p_run_id text, p_step_index integer, p_step_name text, p_asset jsonb, p_base_revision integer, p_output_summary jsonb, p_attempts integer, p_started_at timestamp with time zone) TO tutopanda_runtime;

REVOKE ALL ON FUNCTION app.append_only_guard() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.asset_section(p_kind text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.conflict_draft_keep(p_lecture_id integer, p_user_id text, p_base_revision integer, p_conflict_revision integer, p_sections jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.conflict_draft_owned(p_user_id text, p_lecture_id integer, p_draft_id bigint) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.conflict_draft_resolve(p_draft_id bigint, p_resolution text, p_revision integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.conflict_drafts_of(p_user_id text, p_lecture_id integer, p_draft_id bigint) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.history_delta(p_old jsonb, p_changes jsonb, p_hashes jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.history_head(p_lecture_id integer, p_revision integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.history_start(p_lecture app.video_lectures, p_actor text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.history_walk(p_lecture_id integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.json_apply(p_document jsonb, p_operations jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.json_delta(p_before jsonb, p_after jsonb, p_path text[]) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_asset(p_content jsonb, p_section text, p_asset_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_content(p_lecture app.video_lectures) FROM PUBLIC;
GRANT ALL ON FUNCTION app.lecture_content(p_lecture app.video_lectures) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION app.lecture_contents(p_lecture_id integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_owned(p_user_id text, p_lecture_id integer, p_lock boolean, p_action text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_section_count() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_section_slot(p_name text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_section_types(p_name text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_sections() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_sections_changed(p_lecture_id integer, p_after integer, p_until integer, p_names text[]) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_sections_of(p_lecture_id integer, p_names text[]) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_sections_refuse(p_sections jsonb, p_key text, p_type text, p_expected text[]) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_snapshot(p_lecture app.video_lectures) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_store(p_lecture_id integer, p_changes jsonb, p_revision integer, p_updated_at timestamp with time zone, p_section_digests bytea, p_history_hash bytea, p_keyframe_revision integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_write(p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer, p_force boolean, p_actor text, p_source text, p_run_id text, p_restored_from integer, p_keep_draft boolean, p_base_content_of integer, p_merged_base integer, p_resolves_draft bigint, p_resolution text, p_unchanged_since integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.lecture_write_refused(p_lecture_id integer, p_user_id text, p_sections jsonb, p_base_revision integer, p_keep_draft boolean, p_base_content_of integer, p_resolves_draft bigint) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.member_may(p_user_id text, p_project_id integer, p_action text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.project_allows(p_user_id text, p_project_id integer, p_action text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.project_last_owner_refuse(p_project_id integer, p_member_id text, p_previous text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.project_member_removal_events(p_project_id integer, p_change_id bigint) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.project_member_write(p_project_id integer, p_member_id text, p_role text, p_previous text, p_actor text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.project_members_lock(p_user_id text, p_project_id integer, p_member_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.quota_active_runs(p_user_id text, p_limit integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.quota_lock(p_user_id text, p_quota text, p_limit integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.quota_projects_per_hour(p_user_id text, p_limit integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.quota_refuse(p_quota text, p_limit integer, p_retry_after integer, p_message text, p_hint text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.retention_guard() FROM PUBLIC;

REVOKE ALL ON FUNCTION app.revision_content(p_lecture_id integer, p_revision integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.role_allows(p_role text, p_action text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.section_digests(p_content jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.section_hashes(p_content jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_enqueue_step(p_run_id text, p_step_index integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_review_open(p_user_id text, p_run_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_active(p_status text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_event(p_run app.workflow_runs, p_step_name text, p_message text, p_step_progress real) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_insert(p_user_id text, p_lecture_id integer, p_kind text, p_total_steps integer, p_context jsonb, p_max_active_runs integer, p_from_step integer, p_original_run_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_owned(p_run_id text, p_user_id text, p_lock boolean, p_action text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_state(p_run app.workflow_runs) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_steps(p_run_id text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_run_update(p_run_id text, p_status text, p_current_step integer, p_error text, p_step_name text, p_message text, p_attempt integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_step_check(p_run app.workflow_runs, p_step_index integer, p_step_name text, p_output_summary jsonb) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_step_task(OUT task_name text, OUT queue_name text) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.workflow_step_write(p_run app.workflow_runs, p_sections jsonb, p_base_revision integer, p_merged_base integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION app.write_attempts() FROM PUBLIC;

REVOKE ALL ON FUNCTION audit.history_walk(p_lecture_id integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.history_walk(p_lecture_id integer) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION audit.query_objects(p_query text) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.query_objects(p_query text) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION audit.revision_content(p_lecture_id integer, p_revision integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.revision_content(p_lecture_id integer, p_revision integer) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.revision_hash(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_data jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_created_at timestamp with time zone) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION audit.revision_hash_v2(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_section_hashes jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_merged_base integer, p_created_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.revision_hash_v2(p_prev_hash bytea, p_lecture_id integer, p_revision integer, p_section_hashes jsonb, p_created_by text, p_source text, p_run_id text, p_changed_sections text[], p_forced boolean, p_restored_from integer, p_merged_base integer, p_created_at timestamp with time zone) TO tutopanda_auditor;

REVOKE ALL ON FUNCTION audit.section_hash(p_value jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.section_hash(p_value jsonb) TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.lecture_snapshots TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.chain_heads TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.conflict_drafts TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.workflow_activity TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.failed_runs TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.history_chain TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.lecture_history TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.lectures TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.membership_changes TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.project_settings_changes TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.section_changes TO tutopanda_auditor;

GRANT SELECT ON TABLE audit.workflow_steps TO tutopanda_auditor;
