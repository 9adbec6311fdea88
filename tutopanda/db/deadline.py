"""Deadlines for database work: what still runs at its connection's deadline is cancelled in the
server, and a commit no standby confirmed is never reported as done.

A connection gets a deadline for a stretch of work (`deadline`: an API request, one database
phase of a workflow step). From the deadline on, whatever the connection runs, be it a statement
of tutopanda.db.execute or the COMMIT of a transaction, is watched:

- a cancel request goes to the server, and the statement fails (57014; an autocommit statement
  or the aborted transaction leaves nothing behind): DeadlineExceeded;
- a command that still succeeds after the cancel, with a WARNING, was past its commit, waiting
  for a synchronous standby to confirm it. PostgreSQL cancels only that wait: the transaction
  stays committed on the primary, and a failover before a standby has it loses it. The client
  cannot know which will happen, so it is CommitUnconfirmed, never a success;
- a server that has not ended the command CANCEL_GRACE_SECONDS after the cancel (a hung host, a
  cut network) no longer has the connection: its socket is shut down, the command fails at once
  (psycopg's own cancel would wait up to 10 s more), outcome unknown.

Statements sent through tutopanda.db.execute run `bounded`: none is sent once the deadline has
passed, and each failure above is raised as its domain error. A connection that was sent a
cancel is closed when its stretch of work ends: the cancel may arrive late, and must not hit the
next statement of whoever gets the connection next. Nothing here belongs to a task (Litestar may
open a request's connection in one task and close it in another): the watch runs on the loop.

statement_timeout cannot do this job: it is not armed while a commit waits for a standby, and a
transaction-mode pooler refuses the startup option that would set it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.errors import Diagnostic
from psycopg.pq import TransactionStatus

from tutopanda.db.errors import commit_unconfirmed, deadline_exceeded, is_unconfirmed_commit

CANCEL_GRACE_SECONDS = 2.0  # how long the server may take to act on a cancel
WATCH_SECONDS = 0.05  # past the deadline, how often the connection is looked at


@dataclass
class _Deadline:
    at: float  # the event loop's time
    seconds: float  # the budget it was given, for the messages
    cancels: list[asyncio.Task[None]] = field(default_factory=list)
    cancelled_at: float | None = None  # when the command running now was sent a cancel
    aborted: bool = False  # its socket was shut down
    unconfirmed: int = 0  # warnings of a cancelled wait for a synchronous standby
    reported: int = 0  # of those, raised by a statement as CommitUnconfirmed
    timer: asyncio.TimerHandle | None = None  # the next look at the connection


_DEADLINES: weakref.WeakKeyDictionary[AsyncConnection[Any], _Deadline] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def deadline(conn: AsyncConnection[Any], seconds: float) -> AsyncIterator[None]:
    """What `conn` runs in this block must end within `seconds` from now."""
    loop = asyncio.get_running_loop()
    limit = _Deadline(loop.time() + seconds, seconds)

    def keep_warning(diag: Diagnostic) -> None:  # a Diagnostic is empty once this returns
        if limit.cancels and is_unconfirmed_commit(diag):
            limit.unconfirmed += 1

    def watch() -> None:
        if conn.closed or limit.aborted:
            return
        if conn.pgconn.transaction_status != TransactionStatus.ACTIVE:
            limit.cancelled_at = None  # idle: the next command gets its own cancel
        elif limit.cancelled_at is None:
            limit.cancelled_at = loop.time()
            limit.cancels.append(loop.create_task(conn.cancel_safe(timeout=CANCEL_GRACE_SECONDS)))
        elif loop.time() - limit.cancelled_at >= CANCEL_GRACE_SECONDS:
            limit.aborted = True
            _shut_down(conn)
            return
        limit.timer = loop.call_later(WATCH_SECONDS, watch)

    _DEADLINES[conn] = limit
    conn.add_notice_handler(keep_warning)
    limit.timer = loop.call_at(limit.at, watch)
    try:
        yield
    except psycopg.OperationalError as error:
        if limit.aborted:
            raise deadline_exceeded(seconds, answered=False) from error
        raise
    finally:
        limit.timer.cancel()
        conn.remove_notice_handler(keep_warning)
        if _DEADLINES.get(conn) is limit:
            del _DEADLINES[conn]
        for task in limit.cancels:
            with contextlib.suppress(Exception):  # the command's outcome says what happened
                await task
        if limit.cancels and not conn.closed:
            await conn.close()
    if limit.unconfirmed > limit.reported:  # a transaction's COMMIT, not a statement of ours
        raise commit_unconfirmed(seconds)


@contextlib.asynccontextmanager
async def bounded(conn: AsyncConnection[Any]) -> AsyncIterator[None]:
    """Run one statement on `conn` under the connection's deadline (none: as it is)."""
    limit = _DEADLINES.get(conn)
    if limit is None:
        yield
        return
    if asyncio.get_running_loop().time() >= limit.at:
        raise deadline_exceeded(limit.seconds, sent=False)
    warned = limit.unconfirmed
    try:
        yield
    except psycopg.errors.QueryCanceled as error:
        if not limit.cancels:  # not ours: the one mapping (tutopanda.db.errors) decides
            raise
        raise deadline_exceeded(limit.seconds) from error
    except psycopg.OperationalError as error:
        if not limit.aborted:
            raise
        raise deadline_exceeded(limit.seconds, answered=False) from error
    if limit.unconfirmed > warned:
        limit.reported = limit.unconfirmed
        raise commit_unconfirmed(limit.seconds)


def _shut_down(conn: AsyncConnection[Any]) -> None:
    """End the connection's socket under whoever waits on it: they read its end at once."""
    with (
        contextlib.suppress(OSError),
        socket.socket(fileno=os.dup(conn.pgconn.socket)) as duplicate,
    ):
        duplicate.shutdown(socket.SHUT_RDWR)
