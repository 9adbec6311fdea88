"""Catalog lints over the migrated database, and proof that each lint can fail."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.sql import test_query
from tutopanda.db.queries import query

LINTS = [
    "lint_functions_without_search_path",
    "lint_security_definer_executable_by_public",
    "lint_foreign_keys_without_index",
    "lint_api_functions_without_comment",
]


def offenders(conn: psycopg.Connection[tuple[object, ...]], lint: str) -> list[str]:
    return [str(row[0]) for row in conn.execute(query(lint)).fetchall()]


@pytest.mark.parametrize("lint", LINTS)
def test_migrated_database_passes_lint(
    admin_conn: psycopg.Connection[tuple[object, ...]], lint: str
) -> None:
    assert offenders(admin_conn, lint) == []


def test_lints_find_a_careless_function(admin_conn: psycopg.Connection[tuple[object, ...]]) -> None:
    admin_conn.execute(test_query("careless_function_create"))
    assert offenders(admin_conn, "lint_functions_without_search_path") == ["api.careless()"]
    assert offenders(admin_conn, "lint_security_definer_executable_by_public") == ["api.careless()"]
    assert offenders(admin_conn, "lint_api_functions_without_comment") == ["api.careless()"]


def test_lints_find_an_unindexed_foreign_key(
    admin_conn: psycopg.Connection[tuple[object, ...]],
) -> None:
    admin_conn.execute(test_query("careless_table_create"))
    assert offenders(admin_conn, "lint_foreign_keys_without_index") == [
        "app.careless.careless_lecture_id_fkey"
    ]
    admin_conn.execute(test_query("careless_table_index"))
    assert offenders(admin_conn, "lint_foreign_keys_without_index") == []
