"""The event path: writers never notify; the publisher announces each change once, none skipped."""

from __future__ import annotations

import asyncio
from typing import Any, get_args

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import SCRIPT, new_lecture, patch
from tests.support.sql import test_query
from tutopanda.errors import NotFound
from tutopanda.models.events import EventType
from tutopanda.store import events, lectures, members, workflows

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


async def announced(listener: Conn, timeout: float = 0.3) -> list[int]:
    return [int(i) async for n in listener.notifies(timeout=timeout) for i in n.payload.split(",")]


async def publish_all(conn: Conn, admin: Conn, timeout: float = 10.0) -> int:
    """Publish until nothing committed is left to announce; return how many were announced.
    (Another database's open write transaction on the same server may hold the horizon back for
    a moment: the horizon is server-wide.)"""
    deadline = asyncio.get_running_loop().time() + timeout
    count = 0
    while True:
        count += await events.publish(conn)
        pending = await (await admin.execute(test_query("events_pending"))).fetchone()
        if pending == (False,):
            return count
        assert asyncio.get_running_loop().time() < deadline, "the horizon never passed"
        await asyncio.sleep(0.01)


async def test_writes_do_not_notify_and_are_read_by_cursor(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await admin_aconn.execute(test_query("listen_events"))
    first = patch(title="A", script=SCRIPT)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, first)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="B"))  # conflict
    assert await announced(admin_aconn) == []

    revised = await events.lecture_events(aconn, created.lecture_id, 0, 1)
    assert [(e.type, e.revision) for e in revised] == [("lecture.revised", 1)]
    assert revised[0].data == {
        "lectureId": created.lecture_id,
        "revision": 1,
        "source": "app",
        "actor": "user-1",
        "runId": None,
        "changedSections": ["script", "title"],
        "forced": False,
        "restoredFrom": None,
        "at": revised[0].data["at"],
    }


async def test_the_publisher_announces_each_change_once(aconn: Conn, admin_aconn: Conn) -> None:
    first, second = await new_lecture(aconn), await new_lecture(aconn)
    await admin_aconn.execute(test_query("listen_events"))
    await publish_all(aconn, admin_aconn)
    await announced(admin_aconn)  # the creations
    await lectures.save_draft(aconn, "user-1", second.lecture_id, 0, patch(title="Two"))
    await lectures.save_draft(aconn, "user-1", first.lecture_id, 0, patch(title="One"))
    assert await publish_all(aconn, admin_aconn) == 2
    assert sorted(await announced(admin_aconn)) == sorted([first.lecture_id, second.lecture_id])
    assert await events.publish(aconn) == 0
    assert await announced(admin_aconn) == []


async def test_a_change_committed_late_is_not_skipped(
    aconn: Conn, admin_aconn: Conn, database: TestDatabase
) -> None:
    slow, fast = await new_lecture(aconn), await new_lecture(aconn)
    await publish_all(aconn, admin_aconn)
    await admin_aconn.execute(test_query("listen_events"))
    async with await AsyncConnection.connect(database.runtime_conninfo) as writer:
        # The slow writer holds an open transaction with its event written but not committed.
        await lectures.save_draft(writer, "user-1", slow.lecture_id, 0, patch(title="Slow"))
        await lectures.save_draft(aconn, "user-1", fast.lecture_id, 0, patch(title="Fast"))
        assert await events.publish(aconn) == 0  # the fast one waits behind the open transaction
        await writer.commit()
    assert await publish_all(aconn, admin_aconn) == 2
    assert sorted(await announced(admin_aconn)) == sorted([slow.lecture_id, fast.lecture_id])


async def test_a_lectures_events_come_in_commit_order(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await workflows.start_run(aconn, created.run_id)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Edited"))
    await workflows.apply_step(aconn, created.run_id, 1, "script", {"script": SCRIPT})
    await workflows.cancel_run(aconn, "user-1", created.run_id)
    order = [
        (e.type, e.revision, e.seq, e.data.get("status"))
        for e in await events.lecture_events(aconn, created.lecture_id, -1, 0)
    ]
    assert order == [
        ("lecture.revised", 0, None, None),
        ("workflow.progress", 0, 1, "queued"),
        ("workflow.progress", 0, 2, "running"),
        ("lecture.revised", 1, None, None),
        ("lecture.revised", 2, None, None),
        ("workflow.progress", 2, 3, "running"),
        ("workflow.progress", 2, 4, "cancelled"),
    ]
    later = await events.lecture_events(aconn, created.lecture_id, 2, 3)
    assert [(e.type, e.seq) for e in later] == [("workflow.progress", 4)]


async def test_a_stream_opens_for_the_owner_only(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    start = await events.open_stream(aconn, "user-1", created.lecture_id)
    assert (start.revision, start.progress_seq) == (0, 1)
    assert [(r["runId"], r["status"]) for r in start.runs] == [(created.run_id, "queued")]
    with pytest.raises(NotFound):
        await events.open_stream(aconn, "user-2", created.lecture_id)


async def test_a_member_removal_is_an_event_numbered_with_the_runs(
    aconn: Conn, admin_aconn: Conn
) -> None:
    """Removing a member writes member.removed on the lecture, in the removal's transaction,
    numbered with the run events; a change of role writes no event."""
    created = await new_lecture(aconn)
    project, lecture = created.project_id, created.lecture_id
    await publish_all(aconn, admin_aconn)
    await admin_aconn.execute(test_query("listen_events"))
    await members.set_member(aconn, "user-1", project, "user-2", "editor")
    await members.set_member(aconn, "user-1", project, "user-2", "viewer")
    assert await publish_all(aconn, admin_aconn) == 0
    await members.remove_member(aconn, "user-1", project, "user-2")
    assert await publish_all(aconn, admin_aconn) == 1
    assert await announced(admin_aconn) == [lecture]
    await workflows.start_run(aconn, created.run_id)
    order = [(e.type, e.seq) for e in await events.lecture_events(aconn, lecture, -1, 0)]
    assert order == [
        ("lecture.revised", None),
        ("workflow.progress", 1),
        ("member.removed", 2),
        ("workflow.progress", 3),
    ]
    removal = (await events.lecture_events(aconn, lecture, 0, 1))[0]
    assert (removal.revision, removal.data) == (
        0,
        {"lectureId": lecture, "userId": "user-2", "removedBy": "user-1", "at": removal.data["at"]},
    )
    assert (await events.open_stream(aconn, "user-1", lecture)).progress_seq == 3


async def test_the_event_types_sql_names_are_the_models(admin_aconn: Conn) -> None:
    """One concept, one list: the types api.lecture_events spells are EventType's."""
    rows = await (await admin_aconn.execute(test_query("event_types"))).fetchall()
    assert {row[0] for row in rows} == set(get_args(EventType))
