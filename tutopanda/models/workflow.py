"""Workflow runs and their completed steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, JsonValue

from tutopanda.models.base import WireModel

# queued -> running -> succeeded | failed | cancelled
RunStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class WorkflowStep(WireModel):
    """A completed step: the revision it produced and what it made."""

    step_index: int
    name: str
    revision: int
    output_summary: dict[str, JsonValue]
    attempts: int
    started_at: datetime | None
    completed_at: datetime


class RunState(WireModel):
    """Where a run stands: which lecture, which workflow, step n of N."""

    run_id: str
    lecture_id: int
    user_id: str
    kind: str
    status: RunStatus
    current_step: int
    total_steps: int
    context: dict[str, JsonValue]


class WorkflowRun(RunState):
    """A run of a workflow on one lecture, as its owner sees it."""

    error: str | None
    created_at: datetime
    updated_at: datetime
    steps: list[WorkflowStep] = Field(default_factory=list)


class StepOutcome(WireModel):
    """What applying a step did: `applied` is false when the step had already been recorded."""

    revision: int
    applied: bool
    run_status: RunStatus


class RunWork(RunState):
    """Everything a worker needs to run the next step of a run."""

    lecture: dict[str, Any]
    settings: dict[str, JsonValue]
