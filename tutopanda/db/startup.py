"""Reaching the database: one line naming the variable when it cannot be reached, and the checks
`serve` and `worker` make before they say they serve.

At start every URL the process needs must answer. One that does not (nothing listens on its
port, its database does not exist, the login is refused) is tried again every RETRY_SECONDS for
TUTOPANDA_STARTUP_WAIT_SECONDS, a database still starting up being the usual reason; then the
command stops (exit 1) with one line naming the variable and what failed. Where a session of our
own is needed, a URL that goes through a transaction-mode pooler is refused in one line
(tutopanda.db.pooler says how it is recognised). Once serving, an outage is the API's to ride out
(api/database.py).
"""

from __future__ import annotations

import asyncio
import logging
import time

import psycopg
from psycopg import AsyncConnection

from tutopanda.db.connection import RUNTIME_ROLE, api_conninfo, runtime_conninfo
from tutopanda.db.pooler import login_without_options, options_refused, options_were_refused
from tutopanda.settings import Settings, SettingsError

logger = logging.getLogger("tutopanda.serve")
RETRY_SECONDS = 0.5


class DatabaseUnreachable(Exception):
    """A database could not be reached; the message names its variable and what failed."""

    def __init__(self, variable: str, error: psycopg.Error):
        super().__init__(f"cannot reach the database ({variable}): {failure_text(error)}")


class DatabaseNotMigrated(DatabaseUnreachable):
    """The server answers, but `tutopanda db migrate` never ran on it (no runtime role)."""

    def __init__(self, variable: str):
        Exception.__init__(
            self,
            f"the database answers but is not migrated ({variable}; no role {RUNTIME_ROLE}): "
            "run `tutopanda db migrate` first",
        )


def failure_text(error: psycopg.Error) -> str:
    """What libpq says failed, on one line: its hint lines (indented) and the "connection
    failed: " prefix left out; several hosts' failures stay, one after the other."""
    lines = [line.strip() for line in str(error).splitlines() if line[:1] not in ("\t", " ")]
    return " ".join(line for line in lines if line).removeprefix("connection failed: ")


def url_variable(settings: Settings, *, direct: bool = False) -> str:
    """The variable that names the database a command uses: DATABASE_URL, or, for what needs a
    session of its own (`direct`), TUTOPANDA_DIRECT_DATABASE_URL when it is set."""
    if direct and settings.direct_database_url:
        return "TUTOPANDA_DIRECT_DATABASE_URL"
    if settings.database_url is None:
        return "the embedded server: DATABASE_URL is not set"
    return "DATABASE_URL"


async def check_at_start(settings: Settings, api_url: str | None, direct: str) -> None:
    """Wait for every URL this process needs to answer, or raise DatabaseUnreachable (see the
    module); refuse (SettingsError) a URL through a transaction-mode pooler where a session of
    our own is needed: the API's URL in session mode (`api_url`; None: no API in this process)
    and the direct URL (workers, events)."""
    checks: dict[str, tuple[str, bool]] = {}  # conninfo -> (its variable, startup options)
    if api_url is not None:
        conninfo = api_conninfo(api_url, settings, application_name="tutopanda-check")
        checks[conninfo] = (url_variable(settings), settings.database_pooler == "session")
    variable = url_variable(settings, direct=True)
    direct_conninfo = runtime_conninfo(direct, settings, application_name="tutopanda-check")
    checks.setdefault(direct_conninfo, (variable, True))
    deadline = time.monotonic() + settings.startup_wait_seconds
    for conninfo, (name, with_options) in checks.items():
        await _until_answered(settings, name, conninfo, deadline, with_options=with_options)


async def _until_answered(
    settings: Settings, variable: str, conninfo: str, deadline: float, *, with_options: bool
) -> None:
    said = False
    while True:
        try:
            async with await AsyncConnection.connect(conninfo, autocommit=True):
                return
        except psycopg.OperationalError as error:
            standing = await login_without_options(conninfo) if with_options else None
            if options_were_refused(standing):
                raise SettingsError(options_refused(variable, settings)) from None
            if standing is not None and not standing.migrated:
                raise DatabaseNotMigrated(variable) from None  # no wait would change that
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseUnreachable(variable, error) from None
            if not said:
                logger.info(
                    "%s does not answer yet (%s); waiting up to %g s for it "
                    "(TUTOPANDA_STARTUP_WAIT_SECONDS)",
                    variable,
                    failure_text(error),
                    settings.startup_wait_seconds,
                )
                said = True
            await asyncio.sleep(min(RETRY_SECONDS, left))
