"""Helpers for tests that interleave two sessions (the isolation-test idea, in Python)."""

from __future__ import annotations

import asyncio
from typing import Any

from psycopg import AsyncConnection

from tests.support.sql import test_query


async def wait_until_blocked(admin: AsyncConnection[Any], blocked: AsyncConnection[Any]) -> None:
    """Return once `blocked`'s backend waits for a lock held by another session."""
    pid = blocked.info.backend_pid
    for _ in range(200):
        row = await (
            await admin.execute(test_query("backend_waits_for_lock"), {"pid": pid})
        ).fetchone()
        if row is not None and row[0]:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"backend {pid} never waited for a lock")
