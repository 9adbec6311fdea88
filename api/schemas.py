"""Request and response bodies of the HTTP API (camelCase JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
)

from tutopanda.models.base import MAX_SERIAL, WHOLE_FLOATS_ARE_INTS, CheckedModel, WireModel
from tutopanda.models.history import RevisionSummary
from tutopanda.models.lecture import LecturePatch, LectureSnapshot
from tutopanda.models.workflow import RunStatus

Revision = Annotated[int, Field(ge=0, le=MAX_SERIAL), WHOLE_FLOATS_ARE_INTS]


class SaveRequest(CheckedModel):
    """An auto-save: the dirty sections (`payload`) on the revision the editor last saw.

    The base revision comes from `baseRevision` or the `If-Match` header (one is required).
    `merge` applies the save when none of the sent sections changed since the base revision;
    `force` overwrites whatever happened since (recorded as forced in the history).
    """

    base_revision: Revision | None = None
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
    """A save that went through; `changedSections` is empty when nothing differed."""

    status: Literal["saved"]
    revision: int
    updated_at: datetime
    changed_sections: list[str]


class RestoreRequest(CheckedModel):
    """Restore an old revision on the revision the editor last saw (or `If-Match`)."""

    base_revision: Revision | None = None
    force: bool = False


class HistoryPage(WireModel):
    """Revisions newest first; pass `nextBefore` as `before` for the next page (null: no more)."""

    items: list[RevisionSummary]
    next_before: int | None


class WorkflowStartRequest(CheckedModel):
    """Which workflow to run on the lecture."""

    kind: Literal["lecture_generation", "timeline_resynthesis"] = "timeline_resynthesis"


class RunStatusResponse(WireModel):
    """A run's id and status after a start or a cancel."""

    run_id: str
    status: RunStatus


class HealthResponse(WireModel):
    """Liveness or readiness."""

    status: Literal["ok", "unavailable"]


class FieldError(WireModel):
    """One invalid field: its dotted path in the body (or the parameter name) and why."""

    field: str
    message: str


class Problem(WireModel):
    """An error, as RFC 9457 problem details (`application/problem+json`).

    `code` is stable and machine-readable. Conflicts carry the latest `lecture` snapshot;
    validation errors list the invalid fields in `errors`.
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
    """What changed between two revisions: per changed section, the patch from old to new."""

    lecture_id: int
    from_revision: int = Field(alias="from")
    to_revision: int = Field(alias="to")
    sections: dict[str, list[PatchOperation]]
