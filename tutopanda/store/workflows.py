"""The workflow aggregate: runs (start, follow, cancel, resume, finish), idempotent steps, and
single-asset proposals (propose, accept, reject, expire)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from psycopg.types.json import Jsonb
from pydantic import JsonValue

from tutopanda.db.execute import Connection, fetch_one, fetch_value
from tutopanda.errors import Conflict
from tutopanda.models.workflow import (
    Accepted,
    AcceptOutcome,
    RunStatus,
    RunWork,
    StepOutcome,
    WorkflowRun,
)
from tutopanda.quotas import DEFAULT_QUOTAS, Quotas
from tutopanda.workflows import ASSET_REGENERATION, WorkflowKind


async def create_run(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    workflow: WorkflowKind,
    context: dict[str, JsonValue] | None = None,
    *,
    from_step: int = 1,
    force: bool = False,
    original_run_id: str | None = None,
    quotas: Quotas = DEFAULT_QUOTAS,
) -> str:
    """Start `workflow` on a lecture of the user at `from_step` (its job is enqueued with it).

    The run repeats `original_run_id`, or the lecture's latest run of the same kind. With
    `force`, steps recompute output the lecture already has; without, they skip it.
    QuotaExceeded when the user has `quotas.max_active_runs` active runs.
    """
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "kind": workflow.name,
        "total_steps": workflow.total_steps,
        "context": Jsonb({**(context or {}), **({"force": True} if force else {})}),
        "from_step": from_step,
        "original_run_id": original_run_id,
        **quotas.run_params(),
    }
    return str(await fetch_value(conn, "workflow_run_create", params))


async def regenerate_asset(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    asset_kind: str,
    asset_id: str,
    *,
    review_seconds: int,
    prompt: str | None = None,
    quotas: Quotas = DEFAULT_QUOTAS,
) -> str:
    """Start a one-step run proposing a new version of one asset (same id), to be reviewed.
    QuotaExceeded when the user has `quotas.max_active_runs` active runs."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "asset_kind": asset_kind,
        "asset_id": asset_id,
        "kind": ASSET_REGENERATION.name,
        "review_seconds": review_seconds,
        "context": Jsonb({} if prompt is None else {"assetPrompt": prompt}),
        **quotas.run_params(),
    }
    return str(await fetch_value(conn, "asset_regenerate", params))


async def get_run(conn: Connection, user_id: str, run_id: str) -> WorkflowRun:
    """A run of the user with its completed steps."""
    params = {"user_id": user_id, "run_id": run_id}
    return await fetch_one(conn, "workflow_run_get", params, WorkflowRun)


async def _status(conn: Connection, name: str, params: dict[str, Any]) -> RunStatus:
    return cast(RunStatus, str(await fetch_value(conn, name, params)))


async def start_run(conn: Connection, run_id: str) -> RunStatus:
    """queued -> running; returns the status (a finished run is left as it is)."""
    return await _status(conn, "workflow_run_start", {"run_id": run_id})


async def fail_run(conn: Connection, run_id: str, error: str) -> RunStatus:
    """queued/running -> failed with `error`; returns the status."""
    return await _status(conn, "workflow_run_fail", {"run_id": run_id, "error": error})


async def cancel_run(conn: Connection, user_id: str, run_id: str) -> RunStatus:
    """The owner cancels a run (idempotent); Conflict when it already finished."""
    return await _status(conn, "workflow_run_cancel", {"user_id": user_id, "run_id": run_id})


async def resume_run(
    conn: Connection, user_id: str, run_id: str, *, quotas: Quotas = DEFAULT_QUOTAS
) -> RunStatus:
    """The owner continues a failed or cancelled run at its first incomplete step (queued again:
    QuotaExceeded when the user has `quotas.max_active_runs` active runs)."""
    params = {"user_id": user_id, "run_id": run_id, **quotas.run_params()}
    return await _status(conn, "workflow_run_resume", params)


async def accept_proposal(
    conn: Connection, user_id: str, run_id: str, *, force: bool = False
) -> Accepted:
    """Apply a run's proposal as a revision. Conflict when the asset was edited or removed
    since the proposal (unless `force` replaces an edited one), or when it expired (recorded)."""
    params = {"user_id": user_id, "run_id": run_id, "force": force}
    outcome = await fetch_one(conn, "workflow_run_accept", params, AcceptOutcome)
    if outcome.status == "expired" or outcome.revision is None:
        raise _expired(run_id)
    return Accepted(revision=outcome.revision, merged_base=outcome.merged_base)


async def reject_proposal(conn: Connection, user_id: str, run_id: str) -> RunStatus:
    """Discard a run's proposal; Conflict when it had already expired (recorded)."""
    status = await _status(conn, "workflow_run_reject", {"user_id": user_id, "run_id": run_id})
    if status == "expired":
        raise _expired(run_id)
    return status


def _expired(run_id: str) -> Conflict:
    return Conflict(
        f"workflow run {run_id} expired: the proposal was not reviewed in time",
        hint="regenerate the asset again",
    )


async def expire_reviews(conn: Connection, now: datetime | None = None) -> int:
    """Record every proposal whose review time has passed (at `now`, default the server's
    clock) as expired; returns how many."""
    return int(await fetch_value(conn, "workflow_reviews_expire", {"now": now}))


async def report_progress(
    conn: Connection,
    run_id: str,
    step_index: int,
    step_name: str,
    *,
    message: str,
    fraction: float | None,
) -> bool:
    """Record a running step's progress (a run event); False when the run moved on."""
    params = {
        "run_id": run_id,
        "step_index": step_index,
        "step_name": step_name,
        "message": message,
        "fraction": fraction,
    }
    return bool(await fetch_value(conn, "workflow_run_progress", params))


async def run_work(conn: Connection, run_id: str) -> RunWork:
    """The run, its lecture snapshot and the project settings, for the worker."""
    return await fetch_one(conn, "workflow_run_work", {"run_id": run_id}, RunWork)


async def apply_step(
    conn: Connection,
    run_id: str,
    step_index: int,
    step_name: str,
    sections: Mapping[str, Any],
    *,
    output_summary: Mapping[str, Any] | None = None,
    attempts: int = 1,
    started_at: datetime | None = None,
    base_revision: int | None = None,
    merged_base: int | None = None,
) -> StepOutcome:
    """Write a step's sections once; a repeat returns the first revision and writes nothing.

    With `base_revision` (the revision the step read), nothing is written when another writer
    changed any of these sections since (`moved`); `merged_base` records, on a write merged onto
    a newer revision, the revision the step's output was computed on."""
    params = {
        "run_id": run_id,
        "step_index": step_index,
        "step_name": step_name,
        "sections": Jsonb(dict(sections)),
        "output_summary": Jsonb(dict(output_summary or {})),
        "attempts": attempts,
        "started_at": started_at,
        "base_revision": base_revision,
        "merged_base": merged_base,
    }
    return await fetch_one(conn, "workflow_step_apply", params, StepOutcome)


async def propose_step(
    conn: Connection,
    run_id: str,
    step_index: int,
    step_name: str,
    asset: Mapping[str, Any],
    *,
    base_revision: int,
    output_summary: Mapping[str, Any] | None = None,
    attempts: int = 1,
    started_at: datetime | None = None,
) -> StepOutcome:
    """Record a regeneration's step once: the proposed asset waits on the run for review."""
    params = {
        "run_id": run_id,
        "step_index": step_index,
        "step_name": step_name,
        "asset": Jsonb(dict(asset)),
        "base_revision": base_revision,
        "output_summary": Jsonb(dict(output_summary or {})),
        "attempts": attempts,
        "started_at": started_at,
    }
    return await fetch_one(conn, "workflow_step_propose", params, StepOutcome)
