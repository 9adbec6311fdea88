"""Conflict drafts: list a user's, rebase one onto the latest revision, discard one, prune."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import RootModel

from tutopanda.db.execute import Connection, fetch_all, fetch_json, fetch_one, fetch_value
from tutopanda.models.drafts import ConflictDraft, ConflictDraftDetail
from tutopanda.models.lecture import SECTION_NAMES, SaveResult
from tutopanda.store.lectures import Rebase, merge_onto_latest


class _Stored(RootModel[dict[str, Any]]):
    """A lecture exactly as stored (what a merge compares), not normalised by the models."""


async def list_drafts(conn: Connection, user_id: str, lecture_id: int) -> list[ConflictDraft]:
    """The user's unresolved drafts on a lecture, oldest first."""
    params = {"user_id": user_id, "lecture_id": lecture_id}
    return await fetch_all(conn, "lecture_drafts", params, ConflictDraft)


async def get_draft(
    conn: Connection, user_id: str, lecture_id: int, draft_id: int
) -> ConflictDraftDetail:
    """One unresolved draft with its base content; NotFound when missing, resolved or not theirs."""
    params = {"user_id": user_id, "lecture_id": lecture_id, "draft_id": draft_id}
    return await fetch_one(conn, "lecture_draft_get", params, ConflictDraftDetail)


async def apply_draft(conn: Connection, user_id: str, lecture_id: int, draft_id: int) -> SaveResult:
    """Rebase a draft onto the latest revision: saved (merged), or a conflict naming the paths."""
    draft = await get_draft(conn, user_id, lecture_id, draft_id)
    params = {"user_id": user_id, "lecture_id": lecture_id}
    latest = await fetch_json(conn, "lecture_get", params, _Stored)
    rebase = Rebase(
        base_revision=draft.base_revision,
        mine=draft.sections,
        base=draft.base,
        latest={name: latest.root.get(name) for name in SECTION_NAMES},
        latest_revision=int(latest.root["revision"]),
        draft_id=draft.id,
    )
    conflict = SaveResult.model_validate(
        {
            "status": "conflict",
            "revision": rebase.latest_revision,
            "updatedAt": latest.root["updatedAt"],
            "changedSections": [],
            "lecture": latest.root,
            "draftId": draft.id,
            "base": draft.base,
        }
    )
    return await merge_onto_latest(
        conn, user_id, lecture_id, rebase, conflict, resolution="applied"
    )


async def discard_draft(conn: Connection, user_id: str, lecture_id: int, draft_id: int) -> None:
    """Discard an unresolved draft (kept, marked discarded, until pruned)."""
    params = {"user_id": user_id, "lecture_id": lecture_id, "draft_id": draft_id}
    await fetch_value(conn, "lecture_draft_discard", params)


async def prune_drafts(conn: Connection, resolved_before: datetime) -> int:
    """Delete the drafts resolved before a time; returns how many."""
    return int(await fetch_value(conn, "drafts_prune", {"resolved_before": resolved_before}))
