-- Single-asset regeneration with review: a one-step run proposes a new version of one asset
-- (same id); the proposal waits on the run, as rows, until the owner accepts it (a revision,
-- merged with edits to other assets), rejects it, or it expires.

CREATE OR REPLACE FUNCTION api.asset_regenerate(
    p_user_id text, p_lecture_id integer, p_asset_kind text, p_asset_id text, p_kind text,
    p_review_seconds integer, p_max_active_runs integer, p_context jsonb DEFAULT '{}'
)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.asset_regenerate(text, integer, text, text, text, integer, integer, jsonb) IS
    'Start a one-step run that proposes a new version of one asset of a lecture of the user '
    '(kinds image, narration, music, video), to be reviewed within p_review_seconds of the '
    'proposal. Returns the run id. PT404 lecture or asset not found, PT409 a run is already in '
    'progress, PT422 bad kind or review time, PT429 the user has p_max_active_runs active runs.';

CREATE OR REPLACE FUNCTION api.workflow_step_propose(
    p_run_id text,
    p_step_index integer,
    p_step_name text,
    p_asset jsonb,
    p_base_revision integer,
    p_output_summary jsonb DEFAULT '{}',
    p_attempts integer DEFAULT 1,
    p_started_at timestamptz DEFAULT NULL
)
RETURNS TABLE (revision integer, applied boolean, run_status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.workflow_step_propose(text, integer, text, jsonb, integer, jsonb, integer, timestamptz) IS
    'A worker records the last step of a regeneration run, once: the proposed asset (same id) '
    'made from revision p_base_revision, kept on the run and not applied; the run waits for '
    'review until its review time passes. A recorded step returns applied = false. PT404, PT409 '
    'cancelled/finished/out of order, PT422 not a regeneration step, wrong id or missing asset.';

-- app.workflow_review_open: the run of a user waiting for review, locked; expired (recorded,
-- returns NULL) when its review time has passed. PT409 when it is not waiting.
CREATE OR REPLACE FUNCTION app.workflow_review_open(p_user_id text, p_run_id text)
RETURNS app.workflow_runs
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

CREATE OR REPLACE FUNCTION api.workflow_run_accept(
    p_user_id text, p_run_id text, p_force boolean DEFAULT false
)
RETURNS TABLE (status text, revision integer, merged_base integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.workflow_run_accept(text, text, boolean) IS
    'The owner accepts a proposal: the asset is replaced in the lecture as it is now (a revision, '
    'source workflow with the run id; merged_base names the proposal''s revision when the lecture '
    'moved on) and the run succeeds. Returns status expired (recorded, nothing applied) when the '
    'review time has passed. PT404, PT409 not waiting for review, or the asset was edited or '
    'removed since the proposal (unless p_force replaces an edited one).';

CREATE OR REPLACE FUNCTION api.workflow_run_reject(p_user_id text, p_run_id text)
RETURNS text
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.workflow_run_reject(text, text) IS
    'The owner rejects a proposal: the run is rejected, the lecture unchanged (the proposal '
    'stays on the run for the record). Returns expired when the review time had passed. PT404, '
    'PT409 not waiting for review.';

CREATE OR REPLACE FUNCTION api.workflow_reviews_expire(p_now timestamptz DEFAULT now())
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
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
COMMENT ON FUNCTION api.workflow_reviews_expire(timestamptz) IS
    'Record as expired every proposal whose review time has passed at p_now (workers call it '
    'periodically; a locked run is left for the next call). Returns how many expired.';
