"""Deadlines for database work: a statement still running at its connection's deadline is
cancelled in the server, and a commit no standby confirmed is never reported as done.

A connection gets a deadline for a stretch of work (`deadline`: an API request, one database
phase of a workflow step). Every statement sent through tutopanda.db.execute meanwhile runs
`bounded` by it:

- once the deadline has passed, no statement is sent;
- at the deadline a cancel request goes to the server, and the statement fails (57014; an
  autocommit statement leaves nothing behind): DeadlineExceeded;
- a statement that still succeeds after the cancel, with a WARNING, was past its commit, waiting
  for a synchronous standby to confirm it. PostgreSQL cancels only that wait: the transaction
  stays committed on the primary, and a failover before a standby has it loses it. The client
  cannot know which will happen, so it is CommitUnconfirmed, never a success;
- a server that does not answer the cancel within CANCEL_GRACE_SECONDS: the statement is
  abandoned (psycopg cancels once more, then closes the connection), outcome unknown.

A connection whose deadline sent a cancel is closed when its stretch of work ends: the cancel
may arrive late, and must not hit the next statement of whoever gets the connection next.
statement_timeout cannot do this job: it is not armed while a commit waits for a standby, and a
transaction-mode pooler refuses the startup option that would set it.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.errors import Diagnostic

from tutopanda.db.errors import commit_unconfirmed, deadline_exceeded, is_unconfirmed_commit

CANCEL_GRACE_SECONDS = 2.0  # how long the server may take to act on a cancel


@dataclass
class _Deadline:
    at: float  # the event loop's time
    seconds: float  # the budget it was given, for the messages
    cancelled: bool = False  # a cancel request was sent


_DEADLINES: weakref.WeakKeyDictionary[AsyncConnection[Any], _Deadline] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def deadline(conn: AsyncConnection[Any], seconds: float) -> AsyncIterator[None]:
    """Statements sent on `conn` in this block must end within `seconds` from now."""
    limit = _Deadline(asyncio.get_running_loop().time() + seconds, seconds)
    _DEADLINES[conn] = limit
    try:
        yield
    finally:
        if _DEADLINES.get(conn) is limit:
            del _DEADLINES[conn]
        if limit.cancelled and not conn.closed:
            await conn.close()


@contextlib.asynccontextmanager
async def bounded(conn: AsyncConnection[Any]) -> AsyncIterator[None]:
    """Run one statement on `conn` under the connection's deadline (none: as it is)."""
    limit = _DEADLINES.get(conn)
    if limit is None:
        yield
        return
    loop = asyncio.get_running_loop()
    if loop.time() >= limit.at:
        raise deadline_exceeded(limit.seconds, sent=False)
    unconfirmed: list[bool] = []  # the server's word that it committed without a standby
    cancels: list[asyncio.Task[None]] = []

    def keep_warning(diag: Diagnostic) -> None:
        if is_unconfirmed_commit(diag):
            unconfirmed.append(True)

    def cancel() -> None:
        limit.cancelled = True
        cancels.append(loop.create_task(conn.cancel_safe(timeout=CANCEL_GRACE_SECONDS)))

    conn.add_notice_handler(keep_warning)
    timer = loop.call_at(limit.at, cancel)
    try:
        async with asyncio.timeout_at(limit.at + CANCEL_GRACE_SECONDS):
            yield
    except psycopg.errors.QueryCanceled as error:
        if not cancels:  # not ours: the one mapping (tutopanda.db.errors) decides
            raise
        raise deadline_exceeded(limit.seconds) from error
    except TimeoutError as error:
        if unconfirmed:
            raise commit_unconfirmed(limit.seconds) from error
        raise deadline_exceeded(limit.seconds, answered=False) from error
    finally:
        timer.cancel()
        conn.remove_notice_handler(keep_warning)
        for task in cancels:
            with contextlib.suppress(Exception):  # the statement's outcome says what happened
                await task
    if cancels and unconfirmed:
        raise commit_unconfirmed(limit.seconds)
