"""The audit surface: auditor privileges, guarded queries on the CLI, diff, tamper evidence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import psycopg
import pytest
from psycopg import AsyncConnection

from tests.support.audit_data import populate
from tests.support.databases import TestDatabase
from tests.support.sql import test_query
from tutopanda.audit.guard import QueryRefused
from tutopanda.audit.runner import run_audit_query
from tutopanda.audit.verify import verify_history

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


def cli(database: TestDatabase, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutopanda", "audit", *args],
        env={**os.environ, "DATABASE_URL": database.admin_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "statement",
    [
        "auditor_reads_table",
        "auditor_writes_through_view",
        "auditor_deletes_through_view",
        "auditor_calls_api",
        "auditor_creates_table",
        "auditor_reads_queue",
    ],
)
async def test_the_auditor_role_can_only_read_audit_views(
    database: TestDatabase, aconn: Conn, statement: str
) -> None:
    await populate(aconn)
    with psycopg.connect(database.auditor_conninfo) as auditor:
        assert auditor.execute(test_query("auditor_reads_view")).fetchone() == (7,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            auditor.execute(test_query(statement))


async def test_views_answer_the_first_questions(database: TestDatabase, aconn: Conn) -> None:
    ids = await populate(aconn)
    lecture_id = ids["edited"].lecture_id
    history = run_audit_query(
        database.admin_url,
        "SELECT revision, source, actor, run_id IS NOT NULL, forced, restored_from "
        f"FROM lecture_history WHERE lecture_id = {lecture_id} ORDER BY revision",
    )
    assert history.rows == [
        (0, "app", "alice", False, False, None),
        (1, "workflow", "alice", True, False, None),
        (2, "workflow", "alice", True, False, None),
        (3, "app", "alice", False, False, None),
        (4, "app", "alice", False, True, None),
        (5, "app", "alice", False, False, 3),
    ]
    timeline = run_audit_query(
        database.admin_url,
        "SELECT actor, source, revision FROM audit.section_changes "
        f"WHERE lecture_id = {lecture_id} AND section = 'timeline'",
    )
    assert timeline.rows == [("alice", "workflow", 2)]
    failed = run_audit_query(
        database.admin_url, "SELECT owner, kind, failed_step, error FROM audit.failed_runs"
    )
    assert failed.rows == [("bob", "two_steps", 1, "step 1 failed after 5 attempts: TimeoutError")]


async def test_the_row_limit_is_enforced(database: TestDatabase, aconn: Conn) -> None:
    await populate(aconn)
    result = run_audit_query(database.admin_url, "SELECT * FROM audit.lecture_history", row_limit=3)
    assert (len(result.rows), result.truncated) == (3, True)
    with pytest.raises(QueryRefused, match="row limit"):
        run_audit_query(database.admin_url, "SELECT 1", row_limit=0)


async def test_a_query_that_runs_too_long_is_cancelled(database: TestDatabase) -> None:
    with pytest.raises(QueryRefused, match=r"longer than 0\.5 s"):
        run_audit_query(
            database.admin_url,
            "SELECT count(*) FROM generate_series(1, 1000000000)",
            timeout_seconds=0.5,
        )


async def test_cli_formats(database: TestDatabase, aconn: Conn) -> None:
    await populate(aconn)
    sql = "SELECT lecture_id, revision, changed_sections FROM lecture_history ORDER BY 1, 2"
    table = cli(database, "query", sql, "--limit", "2")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split(" | ")[0].strip() == "lecture_id"
    assert "(2 rows)" in table.stdout
    assert "only the first 2 rows" in table.stderr
    as_json = json.loads(cli(database, "query", sql, "--format", "json").stdout)
    assert as_json[1] == {"lecture_id": 1, "revision": 1, "changed_sections": ["script"]}
    as_csv = cli(database, "query", sql, "--format", "csv").stdout.splitlines()
    assert as_csv[0] == "lecture_id,revision,changed_sections"
    assert as_csv[2] == '1,1,"[""script""]"'


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM app.lecture_revisions",
        "SELECT * FROM app.projects",
        "SELECT pg_sleep(5)",
        "SELECT 1; DROP TABLE app.projects",
        "SELECT nope FROM audit.lectures",
        "SELECT * FROM audit.no_such_view",
    ],
)
async def test_cli_refusals_are_one_line_and_exit_2(database: TestDatabase, sql: str) -> None:
    result = cli(database, "query", sql)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("tutopanda: refused: ")
    assert result.stderr.count("\n") == 1


async def test_cli_timeout_is_a_refusal(database: TestDatabase) -> None:
    result = cli(
        database, "query", "SELECT count(*) FROM generate_series(1, 1000000000)", "--timeout", "0.5"
    )
    assert (result.returncode, result.stderr.strip()) == (
        2,
        "tutopanda: refused: the query ran longer than 0.5 s and was cancelled",
    )


async def test_cli_diff_is_json_patch_per_section(database: TestDatabase, aconn: Conn) -> None:
    ids = await populate(aconn)
    result = cli(database, "diff", str(ids["edited"].lecture_id), "2", "4")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["from"], document["to"]) == (2, 4)
    assert document["sections"] == {"title": [{"op": "replace", "path": "", "value": "Mine"}]}
    missing = cli(database, "diff", str(ids["edited"].lecture_id), "2", "99")
    assert (missing.returncode, missing.stderr.strip()) == (
        2,
        f"tutopanda: lecture {ids['edited'].lecture_id} has no revision 99",
    )


@pytest.mark.parametrize(
    ("tampering", "revision", "expected"),
    [
        ("tamper_edit_actor", 3, [("row_edited", 3)]),
        ("tamper_edit_content", 1, [("row_edited", 1)]),
        # History stores changes: without revision 2, the later ones no longer rebuild to the
        # live content either.
        ("tamper_delete_revision", 2, [("revision_missing", 3), ("live_differs", 5)]),
        ("tamper_delete_revision", 5, [("history_behind", 5)]),
    ],
)
async def test_verify_finds_the_first_tampered_revision(
    database: TestDatabase,
    aconn: Conn,
    tampering: str,
    revision: int,
    expected: list[tuple[str, int]],
) -> None:
    kind, found_at = expected[0]
    ids = await populate(aconn)
    lecture_id = ids["edited"].lecture_id
    intact = cli(database, "verify")
    assert (intact.returncode, intact.stdout.strip()) == (
        0,
        "intact: 7 revision(s) of 2 lecture(s) verified",
    )

    with psycopg.connect(database.admin_url, autocommit=True) as superuser:
        superuser.execute(test_query("tamper_disable_guard"))
        superuser.execute(test_query(tampering), {"lecture_id": lecture_id, "revision": revision})
        superuser.execute(test_query("tamper_enable_guard"))

    broken = cli(database, "verify", str(lecture_id))
    assert broken.returncode == 1
    assert broken.stdout.startswith(f"lecture {lecture_id}: {kind} at revision {found_at}: ")
    outcome = verify_history(database.admin_url, lecture_id)
    assert [(f.kind, f.revision) for f in outcome.findings] == expected
    other = verify_history(database.admin_url, ids["failed"].lecture_id)
    assert other.intact
