"""The retry policy's limit in SQL: app.lecture_write tries exactly app.write_attempts() times
when every write loses, then gives up with PT409 and writes nothing (docs/merge.md). The races
that make it decide again, or run out, are in tests/db/test_races.py."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg import AsyncConnection
from psycopg.errors import Diagnostic

from tests.support.factories import SCRIPT, new_lecture, patch
from tests.support.sql import test_query
from tutopanda.errors import Conflict
from tutopanda.store import lectures, workflows
from tutopanda.workflows import WorkflowKind

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
ONE_STEP = WorkflowKind("one_step", ("script",))


async def write_attempts(admin: Conn) -> int:
    row = await (await admin.execute(test_query("write_attempts"))).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("writer", ["save", "step"])
async def test_lecture_write_tries_exactly_write_attempts_times(
    aconn: Conn, admin_aconn: Conn, writer: str
) -> None:
    created = await new_lecture(aconn, workflow=ONE_STEP)
    attempts = await write_attempts(admin_aconn)
    await admin_aconn.execute(test_query("lecture_writes_lose_create"))
    await admin_aconn.execute(test_query("lecture_writes_lose"))
    lost: list[str | None] = []

    def count(notice: Diagnostic) -> None:
        lost.append(notice.message_primary)

    aconn.add_notice_handler(count)
    write = (
        lectures.save_draft(aconn, "user-1", created.lecture_id, 0, patch(title="B"))
        if writer == "save"
        else workflows.apply_step(aconn, created.run_id, 1, "script", {"script": SCRIPT})
    )
    with pytest.raises(Conflict):  # PT409
        await write
    assert attempts > 1
    assert lost == ["lost"] * attempts
    final = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert final.revision == 0
