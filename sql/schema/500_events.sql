-- Events: what changed, read by cursor. A lecture's events are its history rows (lecture.revised),
-- its run event rows (workflow.progress) and its member removals (member.removed), ordered by
-- (revision, kind, seq); the last two share the lecture's numbering (seq). Writers never NOTIFY;
-- one publisher announces the lectures that changed, in its own transaction.

CREATE OR REPLACE FUNCTION api.events_publisher_claim()
RETURNS boolean
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pg_try_advisory_lock(hashtext('tutopanda:events-publisher'));
$$;
COMMENT ON FUNCTION api.events_publisher_claim() IS
    'Become this database''s event publisher for the life of the session (true) unless another '
    'session is (false). Call on a direct connection: the lock belongs to the session.';

CREATE OR REPLACE FUNCTION api.events_publish()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.events_publish() IS
    'Announce on channel tutopanda_events the lectures with events committed since the last call '
    '(below the oldest running transaction, so none is ever skipped); returns how many.';

CREATE OR REPLACE FUNCTION api.lecture_stream_open(p_user_id text, p_lecture_id integer)
RETURNS TABLE (revision integer, progress_seq integer, runs jsonb)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.lecture_stream_open(text, integer) IS
    'Where a lecture''s event stream starts for a member: revision, last numbered event (run '
    'events, member removals) and the active runs. PT404: missing or not theirs.';

CREATE OR REPLACE FUNCTION api.lecture_events(
    p_lecture_id integer, p_after_revision integer, p_after_seq integer, p_limit integer DEFAULT 500
)
RETURNS TABLE (revision integer, seq integer, type text, data jsonb)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.lecture_events(integer, integer, integer, integer) IS
    'A lecture''s events after revision p_after_revision and numbered event p_after_seq, in '
    'commit order: lecture.revised (history rows), workflow.progress (run events) and '
    'member.removed (member removals). For the API''s event hub, which has checked the '
    'subscriber''s membership with api.lecture_stream_open.';
