"""The API's database connections: one round trip per request, outages answered at once.

- Connections run in autocommit: a route's single call is its own transaction, sent in one
  round trip (no BEGIN/COMMIT around it). A route that needs several statements in one
  transaction opens `async with conn.transaction():` itself.
- A checkout sends no query: it reads only what the server already sent, which is how a
  connection closed by a restart shows (a shutdown notice, then the end of the stream).
- When a connection turns out dead, or none comes, one probe connects. If the server answers,
  the pool's idle connections are checked and the stale ones replaced, so a restart costs no
  burst of errors. If not, the database is *away*: every request answers 503 at once while the
  probe retries every `TUTOPANDA_DB_PROBE_SECONDS`, and a new pool takes over once it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from litestar import Litestar
from litestar.di import NamedDependency
from litestar.types import Scope
from psycopg import AsyncConnection
from psycopg.pq import ConnStatus
from psycopg_pool import AsyncConnectionPool, PoolClosed, PoolTimeout

from tutopanda.db.connection import api_connect_kwargs, api_conninfo
from tutopanda.db.deadline import deadline
from tutopanda.db.pooler import options_refused, takes_login_without_options
from tutopanda.db.startup import failure_text
from tutopanda.errors import Unavailable
from tutopanda.settings import Settings

logger = logging.getLogger("tutopanda.api")
Connection = AsyncConnection[Any]
Pool = AsyncConnectionPool[Connection]

# The request's connection, in autocommit (see Database).
Db = NamedDependency[Connection]
# Scope state: the connection of a write's transaction with its idempotency key (api/idempotency).
SHARED_CONNECTION = "idempotent_connection"


def went_away(conn: Connection) -> bool:
    """True when the server closed this idle connection; reads what it sent, sends nothing."""
    if conn.closed:
        return True
    try:
        for _ in range(2):  # a shutdown notice may come in first, the end of the stream after
            conn.pgconn.consume_input()
    except psycopg.OperationalError:
        return True
    return conn.pgconn.status != ConnStatus.OK


class Database:
    """The pool the requests use, and whether the server is reachable right now."""

    def __init__(self, url: str, settings: Settings):
        self._conninfo = api_conninfo(url, settings, application_name="tutopanda-api")
        self._connect_kwargs = api_connect_kwargs(settings)
        self._settings = settings
        self._pool: Pool | None = None  # None while the database is away
        self._diagnosis: asyncio.Task[None] | None = None
        self._probe: asyncio.Task[None] | None = None
        self._explanation: asyncio.Task[None] | None = None
        self._failure = "no connection came"  # what the last probe that failed was told

    @property
    def away(self) -> bool:
        """True from a failed probe until the server answers again."""
        return self._pool is None

    async def open(self) -> None:
        """Start connecting without waiting; learn at once whether the server is there."""
        self._pool = self._new_pool()
        await self._pool.open(wait=False)
        self._diagnosis = asyncio.create_task(self._diagnose(purge=False))

    async def close(self) -> None:
        for task in (self._diagnosis, self._probe, self._explanation):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._pool is not None:
            await self._pool.close()

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """A live connection for one request; 503 (`Unavailable`) at once while away. Its
        statements must end within TUTOPANDA_REQUEST_DEADLINE_SECONDS (tutopanda.db.deadline)."""
        pool, conn = await self._checkout()
        try:
            async with deadline(conn, self._settings.request_deadline_seconds):
                yield conn
        except Exception:
            if conn.broken:  # lost mid-request: 503, no retry (a write may have committed)
                self._diagnose_soon(purge=True)
            raise
        finally:
            await pool.putconn(conn)

    async def _checkout(self) -> tuple[Pool, Connection]:
        for _ in range(self._settings.pool_max_size + 1):
            pool = self._pool
            if pool is None:
                raise Unavailable("the database is unavailable, retry shortly")
            try:
                conn = await pool.getconn()
            except (PoolTimeout, PoolClosed):
                await asyncio.shield(self._diagnose_soon(purge=False))
                if self.away:
                    raise Unavailable("the database is unavailable, retry shortly") from None
                raise
            if not went_away(conn):
                return pool, conn
            await pool.putconn(conn)  # the pool drops it and opens another
            await asyncio.shield(self._diagnose_soon(purge=True))
        raise Unavailable("the database keeps closing connections, retry shortly")

    def _diagnose_soon(self, *, purge: bool) -> asyncio.Task[None]:
        """Probe the server once for all the failures noticed meanwhile."""
        if self._diagnosis is None or self._diagnosis.done():
            self._diagnosis = asyncio.create_task(self._diagnose(purge=purge))
        return self._diagnosis

    async def _diagnose(self, *, purge: bool) -> None:
        pool = self._pool
        if pool is None:
            return
        try:
            answers = await self._answers()
            if answers and purge:  # after a restart every idle connection is stale: check all
                await pool.check()
                logger.info("replaced the stale connections of the pool")
        except Exception:  # a probe must not fail a request; the next failure probes again
            logger.exception("probing the database failed")
            return
        if answers:
            return
        self._pool = None
        self._explanation = asyncio.create_task(self._explain_outage())
        self._probe = asyncio.create_task(self._probe_until_back(time.monotonic()))
        await pool.close(timeout=1.0)

    async def _explain_outage(self) -> None:
        """Say once why requests answer 503 (beside the probe, which must not wait for this): a
        pooler's URL used as a direct one is no outage to wait out, and the log says so."""
        if self._settings.database_pooler == "session" and await takes_login_without_options(
            self._conninfo
        ):
            logger.error("requests answer 503: %s", options_refused("DATABASE_URL", self._settings))
            return
        logger.warning(
            "the database is unavailable (DATABASE_URL: %s): requests answer 503 until it is back "
            "(probed every %s s)",
            self._failure,
            self._settings.db_probe_seconds,
        )

    async def _probe_until_back(self, since: float) -> None:
        while True:
            await asyncio.sleep(self._settings.db_probe_seconds)
            if not await self._answers():
                continue
            pool = self._new_pool()
            try:
                await pool.open(wait=True, timeout=self._settings.connect_timeout_seconds)
            except BaseException as error:  # gone again, or slow: keep probing (or stop)
                await pool.close()
                if not isinstance(error, Exception):
                    raise
                logger.info("the database answered but the pool did not open: %s", error)
                continue
            self._pool = pool
            logger.warning("the database is back after %.1f s", time.monotonic() - since)
            return

    async def _answers(self) -> bool:
        try:
            probe = await AsyncConnection.connect(self._conninfo, **self._connect_kwargs)
        except psycopg.Error as error:
            self._failure = failure_text(error)
            return False
        await probe.close()
        return True

    def _new_pool(self) -> Pool:
        return AsyncConnectionPool(
            conninfo=self._conninfo,
            kwargs=self._connect_kwargs,
            min_size=1,
            max_size=self._settings.pool_max_size,
            timeout=self._settings.connect_timeout_seconds,  # waiting for a connection: then 503
            open=False,
            name="tutopanda-api",
        )


def database_lifespan(database: Database) -> Any:
    """Open the database's pool when the app starts (without waiting) and close it after."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await database.open()
        app.state.database = database
        try:
            yield
        finally:
            await database.close()

    return lifespan


def request_connection(scope: Scope) -> contextlib.AbstractAsyncContextManager[Connection]:
    """The request's connection (autocommit: each call commits on its own), or, for a write sent
    with an Idempotency-Key, the connection of its transaction (api/idempotency.py)."""
    shared: Connection | None = scope.get("state", {}).get(SHARED_CONNECTION)
    if shared is not None:
        return contextlib.nullcontext(shared)
    database: Database = scope["app"].state.database
    return database.connection()
