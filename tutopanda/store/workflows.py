"""The workflow aggregate: runs (start, follow, cancel, finish) and idempotent steps."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from psycopg.types.json import Jsonb
from pydantic import JsonValue

from tutopanda.db.execute import Connection, fetch_one, fetch_value
from tutopanda.models.workflow import RunStatus, RunWork, StepOutcome, WorkflowRun
from tutopanda.workflows import WorkflowKind


async def create_run(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    workflow: WorkflowKind,
    context: dict[str, JsonValue] | None = None,
) -> str:
    """Start `workflow` on a lecture of the user; its first job is enqueued with it."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "kind": workflow.name,
        "total_steps": workflow.total_steps,
        "context": Jsonb(context or {}),
    }
    return str(await fetch_value(conn, "workflow_run_create", params))


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
) -> StepOutcome:
    """Write a step's sections once; a repeat returns the first revision and writes nothing."""
    params = {
        "run_id": run_id,
        "step_index": step_index,
        "step_name": step_name,
        "sections": Jsonb(dict(sections)),
        "output_summary": Jsonb(dict(output_summary or {})),
        "attempts": attempts,
        "started_at": started_at,
    }
    return await fetch_one(conn, "workflow_step_apply", params, StepOutcome)
