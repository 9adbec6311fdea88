"""The models the SDK returns: the API's own response models, plus those of the event stream.

Responses are validated with the models the server answers with (`tutopanda.models`, the wire
models of `tutopanda.models.wire` among them), so the SDK and the server of one release agree
field by field; the SDK imports nothing of the server itself (tests/unit/test_import_direction.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, JsonValue, ValidationError
from pydantic.alias_generators import to_camel

from tutopanda.models.drafts import ConflictDraft, ConflictDraftDetail
from tutopanda.models.history import RevisionDetail, RevisionSource, RevisionSummary
from tutopanda.models.lecture import SECTION_NAMES, LectureSnapshot
from tutopanda.models.members import Member, Role
from tutopanda.models.presence import Focus
from tutopanda.models.project import (
    CreatedProject,
    LectureConfig,
    ProjectDetail,
    ProjectSummary,
)
from tutopanda.models.wire import (
    AcceptResponse,
    FieldError,
    HistoryPage,
    LectureDiff,
    MergeConflict,
    PatchOperation,
    Problem,
    ProjectPage,
    RunStatusResponse,
    SaveResponse,
)
from tutopanda.models.workflow import FINISHED, RunStatus, WorkflowRun, WorkflowStep

__all__ = [
    "FINISHED",
    "SECTION_NAMES",
    "AcceptResponse",
    "ConflictDraft",
    "ConflictDraftDetail",
    "CreatedProject",
    "Disconnect",
    "FieldError",
    "Focus",
    "HistoryPage",
    "LectureConfig",
    "LectureDiff",
    "LectureRevised",
    "LectureSnapshot",
    "LectureState",
    "Member",
    "MemberRemoved",
    "MergeConflict",
    "PatchOperation",
    "Problem",
    "ProjectDetail",
    "ProjectPage",
    "ProjectSummary",
    "RevisionDetail",
    "RevisionSummary",
    "Role",
    "RunStatus",
    "RunStatusResponse",
    "SaveResponse",
    "ServerEvent",
    "WorkflowProgress",
    "WorkflowRun",
    "WorkflowStep",
]


class _EventData(BaseModel):
    """Event data: camelCase on the wire; fields added by a later server are ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class LectureState(_EventData):
    """`lecture.state` (a new stream) or `resync` (fetch the lecture again): where it stands."""

    lecture_id: int
    revision: int
    runs: list[dict[str, JsonValue]]


class LectureRevised(_EventData):
    """`lecture.revised`: a revision committed (a save, a restore, a workflow step)."""

    lecture_id: int
    revision: int
    source: RevisionSource
    actor: str | None = None
    run_id: str | None = None
    changed_sections: list[str]
    forced: bool = False
    restored_from: int | None = None
    at: datetime | None = None


class WorkflowProgress(_EventData):
    """`workflow.progress`: a run was queued, started, finished a step, or finished."""

    lecture_id: int
    run_id: str
    kind: str
    status: RunStatus
    current_step: int
    total_steps: int
    step_name: str | None = None
    message: str | None = None
    step_progress: float | None = None
    error: str | None = None
    at: datetime | None = None


class MemberRemoved(_EventData):
    """`member.removed`: `user_id` was removed from the lecture's project by `removed_by` (their
    own stream gets `disconnect` instead, and ends)."""

    lecture_id: int
    user_id: str
    removed_by: str
    at: datetime | None = None


class PresentPerson(_EventData):
    """Someone on the lecture: their user id, display name and focus (or None)."""

    user_id: str
    name: str
    focus: dict[str, JsonValue] | None = None


class Presence(_EventData):
    """`presence`: who is on the lecture. `kind` is `state` (everyone now, in `present`),
    `joined`, `focus` or `left` (about `user_id`)."""

    kind: str
    user_id: str | None = None
    name: str | None = None
    focus: dict[str, JsonValue] | None = None
    present: list[PresentPerson] = []


class Disconnect(_EventData):
    """`disconnect`: the server dropped this subscriber (too far behind, stopping: a reconnect
    catches up; removed from the project: a reconnect is NotFound)."""

    reason: str


ParsedEvent = (
    LectureState | LectureRevised | WorkflowProgress | MemberRemoved | Disconnect | Presence
)  # what ServerEvent.parsed gives
_EVENT_MODELS: dict[str, type[_EventData]] = {
    "lecture.state": LectureState,
    "resync": LectureState,
    "lecture.revised": LectureRevised,
    "workflow.progress": WorkflowProgress,
    "member.removed": MemberRemoved,
    "disconnect": Disconnect,
    "presence": Presence,
}


class ServerEvent(BaseModel):
    """One Server-Sent Event of a lecture's stream: its name, its id (a stream position that
    `Last-Event-ID` resumes after) and its JSON data."""

    model_config = ConfigDict(frozen=True)

    event: str
    id: str | None
    data: Any

    def parsed(self) -> ParsedEvent | None:
        """The data as its typed model, or None for an event this SDK does not know (another
        name, or data of another shape)."""
        model = _EVENT_MODELS.get(self.event)
        if model is None or not isinstance(self.data, dict):
            return None
        try:
            parsed = model.model_validate(self.data)
        except ValidationError:
            return None
        assert isinstance(parsed, ParsedEvent)
        return parsed
