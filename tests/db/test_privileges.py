"""The runtime role may only call api.* functions: no direct table access, no history tampering."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.factories import new_lecture
from tests.support.sql import test_query

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


@pytest.mark.parametrize(
    "statement",
    [
        "runtime_select_lectures",
        "runtime_update_lectures",
        "runtime_delete_lectures",
        "runtime_insert_history",
        "runtime_update_history",
        "runtime_delete_history",
        "runtime_call_private_helper",
    ],
)
async def test_runtime_role_cannot_touch_tables(aconn: Conn, statement: str) -> None:
    await new_lecture(aconn)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await aconn.execute(test_query(statement))


async def test_runtime_role_survives_reset_role(aconn: Conn) -> None:
    await aconn.execute(test_query("runtime_reset_role"))
    row = await (await aconn.execute(test_query("current_role"))).fetchone()
    assert row == ("tutopanda_runtime",)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await aconn.execute(test_query("runtime_update_lectures"))
