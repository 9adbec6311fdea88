"""History: list (paged, newest first), one revision, restore; rows are append-only."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.factories import SCRIPT, new_lecture, patch
from tests.support.sql import test_query
from tutopanda.errors import InvalidInput, NotFound
from tutopanda.store import history, lectures

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


async def lecture_with_revisions(conn: Conn, count: int) -> int:
    created = await new_lecture(conn)
    for revision in range(count):
        await lectures.save_draft(
            conn, "user-1", created.lecture_id, revision, patch(title=f"Title {revision + 1}")
        )
    return created.lecture_id


async def test_list_is_newest_first_and_pages_by_revision(aconn: Conn) -> None:
    lecture_id = await lecture_with_revisions(aconn, 5)
    first = await history.list_history(aconn, "user-1", lecture_id, limit=2)
    assert [r.revision for r in first] == [5, 4]
    second = await history.list_history(
        aconn, "user-1", lecture_id, limit=2, before_revision=first[-1].revision
    )
    assert [r.revision for r in second] == [3, 2]
    rest = await history.list_history(aconn, "user-1", lecture_id, before_revision=2)
    assert [r.revision for r in rest] == [1, 0]
    assert all(r.created_by == "user-1" and r.source == "app" for r in first)
    assert first[0].changed_sections == ["title"]
    assert first[0].size_bytes > 0


async def test_list_refuses_bad_limits_and_other_users(aconn: Conn) -> None:
    lecture_id = await lecture_with_revisions(aconn, 1)
    with pytest.raises(InvalidInput):
        await history.list_history(aconn, "user-1", lecture_id, limit=0)
    with pytest.raises(NotFound):
        await history.list_history(aconn, "user-2", lecture_id)


async def test_get_one_revision_with_its_snapshot(aconn: Conn) -> None:
    lecture_id = await lecture_with_revisions(aconn, 3)
    revision = await history.get_revision(aconn, "user-1", lecture_id, 2)
    assert (revision.revision, revision.data.title, revision.lecture_id) == (
        2,
        "Title 2",
        lecture_id,
    )
    with pytest.raises(NotFound):
        await history.get_revision(aconn, "user-1", lecture_id, 99)
    with pytest.raises(NotFound):
        await history.get_revision(aconn, "user-2", lecture_id, 2)


async def test_restore_makes_an_old_revision_current_as_a_new_one(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    lecture_id = created.lecture_id
    await lectures.save_draft(aconn, "user-1", lecture_id, 0, patch(title="Good", script=SCRIPT))
    await lectures.save_draft(aconn, "user-1", lecture_id, 1, patch(title="Bad", script=None))
    restored = await history.restore_revision(aconn, "user-1", lecture_id, 1, base_revision=2)
    assert (restored.status, restored.revision) == ("saved", 3)
    assert restored.changed_sections == ["script", "title"]
    lecture = await lectures.get_lecture(aconn, "user-1", lecture_id)
    assert lecture.title == "Good"
    assert lecture.script is not None
    newest = (await history.list_history(aconn, "user-1", lecture_id, limit=1))[0]
    assert (newest.restored_from, newest.source) == (1, "app")


async def test_restore_on_a_stale_base_is_a_conflict(aconn: Conn) -> None:
    lecture_id = await lecture_with_revisions(aconn, 2)
    result = await history.restore_revision(aconn, "user-1", lecture_id, 0, base_revision=1)
    assert result.status == "conflict"
    assert result.lecture is not None
    assert result.lecture.revision == 2
    with pytest.raises(NotFound):
        await history.restore_revision(aconn, "user-1", lecture_id, 42, base_revision=2)


@pytest.mark.parametrize(
    "statement", ["tamper_history_update", "tamper_history_delete", "tamper_history_truncate"]
)
async def test_history_is_append_only_even_for_the_owner(
    aconn: Conn, admin_aconn: Conn, statement: str
) -> None:
    lecture_id = await lecture_with_revisions(aconn, 1)
    with pytest.raises(psycopg.Error) as raised:
        await admin_aconn.execute(test_query(statement), {"lecture_id": lecture_id})
    assert raised.value.sqlstate == "PT409"


@pytest.mark.parametrize("change", ["update", "delete", "truncate"])
async def test_membership_changes_are_append_only_even_for_the_owner(
    aconn: Conn, admin_aconn: Conn, change: str
) -> None:
    """The other record the audit trail reads has the same guard (app.append_only_guard)."""
    lecture_id = await lecture_with_revisions(aconn, 1)
    cursor = await admin_aconn.execute(test_query("lecture_project"), {"lecture_id": lecture_id})
    (project_id,) = await cursor.fetchone() or (None,)
    with pytest.raises(psycopg.Error) as raised:
        await admin_aconn.execute(
            test_query(f"tamper_member_changes_{change}"), {"project_id": project_id}
        )
    assert raised.value.sqlstate == "PT409"
    assert str(raised.value).startswith(f"membership changes: append-only ({change} refused)")


async def test_a_lecture_and_its_history_are_never_deleted(aconn: Conn, admin_aconn: Conn) -> None:
    lecture_id = await lecture_with_revisions(aconn, 2)
    with pytest.raises(psycopg.Error) as refused:
        await admin_aconn.execute(test_query("lecture_delete"), {"lecture_id": lecture_id})
    assert refused.value.sqlstate == "PT409"
    cursor = await admin_aconn.execute(test_query("history_count"), {"lecture_id": lecture_id})
    assert await cursor.fetchone() == (3,)
