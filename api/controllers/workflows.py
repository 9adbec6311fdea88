"""Workflow runs: start (or rerun) one on a lecture, follow it, cancel or resume it, answer
a regeneration's proposal (accept, reject), and regenerate one asset."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody

from tutopanda.api.database import Db
from tutopanda.api.params import AssetIdPath, AssetKindPath, LectureIdPath, RunIdPath, UserId
from tutopanda.api.problems import problems
from tutopanda.models.wire import (
    AcceptRequest,
    AcceptResponse,
    RegenerateRequest,
    RunStatusResponse,
    WorkflowStartRequest,
)
from tutopanda.models.workflow import WorkflowRun
from tutopanda.settings import Settings
from tutopanda.store import workflows
from tutopanda.workflows import workflow_kind


class LectureWorkflowController(Controller):
    """Workflows started on a lecture."""

    path = "/lectures/{lecture_id:int}/workflows"
    tags = ["workflows"]

    @post(
        "/",
        status_code=202,
        summary="Start a workflow on a lecture",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def start(
        self,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        data: JSONBody[WorkflowStartRequest],
        request: Request[Any, Any, Any],
    ) -> Response[RunStatusResponse]:
        """Queue a run (its first job is enqueued with it); 409 while another run is active,
        429 `quota_exceeded` when the user has `TUTOPANDA_MAX_ACTIVE_RUNS` active runs.

        From `fromStep` (earlier steps count as done); steps whose output the lecture already
        has are skipped unless `force` (the timeline is always assembled again). The run names
        the run it repeats (`originalRunId`, default the lecture's latest of the same kind) and
        counts its `attempt`.
        """
        settings: Settings = request.app.state.settings
        run_id = await workflows.create_run(
            db,
            user,
            lecture_id,
            workflow_kind(data.kind),
            from_step=data.from_step,
            force=data.force,
            original_run_id=data.original_run_id,
            quotas=settings.quotas,
        )
        return Response(
            RunStatusResponse(run_id=run_id, status="queued"),
            status_code=202,
            headers={"Location": f"/workflow-runs/{run_id}"},
        )


class WorkflowRunController(Controller):
    """A workflow run of the signed-in user."""

    path = "/workflow-runs/{run_id:str}"
    tags = ["workflows"]

    @get("/", summary="Get a run with its completed steps", responses=problems(401, 404, 503))
    async def read(self, db: Db, user: UserId, run_id: RunIdPath) -> WorkflowRun:
        """Status, current step of total steps, error, each completed step's revision, the run
        it repeats and its attempt; for a regeneration, the `proposal` beside the lecture's
        `currentAsset` and when the proposal expires."""
        return await workflows.get_run(db, user, run_id)

    @post(
        "/cancel",
        status_code=200,
        summary="Cancel a run",
        responses=problems(401, 403, 404, 409, 422, 503),
    )
    async def cancel(self, db: Db, user: UserId, run_id: RunIdPath) -> RunStatusResponse:
        """Stop at the next step boundary; nothing more is written. 409 when already finished."""
        status = await workflows.cancel_run(db, user, run_id)
        return RunStatusResponse(run_id=run_id, status=status)

    @post(
        "/resume",
        status_code=202,
        summary="Resume a failed or cancelled run",
        responses=problems(401, 403, 404, 409, 422, 503),
    )
    async def resume(
        self, db: Db, user: UserId, run_id: RunIdPath, request: Request[Any, Any, Any]
    ) -> Response[RunStatusResponse]:
        """Continue from the first incomplete step: completed steps and their revisions stand.
        409 when the run is not failed or cancelled, or another run is active on the lecture;
        429 `quota_exceeded` when the user has `TUTOPANDA_MAX_ACTIVE_RUNS` active runs."""
        settings: Settings = request.app.state.settings
        status = await workflows.resume_run(db, user, run_id, quotas=settings.quotas)
        return Response(RunStatusResponse(run_id=run_id, status=status), status_code=202)

    @post(
        "/accept",
        status_code=200,
        summary="Accept a regenerated asset",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def accept(
        self, db: Db, user: UserId, run_id: RunIdPath, data: JSONBody[AcceptRequest | None] = None
    ) -> AcceptResponse:
        """Apply the proposal as a revision (source `workflow`, this run): only its asset is
        replaced, other edits since the proposal stand. 409 when the asset itself was edited or
        removed since (unless `force`), when the run is not waiting for review, or when the
        review time passed (the run is then `expired`)."""
        outcome = await workflows.accept_proposal(
            db, user, run_id, force=data is not None and data.force
        )
        return AcceptResponse(
            run_id=run_id,
            status="succeeded",
            revision=outcome.revision,
            merged_base=outcome.merged_base,
        )

    @post(
        "/reject",
        status_code=200,
        summary="Reject a regenerated asset",
        responses=problems(401, 403, 404, 409, 422, 503),
    )
    async def reject(self, db: Db, user: UserId, run_id: RunIdPath) -> RunStatusResponse:
        """Discard the proposal (kept on the run for the record); the lecture is unchanged."""
        status = await workflows.reject_proposal(db, user, run_id)
        return RunStatusResponse(run_id=run_id, status=status)


class AssetRegenerationController(Controller):
    """Regenerate one asset of a lecture, for review."""

    path = "/lectures/{lecture_id:int}/assets/{asset_kind:str}/{asset_id:str}/regenerate"
    tags = ["workflows"]

    @post(
        "/",
        status_code=202,
        summary="Regenerate one asset (a proposal to review)",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def regenerate(
        self,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        asset_kind: AssetKindPath,
        asset_id: AssetIdPath,
        request: Request[Any, Any, Any],
        data: JSONBody[RegenerateRequest | None] = None,
    ) -> Response[RunStatusResponse]:
        """Start a one-step run that makes the asset again (same id; `prompt` replaces its
        prompt) and keeps the result as a proposal on the run, NOT applied: the run waits in
        `waiting_for_review` until accepted, rejected, or expired after
        `TUTOPANDA_REVIEW_TIMEOUT_SECONDS`. Kinds: image, narration, music, video. 429
        `quota_exceeded` when the user has `TUTOPANDA_MAX_ACTIVE_RUNS` active runs."""
        settings: Settings = request.app.state.settings
        run_id = await workflows.regenerate_asset(
            db,
            user,
            lecture_id,
            asset_kind,
            asset_id,
            review_seconds=settings.review_timeout_seconds,
            prompt=None if data is None else data.prompt,
            quotas=settings.quotas,
        )
        return Response(
            RunStatusResponse(run_id=run_id, status="queued"),
            status_code=202,
            headers={"Location": f"/workflow-runs/{run_id}"},
        )
