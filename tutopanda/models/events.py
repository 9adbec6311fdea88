"""Events of a lecture (revisions, run progress, member removals) and where a lecture's stream
starts."""

from __future__ import annotations

from typing import Literal

from pydantic import JsonValue

from tutopanda.models.base import WireModel

# The events of a lecture's log, as api.lecture_events names them (tests/db/test_events.py
# compares the two).
EventType = Literal["lecture.revised", "workflow.progress", "member.removed"]
MEMBER_REMOVED: EventType = "member.removed"  # data: lectureId, userId, removedBy, at


class LectureEvent(WireModel):
    """One committed change: a history row (lecture.revised), a run event (workflow.progress) or
    a member removal (member.removed).

    `revision` and `seq` place it in the lecture's commit order; `seq` is set on run events and
    member removals (one numbering per lecture).
    """

    revision: int
    seq: int | None
    type: EventType
    data: dict[str, JsonValue]


class StreamStart(WireModel):
    """A lecture's position when a subscriber joins: revision, last numbered event (run events
    and member removals), active runs."""

    revision: int
    progress_seq: int
    runs: list[dict[str, JsonValue]]
