"""The wire models: request and response bodies of the HTTP API (camelCase JSON), used by the API
and by the SDK (tutopanda.client)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_validator,
    model_serializer,
)
from pydantic.config import JsonDict

from tutopanda.models.base import WHOLE_FLOATS_ARE_INTS, CheckedModel, WireModel
from tutopanda.models.history import RevisionSummary
from tutopanda.models.lecture import LecturePatch, LectureSnapshot
from tutopanda.models.project import ProjectSummary
from tutopanda.models.workflow import RUN_ID_PATTERN, RunStatus
from tutopanda.quotas import QuotaName
from tutopanda.workflows import STARTABLE_KINDS, StartableKind, workflow_kind


class SaveRequest(CheckedModel):
    """An auto-save: the dirty sections (`payload`) on the revision the editor last saw, which
    the request's `If-Match` names.

    `merge` merges the save onto a newer revision per JSON path (docs/merge.md) unless a path
    it changed was changed differently since the base (409 naming the paths);
    `force` overwrites whatever happened since (recorded as forced in the history).
    """

    payload: Annotated[LecturePatch, Field(json_schema_extra={"minProperties": 1})]
    merge: bool = False
    force: bool = False

    @field_validator("payload")
    @classmethod
    def _payload_is_not_empty(cls, payload: LecturePatch) -> LecturePatch:
        if not payload.model_fields_set:
            raise ValueError("payload must contain at least one section")
        return payload


class SaveResponse(WireModel):
    """A save that went through; `changedSections` is empty when nothing differed.

    `mergedOnto`: the save was merged onto this newer revision (the base had moved on).
    """

    status: Literal["saved"]
    revision: int
    updated_at: datetime
    changed_sections: list[str]
    merged_onto: int | None = None


class MergeConflict(WireModel):
    """A JSON path both sides changed differently (items named by id, docs/merge.md): the
    values at the base, mine and theirs (a side without a value there leaves its key out)."""

    pointer: str
    kind: Literal["edit", "delete", "insert", "order"]
    base: JsonValue = None
    mine: JsonValue = None
    theirs: JsonValue = None


class RestoreRequest(CheckedModel):
    """Options of a restore (on the revision the request's `If-Match` names): `force` restores
    even if the lecture moved on."""

    force: bool = False


class HistoryPage(WireModel):
    """Revisions newest first; pass `nextBefore` as `before` for the next page (null: no more)."""

    items: list[RevisionSummary]
    next_before: int | None


class ProjectPage(WireModel):
    """My projects newest first, each with its lectures; pass `nextBefore` as `before` for the
    next page (null: no more)."""

    items: list[ProjectSummary]
    next_before: int | None


_DEFAULT_KIND: StartableKind = "timeline_resynthesis"
_MOST_STEPS = max(workflow_kind(kind).total_steps for kind in STARTABLE_KINDS)


def _steps_per_kind(schema: JsonDict) -> None:
    """`fromStep` is at most the number of steps of the `kind` (the default kind when absent)."""
    schema["anyOf"] = [
        {
            "properties": {
                "kind": {"const": kind},
                "fromStep": {"maximum": workflow_kind(kind).total_steps},
            },
            **({} if kind == _DEFAULT_KIND else {"required": ["kind"]}),
        }
        for kind in STARTABLE_KINDS
    ]


class WorkflowStartRequest(CheckedModel):
    """Which workflow to run on the lecture, from which step (1-based; earlier steps count as
    done), and whether to redo steps whose output the lecture already has (`force`; without it
    they are skipped). The run repeats `originalRunId`, or the lecture's latest run of the kind.
    """

    model_config = ConfigDict(json_schema_extra=_steps_per_kind)

    kind: StartableKind = _DEFAULT_KIND
    from_step: Annotated[int, Field(ge=1, le=_MOST_STEPS), WHOLE_FLOATS_ARE_INTS] = 1
    force: bool = False
    original_run_id: Annotated[str, Field(pattern=RUN_ID_PATTERN)] | None = None

    @field_validator("from_step")
    @classmethod
    def _a_step_of_the_kind(cls, from_step: int, info: ValidationInfo) -> int:
        kind = info.data.get("kind", _DEFAULT_KIND)
        steps = workflow_kind(kind).total_steps
        if from_step > steps:
            raise ValueError(f"{kind} has {steps} step(s): fromStep is 1 to {steps}")
        return from_step


class RunStatusResponse(WireModel):
    """A run's id and status after a start, a cancel, a resume or a review."""

    run_id: str
    status: RunStatus


class RegenerateRequest(CheckedModel):
    """Regenerate one asset: optionally with a new prompt (an image's or music's `prompt`, a
    narration's `finalScript`, a video's `movieDirections`)."""

    prompt: Annotated[str, Field(min_length=1, max_length=10_000)] | None = None


class AcceptRequest(CheckedModel):
    """Accept a proposal; `force` replaces the asset even if it was edited since the proposal."""

    force: bool = False


class AcceptResponse(WireModel):
    """An accepted proposal: the revision that applied it; `mergedBase` is the revision the
    proposal was made on when the lecture had moved on (other edits stand)."""

    run_id: str
    status: Literal["succeeded"]
    revision: int
    merged_base: int | None


class HealthResponse(WireModel):
    """Liveness or readiness."""

    status: Literal["ok", "unavailable"]


class FieldError(WireModel):
    """One invalid field: its dotted path in the body (or the parameter name) and why."""

    field: str
    message: str


class Problem(WireModel):
    """An error, as RFC 9457 problem details (`application/problem+json`).

    `code` is stable and machine-readable. Conflicts carry the latest `lecture` snapshot, the
    `draftId` keeping the refused sections, and after a merge the conflicting JSON paths
    (`conflicts`); validation errors list the invalid fields in `errors`; a 429
    `quota_exceeded` names the `quota` and its `limit` (`Retry-After` says when to retry).
    """

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    request_id: str
    errors: list[FieldError] | None = None
    lecture: LectureSnapshot | None = None
    draft_id: int | None = None
    conflicts: list[MergeConflict] | None = None
    quota: QuotaName | None = None
    limit: int | None = None


class PatchOperation(WireModel):
    """One RFC 6902 operation; `path` is a JSON Pointer inside its section (no value to remove)."""

    op: Literal["add", "remove", "replace"]
    path: str
    value: JsonValue = None

    @model_serializer(mode="wrap")
    def _remove_has_no_value(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if self.op == "remove" and isinstance(data, dict):
            data.pop("value", None)
        return data


class LectureDiff(WireModel):
    """What changed between two revisions, and who made each: per changed section, the patch
    from old to new."""

    lecture_id: int
    from_revision: int = Field(alias="from")
    to_revision: int = Field(alias="to")
    from_created_by: str  # who made revision `from`
    to_created_by: str  # who made revision `to`
    sections: dict[str, list[PatchOperation]]
