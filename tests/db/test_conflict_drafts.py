"""Nothing typed is lost: refused saves are kept as drafts; merge per JSON path, within sections."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture, patch, timeline_of
from tests.support.processes import run_cli
from tests.support.sql import test_query
from tutopanda.errors import NotFound
from tutopanda.store import drafts, lectures

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


async def rows(admin: Conn, name: str, lecture_id: int) -> list[tuple[Any, ...]]:
    return await (await admin.execute(test_query(name), {"lecture_id": lecture_id})).fetchall()


def nudged(timeline: dict[str, Any], track: str, index: int, seconds: float) -> dict[str, Any]:
    changed = copy.deepcopy(timeline)
    changed["tracks"][track][index]["startTime"] += seconds
    return changed


async def lecture_with_timeline(aconn: Conn) -> tuple[int, dict[str, Any]]:
    created = await new_lecture(aconn)
    timeline = timeline_of(6)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(timeline=timeline))
    return created.lecture_id, timeline


async def test_a_refused_save_is_kept_as_a_draft(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Theirs"))
    refused = await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Mine"))
    assert (refused.status, refused.revision) == ("conflict", 1)
    assert refused.draft_id is not None
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert (lecture.title, lecture.revision) == ("Theirs", 1)
    kept = await drafts.list_drafts(aconn, "user-1", created.lecture_id)
    assert [(d.id, d.base_revision, d.conflict_revision, d.sections) for d in kept] == [
        (refused.draft_id, 0, 1, {"title": "Mine"})
    ]
    with pytest.raises(NotFound):
        await drafts.list_drafts(aconn, "user-2", created.lecture_id)
    audited = await rows(admin_aconn, "draft_rows", created.lecture_id)
    assert [(r[1], r[2], r[3], r[5]) for r in audited] == [("user-1", 0, 1, None)]


async def test_edits_of_different_clips_merge_within_a_section(
    aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, timeline = await lecture_with_timeline(aconn)
    theirs = nudged(timeline, "visual", 1, 2.0)  # a workflow regenerates clip 1
    await lectures.save_draft(aconn, "user-1", lecture_id, 1, patch(timeline=theirs))
    mine = nudged(timeline, "voice", 4, 0.5)  # the person nudges another clip, on the old base
    merged = await lectures.save_draft(
        aconn, "user-1", lecture_id, 1, patch(timeline=mine), merge=True
    )
    assert (merged.status, merged.revision, merged.merged_onto) == ("saved", 3, 2)
    final = await lectures.get_lecture(aconn, "user-1", lecture_id)
    assert final.timeline is not None
    tracks = final.timeline.tracks
    assert float(tracks.visual[1].start_time) == timeline["tracks"]["visual"][1]["startTime"] + 2
    assert float(tracks.voice[4].start_time) == timeline["tracks"]["voice"][4]["startTime"] + 0.5
    assert (await rows(admin_aconn, "history_merges", lecture_id))[-1] == (3, 1)
    assert [r[5:] for r in await rows(admin_aconn, "draft_rows", lecture_id)] == [("merged", 3)]


async def test_the_same_clip_changed_differently_is_a_conflict_naming_its_path(
    aconn: Conn,
) -> None:
    lecture_id, timeline = await lecture_with_timeline(aconn)
    await lectures.save_draft(
        aconn, "user-1", lecture_id, 1, patch(timeline=nudged(timeline, "visual", 2, 1))
    )
    clash = await lectures.save_draft(
        aconn, "user-1", lecture_id, 1, patch(timeline=nudged(timeline, "visual", 2, 3)), merge=True
    )
    assert clash.status == "conflict"
    assert [c["pointer"] for c in clash.conflicts] == ["/timeline/tracks/visual/visual-2/startTime"]
    assert clash.draft_id is not None
    assert [d.id for d in await drafts.list_drafts(aconn, "user-1", lecture_id)] == [clash.draft_id]
    unchanged = await lectures.get_lecture(aconn, "user-1", lecture_id)
    assert unchanged.revision == 2


async def test_a_draft_applies_onto_the_latest_revision(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Theirs"))
    refused = await lectures.save_draft(
        aconn, "user-1", created.lecture_id, 0, patch(summary="Typed while offline")
    )
    assert refused.draft_id is not None
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 1, patch(title="Later"))
    applied = await drafts.apply_draft(aconn, "user-1", created.lecture_id, refused.draft_id)
    assert (applied.status, applied.revision) == ("saved", 3)
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert (lecture.title, lecture.summary) == ("Later", "Typed while offline")
    assert await drafts.list_drafts(aconn, "user-1", created.lecture_id) == []
    assert [r[5:] for r in await rows(admin_aconn, "draft_rows", created.lecture_id)] == [
        ("applied", 3)
    ]
    with pytest.raises(NotFound):
        await drafts.apply_draft(aconn, "user-1", created.lecture_id, refused.draft_id)


async def test_a_discarded_draft_is_kept_until_pruned(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Theirs"))
    refused = await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="x"))
    open_one = await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="y"))
    assert refused.draft_id is not None
    assert open_one.draft_id is not None
    with pytest.raises(NotFound):
        await drafts.discard_draft(aconn, "user-2", created.lecture_id, refused.draft_id)
    await drafts.discard_draft(aconn, "user-1", created.lecture_id, refused.draft_id)
    assert [d.id for d in await drafts.list_drafts(aconn, "user-1", created.lecture_id)] == [
        open_one.draft_id
    ]
    assert await drafts.prune_drafts(aconn, datetime.now(UTC) + timedelta(seconds=1)) == 1
    remaining = await rows(admin_aconn, "draft_rows", created.lecture_id)
    assert [(r[0], r[5]) for r in remaining] == [(open_one.draft_id, None)]  # never pruned


async def test_the_prune_command_deletes_only_resolved_drafts(
    aconn: Conn, admin_aconn: Conn, database: TestDatabase
) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Theirs"))
    refused = await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="x"))
    kept = await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="y"))
    assert refused.draft_id is not None
    await drafts.discard_draft(aconn, "user-1", created.lecture_id, refused.draft_id)

    early = run_cli(database.admin_url, "db", "prune-drafts", "--resolved-before", "2000-01-01")
    later = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    pruned = run_cli(database.admin_url, "db", "prune-drafts", "--resolved-before", later)
    bad = run_cli(database.admin_url, "db", "prune-drafts", "--resolved-before", "soon")

    assert (early.returncode, early.stdout.split(":")[1].split()[0]) == (0, "0")
    assert (pruned.returncode, pruned.stdout.split(":")[1].split()[0]) == (0, "1")
    assert (bad.returncode, bad.stderr.count("\n")) == (2, 1)
    remaining = await rows(admin_aconn, "draft_rows", created.lecture_id)
    assert [r[0] for r in remaining] == [kept.draft_id]
