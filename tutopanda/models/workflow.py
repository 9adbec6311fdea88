"""Workflow runs and their completed steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, JsonValue

from tutopanda.models.base import WireModel

# queued -> running -> succeeded | failed | cancelled; failed/cancelled -> queued (resume);
# a regeneration: running -> waiting_for_review -> succeeded (accepted) | rejected | expired.
# The CHECK on app.workflow_runs.status is the same list (tests/db/test_sections.py compares).
RunStatus = Literal[
    "queued",
    "running",
    "waiting_for_review",
    "succeeded",
    "failed",
    "cancelled",
    "rejected",
    "expired",
]
# A run in one of these will not change again by itself (resume starts it again); a run in any
# other occupies its lecture (SQL's app.workflow_run_active; tests/db/test_sections.py compares).
FINISHED: frozenset[RunStatus] = frozenset(
    {"succeeded", "failed", "cancelled", "rejected", "expired"}
)
# A run id: a lowercase UUID (gen_random_uuid()::text).
RUN_ID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


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
    """A run of a workflow on one lecture, as its owner sees it.

    A rerun names the run it repeats (`original_run_id`) and counts its `attempt` (a resume
    counts too). A regeneration waiting for review shows its `proposal` beside the lecture's
    `current_asset`, made from revision `proposal_revision`, to be answered by `review_expires_at`.
    """

    error: str | None
    created_at: datetime
    updated_at: datetime
    steps: list[WorkflowStep] = Field(default_factory=list)
    original_run_id: str | None = None
    attempt: int = 1
    proposal: dict[str, JsonValue] | None = None
    current_asset: dict[str, JsonValue] | None = None
    proposal_revision: int | None = None
    review_expires_at: datetime | None = None


class AcceptOutcome(WireModel):
    """What accepting a proposal did: `succeeded` with the revision that applied it (and the
    proposal's revision as `merged_base` when the lecture had moved on), or `expired`."""

    status: RunStatus
    revision: int | None
    merged_base: int | None


class Accepted(WireModel):
    """An accepted proposal: the revision that applied it, and the proposal's own revision
    (`merged_base`) when the lecture had moved on since."""

    revision: int
    merged_base: int | None


class StepOutcome(WireModel):
    """What applying a step did: `applied` is false when the step had already been recorded, or
    when `moved`: another writer changed the step's sections since the revision it read."""

    revision: int
    applied: bool
    run_status: RunStatus
    moved: bool = False


class RunWork(RunState):
    """Everything a worker needs to run the next step of a run."""

    lecture: dict[str, Any]
    settings: dict[str, JsonValue]
