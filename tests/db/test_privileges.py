"""Least privilege: the runtime role may only call api.* functions (no direct table access, no
history tampering); the auditor may only read audit.* views (nothing to write, no events to
forge, no lock to hold); a held migrate lock fails migrate in time, naming its holder."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.audit_cli import assert_one_line_error, tutopanda
from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.sql import test_query
from tutopanda.db.migrate import MigrationError, migrate

Conn = AsyncConnection[Any]


@pytest.mark.asyncio
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


@pytest.mark.asyncio
async def test_runtime_role_survives_reset_role(aconn: Conn) -> None:
    await aconn.execute(test_query("runtime_reset_role"))
    row = await (await aconn.execute(test_query("current_role"))).fetchone()
    assert row == ("tutopanda_runtime",)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        await aconn.execute(test_query("runtime_update_lectures"))


@pytest.mark.parametrize(
    "statement",
    [
        "auditor_creates_temp_table",
        "auditor_creates_large_object",
        "auditor_creates_large_object_from_bytes",
        "auditor_notifies",
        "auditor_takes_migrate_lock",
        "auditor_takes_shared_advisory_lock",
        "auditor_creates_in_public",
    ],
)
def test_the_auditor_connected_directly_can_write_nothing(
    database: TestDatabase, statement: str
) -> None:
    migrate(database.admin_url)  # a database's own grants are not copied from its template
    with (
        psycopg.connect(database.auditor_conninfo, autocommit=True) as auditor,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        auditor.execute(test_query(statement))


@pytest.mark.parametrize("statement", ["auditor_listens", "auditor_notify_statement"])
def test_what_public_keeps_is_what_the_docs_say(database: TestDatabase, statement: str) -> None:
    # docs/audit.md, "The auditor role": PostgreSQL checks no privilege for these statements
    with psycopg.connect(database.auditor_conninfo, autocommit=True) as auditor:
        auditor.execute(test_query(statement))


def test_the_runtime_role_still_notifies(runtime_conn: psycopg.Connection[Any]) -> None:
    runtime_conn.execute(test_query("runtime_notifies"))


def test_a_held_migrate_lock_fails_migrate_in_time_naming_its_holder(
    database: TestDatabase,
) -> None:
    with psycopg.connect(
        database.admin_url, autocommit=True, application_name="lock-holder-test"
    ) as holder:
        holder.execute(test_query("hold_migrate_lock"))
        pid = holder.info.backend_pid
        with pytest.raises(MigrationError):
            migrate(database.admin_url, lock_timeout_seconds=0.2)
        started = time.monotonic()
        result = tutopanda(database, "db", "migrate", env={"TUTOPANDA_MIGRATE_LOCK_TIMEOUT": "1"})
        waited = time.monotonic() - started
    assert_one_line_error(result, 1, "migrate failed: ")
    assert f"pid {pid} " in result.stderr
    assert "lock-holder-test" in result.stderr
    assert waited < 20  # the default timeout is 60 s; without one it would wait forever
    migrate(database.admin_url, lock_timeout_seconds=5)  # released: migrate runs again
