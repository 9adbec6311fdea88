"""The lecture aggregate: read a lecture, save a draft (merging onto newer revisions), drafts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

from tutopanda.db.execute import Connection, fetch_json, fetch_one
from tutopanda.merge import three_way_merge
from tutopanda.models.lecture import SECTION_NAMES, LecturePatch, LectureSnapshot, SaveResult

# A merge races the writers that commit between its read and its write; each lost race is
# merged again onto the newer revision, this many times at most, then answered as a conflict.
MERGE_ATTEMPTS = 8


async def get_lecture(conn: Connection, user_id: str, lecture_id: int) -> LectureSnapshot:
    """The lecture with its revision; NotFound when missing or another user's."""
    params = {"user_id": user_id, "lecture_id": lecture_id}
    return await fetch_json(conn, "lecture_get", params, LectureSnapshot)


@dataclass(frozen=True)
class Rebase:
    """A change made on `base_revision` (`mine`: the sections sent) to merge onto `latest`."""

    base_revision: int
    mine: dict[str, Any]
    base: dict[str, Any]
    latest: dict[str, Any]
    latest_revision: int
    draft_id: int


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
    """Save the sections of `patch` on `base_revision`: saved; or, on a newer revision, merged
    per JSON path (with `merge`); or a conflict with the latest snapshot, the refused sections
    kept as a draft (`draft_id`) and, after a merge, the conflicting JSON Pointers."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "base_revision": base_revision,
        "sections": Jsonb(patch, dumps=LecturePatch.stored_text),
        "merge": merge,
        "force": force,
    }
    result = await fetch_one(conn, "lecture_save", params, SaveResult)
    rebase = _rebase(result, base_revision, patch.sections()) if merge else None
    if not merge or rebase is None:
        return result
    return await merge_onto_latest(conn, user_id, lecture_id, rebase, result)


async def merge_onto_latest(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    rebase: Rebase,
    conflict: SaveResult,
    *,
    resolution: str = "merged",
) -> SaveResult:
    """Merge a refused change onto the latest revision and write it there, exactly there (the
    database refuses it on any other); a writer that comes first meanwhile: merge again."""
    for _ in range(MERGE_ATTEMPTS):
        merged = three_way_merge(rebase.base, rebase.mine, rebase.latest)
        if merged.conflicts:
            pointers = [c.as_json() for c in merged.conflicts]
            return conflict.model_copy(update={"conflicts": pointers})
        changes = merged.sections or {name: merged.document[name] for name in rebase.mine}
        params = {
            "user_id": user_id,
            "lecture_id": lecture_id,
            "base_revision": rebase.base_revision,
            "onto_revision": rebase.latest_revision,
            "sections": Jsonb(LecturePatch.model_validate(changes).sections()),
            "draft_id": rebase.draft_id,
            "resolution": resolution,
        }
        result = await fetch_one(conn, "lecture_save_merged", params, SaveResult)
        if result.status == "saved":
            return result.model_copy(update={"merged_onto": rebase.latest_revision})
        conflict = result
        again = _rebase(result, rebase.base_revision, rebase.mine)
        if again is None:
            break
        rebase = again
    return conflict


def _rebase(result: SaveResult, base_revision: int, mine: dict[str, Any]) -> Rebase | None:
    """What a conflict brings back for a merge (None: not a conflict, or no base to merge on)."""
    stored, base, draft_id = result.latest, result.base, result.draft_id
    if result.status != "conflict" or stored is None or base is None or draft_id is None:
        return None
    latest = {name: stored.get(name) for name in SECTION_NAMES}
    return Rebase(base_revision, mine, base, latest, result.revision, draft_id)
