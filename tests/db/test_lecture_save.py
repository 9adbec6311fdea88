"""api.lecture_get / api.lecture_save: happy paths, conflicts, options and every error code."""

from __future__ import annotations

import json
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from tests.support.factories import SCRIPT, new_lecture, patch
from tests.support.sql import test_query
from tutopanda.errors import InvalidInput, NotFound
from tutopanda.store import lectures

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


async def history(admin: Conn, lecture_id: int) -> list[tuple[Any, ...]]:
    cursor = await admin.execute(test_query("history_rows"), {"lecture_id": lecture_id})
    return await cursor.fetchall()


async def test_new_lecture_is_revision_zero_with_history(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert (lecture.revision, lecture.title, lecture.script, lecture.images) == (
        0,
        "Untitled Lecture",
        None,
        [],
    )
    rows = await history(admin_aconn, created.lecture_id)
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [(0, "app", "user-1", [])]


async def test_another_users_lecture_looks_missing(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    with pytest.raises(NotFound) as other:
        await lectures.get_lecture(aconn, "user-2", created.lecture_id)
    with pytest.raises(NotFound) as missing:
        await lectures.get_lecture(aconn, "user-2", created.lecture_id + 1000)
    assert type(other.value) is type(missing.value)
    with pytest.raises(NotFound):
        await lectures.save_draft(aconn, "user-2", created.lecture_id, 0, patch(title="x"))


async def test_save_writes_sections_and_one_history_row(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    result = await lectures.save_draft(
        aconn, "user-1", created.lecture_id, 0, patch(title="Rome", script=SCRIPT)
    )
    assert (result.status, result.revision, result.changed_sections) == (
        "saved",
        1,
        ["script", "title"],
    )
    assert result.lecture is None
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert lecture.revision == 1
    assert lecture.updated_at == result.updated_at
    assert lecture.script is not None
    assert lecture.script.model_dump(by_alias=True) == SCRIPT
    rows = await history(admin_aconn, created.lecture_id)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows][-1] == (
        1,
        "app",
        "user-1",
        None,
        ["script", "title"],
        False,
    )
    assert rows[-1][7]["script"] == SCRIPT


async def test_unchanged_save_writes_nothing(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Rome"))
    again = await lectures.save_draft(aconn, "user-1", created.lecture_id, 1, patch(title="Rome"))
    assert (again.status, again.revision, again.changed_sections) == ("saved", 1, [])
    assert len(await history(admin_aconn, created.lecture_id)) == 2


async def test_stale_save_is_a_conflict_with_the_latest_snapshot(
    aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Winner"))
    stale = await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="Lost"))
    assert stale.status == "conflict"
    assert stale.lecture is not None
    assert (stale.lecture.title, stale.lecture.revision, stale.revision) == ("Winner", 1, 1)
    assert stale.lecture.id == created.lecture_id
    assert stale.lecture.project_id == created.project_id
    assert len(await history(admin_aconn, created.lecture_id)) == 2


async def test_base_revision_ahead_of_the_lecture_is_a_conflict(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    result = await lectures.save_draft(aconn, "user-1", created.lecture_id, 7, patch(title="x"))
    assert result.status == "conflict"


async def test_force_overwrites_and_is_recorded(aconn: Conn, admin_aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="First"))
    forced = await lectures.save_draft(
        aconn, "user-1", created.lecture_id, 0, patch(title="Mine"), force=True
    )
    assert (forced.status, forced.revision) == ("saved", 2)
    rows = await history(admin_aconn, created.lecture_id)
    assert [r[5] for r in rows] == [False, False, True]


async def test_merge_applies_when_the_sent_sections_did_not_change(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    lecture_id = created.lecture_id
    await lectures.save_draft(aconn, "user-1", lecture_id, 0, patch(title="Someone else"))
    merged = await lectures.save_draft(
        aconn, "user-1", lecture_id, 0, patch(summary="mine"), merge=True
    )
    assert (merged.status, merged.revision, merged.changed_sections) == ("saved", 2, ["summary"])
    clash = await lectures.save_draft(aconn, "user-1", lecture_id, 0, patch(title="x"), merge=True)
    assert clash.status == "conflict"
    lecture = await lectures.get_lecture(aconn, "user-1", lecture_id)
    assert (lecture.title, lecture.summary) == ("Someone else", "mine")


async def test_null_clears_a_section(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(script=SCRIPT))
    cleared = await lectures.save_draft(aconn, "user-1", created.lecture_id, 1, patch(script=None))
    assert cleared.changed_sections == ["script"]
    assert (await lectures.get_lecture(aconn, "user-1", created.lecture_id)).script is None


@pytest.mark.parametrize(
    "sections",
    [
        {"chapters": []},  # unknown section
        {"title": 3},  # wrong JSON type
        {"images": {}},
        {"title": ""},
        {},
    ],
)
async def test_sql_refuses_unknown_or_mistyped_sections(
    aconn: Conn, sections: dict[str, Any]
) -> None:
    created = await new_lecture(aconn)
    params = {
        "user_id": "user-1",
        "lecture_id": created.lecture_id,
        "base": 0,
        "sections": Jsonb(sections),
    }
    with pytest.raises(psycopg.Error) as raised:
        await aconn.execute(test_query("raw_save"), params)
    assert raised.value.sqlstate == "PT422"


async def test_negative_base_revision_is_invalid(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    with pytest.raises(InvalidInput):
        await lectures.save_draft(aconn, "user-1", created.lecture_id, -1, patch(title="x"))


async def test_nul_characters_never_reach_sql(aconn: Conn) -> None:
    with pytest.raises(ValidationError, match="NUL"):
        patch(title="a\x00b")
    created = await new_lecture(aconn)
    params = {
        "user_id": "user-1",
        "lecture_id": created.lecture_id,
        "base": 0,
        "sections": json.dumps({"summary": "a\u0000b"}),
    }
    with pytest.raises(psycopg.Error) as raised:
        await aconn.execute(test_query("raw_save_text"), params)
    assert raised.value.sqlstate == "22P05"
