"""Events of a lecture (revisions and run progress) and where a lecture's stream starts."""

from __future__ import annotations

from typing import Literal

from pydantic import JsonValue

from tutopanda.models.base import WireModel

EventType = Literal["lecture.revised", "workflow.progress"]


class LectureEvent(WireModel):
    """One committed change: a history row (lecture.revised) or a run event (workflow.progress).

    `revision` and `seq` place it in the lecture's commit order; `seq` is set on run events.
    """

    revision: int
    seq: int | None
    type: EventType
    data: dict[str, JsonValue]


class StreamStart(WireModel):
    """A lecture's position when a subscriber joins: revision, last run event, active runs."""

    revision: int
    progress_seq: int
    runs: list[dict[str, JsonValue]]
