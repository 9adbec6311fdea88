"""The lecture aggregate: read a lecture, save a draft."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from tutopanda.db.execute import Connection, fetch_json, fetch_one
from tutopanda.models.lecture import LecturePatch, LectureSnapshot, SaveResult


async def get_lecture(conn: Connection, user_id: str, lecture_id: int) -> LectureSnapshot:
    """The lecture with its revision; NotFound when missing or another user's."""
    params = {"user_id": user_id, "lecture_id": lecture_id}
    return await fetch_json(conn, "lecture_get", params, LectureSnapshot)


async def save_draft(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    base_revision: int,
    patch: LecturePatch,
    *,
    merge: bool = False,
    force: bool = False,
) -> SaveResult:
    """Save the sections of `patch` on `base_revision`: saved, or conflict with the latest."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "base_revision": base_revision,
        "sections": Jsonb(patch.sections()),
        "merge": merge,
        "force": force,
    }
    return await fetch_one(conn, "lecture_save", params, SaveResult)
