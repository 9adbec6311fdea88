"""Conflict drafts: saves refused as conflicts, kept until applied or discarded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tutopanda.models.base import WireModel


class ConflictDraft(WireModel):
    """A refused save: whose it is, the sections sent, the revision they were made on, the one
    they lost to."""

    id: int
    lecture_id: int
    user_id: str  # the author: whose save was refused (an owner also sees other members')
    base_revision: int
    conflict_revision: int
    sections: dict[str, Any]
    created_at: datetime


class ConflictDraftDetail(ConflictDraft):
    """A draft with the content of the revision it was made on (what rebasing it needs)."""

    base: dict[str, Any]
