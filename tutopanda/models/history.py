"""The append-only history of a lecture."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from tutopanda.models.base import WireModel
from tutopanda.models.lecture import LectureContent

RevisionSource = Literal["app", "workflow", "system"]  # editor save, workflow step, migration


class RevisionSummary(WireModel):
    """One history row without its snapshot."""

    revision: int
    source: RevisionSource
    created_by: str
    run_id: str | None
    changed_sections: list[str]
    forced: bool
    restored_from: int | None
    size_bytes: int
    created_at: datetime


class RevisionDetail(RevisionSummary):
    """One history row with the full snapshot after that write."""

    lecture_id: int
    data: LectureContent
