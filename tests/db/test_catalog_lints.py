"""Catalog lints over the migrated database (`tutopanda db lint`), and proof each can fail."""

from __future__ import annotations

import psycopg

from tests.support.databases import TestDatabase
from tests.support.processes import run_cli
from tests.support.sql import test_query
from tutopanda.db.lints import lint_names, run_lints

Conn = psycopg.Connection[tuple[object, ...]]


def test_migrated_database_passes_every_lint(admin_conn: Conn) -> None:
    findings = run_lints(admin_conn)
    assert set(findings) == set(lint_names())
    assert len(findings) >= 5
    assert findings == {name: [] for name in findings}


def test_lints_find_a_careless_function(admin_conn: Conn) -> None:
    admin_conn.execute(test_query("careless_function_create"))
    findings = run_lints(admin_conn)
    careless = {name for name, offenders in findings.items() if offenders == ["api.careless()"]}
    assert careless == {
        "lint_security_definer_without_search_path",
        "lint_security_definer_executable_by_public",
        "lint_api_functions_without_comment",
    }
    admin_conn.execute(test_query("careless_invoker_create"))
    assert run_lints(admin_conn)["lint_api_functions_not_security_definer"] == ["api.lazy()"]


def test_lints_find_an_unindexed_foreign_key(admin_conn: Conn) -> None:
    admin_conn.execute(test_query("careless_table_create"))
    assert run_lints(admin_conn)["lint_foreign_keys_without_index"] == [
        "app.careless.careless_lecture_id_fkey"
    ]
    admin_conn.execute(test_query("careless_table_index"))
    assert run_lints(admin_conn)["lint_foreign_keys_without_index"] == []


def test_the_lint_command_fails_on_an_offence(database: TestDatabase, admin_conn: Conn) -> None:
    clean = run_cli(database.admin_url, "db", "lint")
    assert (clean.returncode, clean.stderr) == (0, "")
    admin_conn.execute(test_query("careless_function_create"))
    dirty = run_cli(database.admin_url, "db", "lint")
    assert dirty.returncode == 1
    assert "lint_security_definer_without_search_path: api.careless()" in dirty.stdout.splitlines()
