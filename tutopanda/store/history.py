"""The history of a lecture: list, read one revision, restore one."""

from __future__ import annotations

from tutopanda.db.execute import Connection, fetch_all, fetch_one
from tutopanda.models.history import RevisionDetail, RevisionSummary
from tutopanda.models.lecture import SaveResult


async def list_history(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    *,
    limit: int = 50,
    before_revision: int | None = None,
) -> list[RevisionSummary]:
    """Revisions newest first; pass the last one's revision as `before_revision` for more."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "limit": limit,
        "before_revision": before_revision,
    }
    return await fetch_all(conn, "lecture_history_list", params, RevisionSummary)


async def get_revision(
    conn: Connection, user_id: str, lecture_id: int, revision: int
) -> RevisionDetail:
    """One revision with the full snapshot after that write."""
    params = {"user_id": user_id, "lecture_id": lecture_id, "revision": revision}
    return await fetch_one(conn, "lecture_revision_get", params, RevisionDetail)


async def restore_revision(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    revision: int,
    base_revision: int,
    *,
    force: bool = False,
) -> SaveResult:
    """Make `revision`'s content current, as a new revision (or a conflict)."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "revision": revision,
        "base_revision": base_revision,
        "force": force,
    }
    return await fetch_one(conn, "lecture_restore", params, SaveResult)
