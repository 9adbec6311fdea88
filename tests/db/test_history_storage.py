"""History stores keyframes and deltas: every revision rebuilds exactly, storage grows with the
change, the hash chain still verifies and still catches tampering."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture, patch, timeline_of
from tests.support.sql import test_query
from tutopanda.audit.verify import verify_history
from tutopanda.store import history, lectures

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
CLIPS = 510  # about 200 KB of timeline JSON


async def text_of(admin: Conn, name: str, **params: Any) -> str:
    row = await (await admin.execute(test_query(name), params)).fetchone()
    assert row is not None
    return str(row[0])


async def save_timeline(conn: Conn, lecture_id: int, base: int, **sections: Any) -> None:
    """Save the whole timeline (nudged by `base` quarter seconds), as the editor sends it."""
    sections.setdefault("timeline", timeline_of(CLIPS, shift=base * 0.25))
    await lectures.save_draft(conn, "user-1", lecture_id, base, patch(**sections))


async def forge_delta(database: TestDatabase, lecture_id: int, revision: int, delta: Any) -> None:
    """Rewrite one stored delta as a superuser could, the append-only trigger switched off."""
    params = {"lecture_id": lecture_id, "revision": revision, "delta": json.dumps(delta)}
    with psycopg.connect(database.admin_url, autocommit=True) as superuser:
        superuser.execute(test_query("tamper_disable_guard"))
        superuser.execute(test_query("tamper_edit_delta"), params)
        superuser.execute(test_query("tamper_enable_guard"))


async def test_every_revision_rebuilds_exactly(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    live = [await text_of(admin_aconn, "lecture_text", lecture_id=created.lecture_id)]
    for revision in range(40):
        title = {"title": f"Title {revision}"} if revision % 7 == 3 else {}
        await save_timeline(aconn, created.lecture_id, revision, **title)
        live.append(await text_of(admin_aconn, "lecture_text", lecture_id=created.lecture_id))
    rebuilt = [
        await text_of(admin_aconn, "revision_text", lecture_id=created.lecture_id, revision=r)
        for r in range(len(live))
    ]
    assert rebuilt == live
    storage = await (
        await admin_aconn.execute(test_query("history_storage"), {"lecture_id": created.lecture_id})
    ).fetchall()
    keyframes = [revision for revision, keyframe, _ in storage if keyframe]
    assert keyframes == [0, 32]  # creation, then every 32 revisions


async def test_storage_grows_with_the_change_not_the_document(
    aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    await save_timeline(aconn, created.lecture_id, 0)
    raw = len(json.dumps(timeline_of(CLIPS)).encode())
    before = int(await text_of(admin_aconn, "history_table_bytes"))
    saves = 64
    for revision in range(1, saves + 1):
        await save_timeline(aconn, created.lecture_id, revision)
    grown = int(await text_of(admin_aconn, "history_table_bytes")) - before
    assert raw > 150_000
    assert grown / saves <= 0.1 * raw, f"{grown / saves:.0f} bytes per revision of {raw}"


async def test_numbers_keep_their_exact_text(
    aconn: Conn, admin_aconn: Conn, database: TestDatabase
) -> None:
    created = await new_lecture(aconn)
    timeline = timeline_of(CLIPS)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(timeline=timeline))
    changed = timeline_of(CLIPS)
    changed["tracks"]["voice"][5]["volume"] = 1.0  # equal to 1 for jsonb, not as text
    changed["tracks"]["voice"][9]["duration"] = 8  # a real change elsewhere in the section
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 1, patch(timeline=changed))
    live = await text_of(admin_aconn, "lecture_text", lecture_id=created.lecture_id)
    rebuilt = await text_of(admin_aconn, "revision_text", lecture_id=created.lecture_id, revision=2)
    assert rebuilt == live
    assert '"volume": 1.0' in live
    assert verify_history(database.admin_url, created.lecture_id).intact


async def test_verify_walks_keyframes_and_deltas_and_finds_a_forged_delta(
    aconn: Conn, database: TestDatabase
) -> None:
    created = await new_lecture(aconn)
    for revision in range(36):
        await save_timeline(aconn, created.lecture_id, revision)
    await history.restore_revision(aconn, "user-1", created.lecture_id, 3, base_revision=36)
    assert verify_history(database.admin_url).intact

    forged = [{"p": ["timeline", "tracks", "visual", "0", "startTime"], "v": 99}]
    await forge_delta(database, created.lecture_id, 5, forged)
    outcome = verify_history(database.admin_url, created.lecture_id)
    assert [(f.lecture_id, f.revision) for f in outcome.findings] == [(created.lecture_id, 5)]


async def test_a_delta_cannot_reach_outside_its_sections(
    aconn: Conn, database: TestDatabase
) -> None:
    created = await new_lecture(aconn)
    for revision in range(3):
        await save_timeline(aconn, created.lecture_id, revision)
    honest = [{"p": ["timeline", "tracks", "visual", "0", "startTime"], "v": 0.5}]
    await forge_delta(database, created.lecture_id, 2, [*honest, {"p": ["title"], "v": "Forged"}])
    outcome = verify_history(database.admin_url, created.lecture_id)
    # the forged title also reaches the rebuilt last revision, which no longer matches the live one
    assert [(f.kind, f.revision) for f in outcome.findings] == [
        ("row_edited", 2),
        ("live_differs", 3),
    ]
