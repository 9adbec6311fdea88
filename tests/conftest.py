"""Session fixtures: the test server, the migrated template, a cloned database per test."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, settings

from tests.support.databases import (
    ReusedDatabase,
    TestDatabase,
    empty_database,
    template_database,
)
from tests.support.pgbouncer import POOLED_LOGIN, pgbouncer
from tests.support.polling import TEST_EVENT_POLL
from tests.support.server import TestServer, choose_server, embedded_test_dir
from tests.support.sql import test_query
from tutopanda.db import embedded

# The suite runs in several processes on a busy machine: no property may fail for being slow
# (a deadline per example, the health check on slow generation), only for what it checks.
settings.register_profile("tutopanda", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("tutopanda")
os.environ.update(TEST_EVENT_POLL)  # for the servers the tests start (tests/support/polling.py)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TestServer]:
    """The PostgreSQL server of this session (see tests/support/server.py)."""
    server, started_here = choose_server()
    try:
        yield server
    finally:
        if started_here:
            embedded.stop(embedded_test_dir())


@pytest.fixture(scope="session")
def template_db(pg_server: TestServer) -> Iterator[str]:
    """Name of the session's migrated template database."""
    with template_database(pg_server) as name:
        yield name


@pytest.fixture(scope="session")
def reused_database(pg_server: TestServer, template_db: str) -> Iterator[ReusedDatabase]:
    """The session's clone of the template, put back after each test (tests/support/databases)."""
    reused = ReusedDatabase(pg_server, template_db)
    try:
        yield reused
    finally:
        reused.close()


@pytest.fixture
def database(reused_database: ReusedDatabase) -> Iterator[TestDatabase]:
    """A migrated database in the template's state, for this test alone."""
    yield reused_database.database()
    reused_database.reset()


@pytest.fixture
def blank_database(pg_server: TestServer) -> Iterator[TestDatabase]:
    """An empty database of this test's own (for migration tests)."""
    with empty_database(pg_server) as db:
        yield db


@pytest.fixture
def admin_conn(database: TestDatabase) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A superuser-ish connection to this test's database, autocommit."""
    with psycopg.connect(database.admin_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def runtime_conn(database: TestDatabase) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection as tutopanda_runtime, the role the API and workers use."""
    with psycopg.connect(database.runtime_conninfo) as conn:
        yield conn


@pytest_asyncio.fixture
async def aconn(database: TestDatabase) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    """An async connection as tutopanda_runtime, autocommit: each call is its own transaction."""
    async with await psycopg.AsyncConnection.connect(
        database.runtime_conninfo, autocommit=True
    ) as conn:
        yield conn


@pytest_asyncio.fixture
async def admin_aconn(database: TestDatabase) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    """An async admin connection, autocommit, for checks the runtime role may not make."""
    async with await psycopg.AsyncConnection.connect(database.admin_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def pooled_port(
    pg_server: TestServer,
    database: TestDatabase,
    admin_conn: psycopg.Connection[tuple[object, ...]],
    tmp_path: Path,
) -> Iterator[int]:
    """A real PgBouncer in transaction mode before this test's database; its logins: the test
    server's user and POOLED_LOGIN (a login with the runtime role's rights only)."""
    admin_conn.execute(test_query("pooled_login_create"))
    with pgbouncer(pg_server, tmp_path / "pgbouncer", [POOLED_LOGIN, pg_server.user]) as port:
        yield port


# The longest tests (each several seconds to a minute and a half on 2 busy cores), started first,
# one after another on each process: pytest-xdist's worksteal hands each process a contiguous
# share of the collection, and a long test at the end of a share would end the run alone.
LONGEST_FIRST = (
    "tests/api/test_openapi_conformance.py::test_schemathesis_finds_no_server_error_and_no_schema_violation",
    "tests/db/test_concurrency_property.py::test_concurrent_writers_keep_the_history_exact",
    "tests/db/test_embedded_server.py::test_start_migrate_reuse_and_stop_without_database_url",
    "tests/api/test_failover.py::test_a_failover_loses_no_acknowledged_save_and_no_event",
    "tests/api/test_idempotency_restarts.py::test_a_key_replays_across_processes_and_restarts",
    "tests/typescript/test_node_client.py::test_the_node_tests_pass_against_a_real_server",
    "tests/api/test_event_stream.py::test_many_subscribers_share_one_listening_connection",
    "tests/browser/test_editor_app_sign_in.py::test_the_editor_signs_in_through_the_app_and_outlives_its_tokens",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist, put LONGEST_FIRST at the start of each process's share (the shares are cut
    as worksteal cuts them: each process in turn gets what is left divided by the processes
    left), the longest first. Every process computes the same order."""
    processes = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    longest = [item for name in LONGEST_FIRST for item in items if item.nodeid == name]
    if processes < 2 or not longest:
        return
    rest = [item for item in items if item not in longest]
    ordered: list[pytest.Item] = []
    left = len(items)
    for process in range(processes):
        share = left // (processes - process)
        firsts = longest[process::processes]
        taken = max(0, share - len(firsts))
        ordered += firsts + rest[:taken]
        rest = rest[taken:]
        left -= len(firsts) + taken
    items[:] = ordered + rest
