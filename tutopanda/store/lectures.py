"""The lecture aggregate: read a lecture, save a draft (merging onto newer revisions), drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from psycopg.types.json import Jsonb

from tutopanda.db.execute import (
    Connection,
    fetch_json,
    fetch_one,
    fetch_tuple,
    fetch_tuple_or_model,
)
from tutopanda.merge import MergeResult
from tutopanda.models.lecture import (
    SECTION_NAMES,
    LecturePatch,
    LectureSnapshot,
    SaveResult,
    StoredSections,
)
from tutopanda.store.rebase import Latest, Written, merge_until_written


async def get_lecture(conn: Connection, user_id: str, lecture_id: int) -> LectureSnapshot:
    """The lecture with its revision; NotFound when missing or another user's."""
    params = {"user_id": user_id, "lecture_id": lecture_id}
    return await fetch_json(conn, "lecture_get", params, LectureSnapshot)


class WireLecture(NamedTuple):
    """A lecture as the HTTP API sends it (JSON text, LectureSnapshot's shape) and its revision,
    in the order the query gives them."""

    revision: int
    lecture: str


async def get_lecture_wire(conn: Connection, user_id: str, lecture_id: int) -> WireLecture:
    """The lecture as JSON text made by the database, not parsed here (a read answers with it as
    it is); NotFound when missing or another user's."""
    params = {"user_id": user_id, "lecture_id": lecture_id}
    return WireLecture(*await fetch_tuple(conn, "lecture_get_wire", params))


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
    patch: StoredSections,
    *,
    merge: bool = False,
    force: bool = False,
) -> SaveResult:
    """Save the sections of `patch` on `base_revision`: saved; or, on a newer revision, merged
    per JSON path (with `merge`); or a conflict with the latest snapshot, the refused sections
    kept as a draft (`draft_id`) and, after a merge, the conflicting JSON Pointers."""
    result = await save_sections(
        conn, user_id, lecture_id, base_revision, patch, merge=merge, force=force
    )
    if isinstance(result, SaveResult):
        return result
    return SaveResult(
        status="saved",
        revision=result.revision,
        updated_at=result.updated_at,
        changed_sections=result.changed_sections,
        lecture=None,
        draft_id=None,
        base=None,
    )


class Saved(NamedTuple):
    """A save that went through, as the database answered it (the first columns of
    api.lecture_save_result, in their order): what its answer needs, with no model built."""

    status: str
    revision: int
    updated_at: datetime
    changed_sections: list[str]


async def save_sections(
    conn: Connection,
    user_id: str,
    lecture_id: int,
    base_revision: int,
    patch: StoredSections,
    *,
    merge: bool = False,
    force: bool = False,
) -> Saved | SaveResult:
    """`save_draft` for the editor's hot path (api/lecture_fast_path.py): a save that went through
    on `base_revision` itself comes back as `Saved` (validating the database's own answer into
    a model cost ~4 % of a request's CPU); anything else as `save_draft` answers it."""
    params = {
        "user_id": user_id,
        "lecture_id": lecture_id,
        "base_revision": base_revision,
        "sections": Jsonb(patch, dumps=_stored_text),
        "merge": merge,
        "force": force,
    }
    row = await fetch_tuple_or_model(conn, "lecture_save", params, SaveResult, as_tuple=_saved)
    if not isinstance(row, SaveResult):
        return Saved(*row[: len(Saved._fields)])
    if not merge or _met(row) is None:
        return row  # the sections are read back only for a merge that met a newer revision
    rebase = _rebase(row, base_revision, patch.sections())
    if rebase is None:
        return row
    return await merge_onto_latest(conn, user_id, lecture_id, rebase, row)


def _saved(row: tuple[Any, ...]) -> bool:
    return bool(row[0] == "saved")


def _stored_text(sections: StoredSections) -> str:
    return sections.stored_text()


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
    database refuses it on any other), by the policy of tutopanda.store.rebase: a conflicting
    path ends it in a conflict naming the paths; out of attempts, the last conflict stands."""

    async def write(merged: MergeResult, onto: int) -> Written[SaveResult]:
        changes = merged.sections or {name: merged.document[name] for name in rebase.mine}
        params = {
            "user_id": user_id,
            "lecture_id": lecture_id,
            "base_revision": rebase.base_revision,
            "onto_revision": onto,
            "sections": Jsonb(LecturePatch.model_validate(changes).sections()),
            "draft_id": rebase.draft_id,
            "resolution": resolution,
        }
        result = await fetch_one(conn, "lecture_save_merged", params, SaveResult)
        if result.status == "saved":
            return Written(result.model_copy(update={"merged_onto": onto}))
        return Written(result, newer=_met(result))

    return await merge_until_written(
        rebase.base,
        rebase.mine,
        Latest(rebase.latest_revision, rebase.latest),
        write,
        refused=conflict,
        on_conflicts=_naming_the_paths,
        exhausted=_as_refused,
    )


def _naming_the_paths(conflict: SaveResult, merged: MergeResult) -> SaveResult:
    """An editor's save stops at a conflicting path: the conflict answers with the pointers."""
    return conflict.model_copy(update={"conflicts": [c.as_json() for c in merged.conflicts]})


def _as_refused(conflict: SaveResult) -> SaveResult:
    """Out of attempts, an editor's save answers the last conflict (no paths: nothing clashed)."""
    return conflict


def _rebase(result: SaveResult, base_revision: int, mine: dict[str, Any]) -> Rebase | None:
    """What a conflict brings back for a merge (None: not a conflict, or no base to merge on)."""
    met, base, draft_id = _met(result), result.base, result.draft_id
    if met is None or base is None or draft_id is None:
        return None
    return Rebase(base_revision, mine, base, dict(met.sections), met.revision, draft_id)


def _met(result: SaveResult) -> Latest | None:
    """The revision a conflict met, as stored (None: not a conflict, or without the base)."""
    if result.status != "conflict" or result.latest is None or result.base is None:
        return None
    return Latest(result.revision, {name: result.latest.get(name) for name in SECTION_NAMES})
