-- At most one queued or running workflow run per lecture, enforced by the schema itself
-- (api.workflow_run_create also checks it under the lecture lock, to answer with PT409).
-- Older duplicates, if any, are marked failed first so the index can be built.
-- depends: 0002_revisions_and_workflows

UPDATE app.workflow_runs AS r
SET status = 'failed', error = 'superseded by a newer run (migration 0003)', updated_at = now()
WHERE r.status IN ('queued', 'running')
  AND EXISTS (
      SELECT FROM app.workflow_runs AS newer
      WHERE newer.lecture_id = r.lecture_id AND newer.status IN ('queued', 'running')
        AND (newer.created_at, newer.run_id) > (r.created_at, r.run_id)
  );

CREATE UNIQUE INDEX workflow_runs_one_active_per_lecture
    ON app.workflow_runs (lecture_id) WHERE status IN ('queued', 'running');
