"""The API's connection pool (opened and closed with the app) and one transaction per request."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import NamedDependency
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.settings import Settings

# The request's connection, inside its one transaction (see provide_connection).
Db = NamedDependency[AsyncConnection[Any]]


def create_pool(url: str, settings: Settings) -> AsyncConnectionPool[AsyncConnection[Any]]:
    """A pool whose every connection is the runtime role; closed until the app starts."""
    return AsyncConnectionPool(
        conninfo=role_conninfo(
            url,
            RUNTIME_ROLE,
            application_name="tutopanda-api",
            connect_timeout_seconds=settings.connect_timeout_seconds,
        ),
        min_size=1,
        max_size=settings.pool_max_size,
        timeout=settings.connect_timeout_seconds,  # waiting for a connection: then 503
        reconnect_timeout=60,
        check=AsyncConnectionPool.check_connection,  # drop dead connections after an outage
        open=False,
        name="tutopanda-api",
    )


def pool_lifespan(
    pool: AsyncConnectionPool[AsyncConnection[Any]],
) -> Any:
    """Open the pool when the app starts (without waiting for the database) and close it after."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await pool.open(wait=False)
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    return lifespan


async def provide_connection(state: State) -> AsyncGenerator[AsyncConnection[Any], None]:
    """One transaction per request: committed when the handler returns, rolled back if it raises."""
    pool: AsyncConnectionPool[AsyncConnection[Any]] = state.pool
    async with pool.connection() as conn:
        yield conn
