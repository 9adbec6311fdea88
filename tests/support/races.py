"""Helpers for tests that interleave two sessions (the isolation-test idea, in Python)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from psycopg import AsyncConnection

from tests.support.sql import test_query

A = TypeVar("A")
B = TypeVar("B")


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


async def race(
    admin: AsyncConnection[Any],
    first: AsyncConnection[Any],
    second: AsyncConnection[Any],
    first_write: Coroutine[Any, Any, A],
    second_write: Coroutine[Any, Any, B],
    *,
    first_commits: bool = True,
) -> tuple[A, B]:
    """Interleave two writes: the first holds its locks while the second starts and blocks,
    then the first commits (or rolls back) and the second finishes and commits."""
    first_result = await first_write
    waiting = asyncio.create_task(second_write)
    await wait_until_blocked(admin, second)
    await (first.commit() if first_commits else first.rollback())
    second_result = await waiting
    await second.commit()
    return first_result, second_result
