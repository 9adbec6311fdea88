"""The named-query loader and the queries shipped in sql/queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutopanda.db.migrate import pending_procrastinate_migrations
from tutopanda.db.queries import load_queries, parse_query_file, query
from tutopanda.resources import sql_dir


def test_parse_names_descriptions_and_statements() -> None:
    text = "-- file header\n\n-- first --\n-- what it does\nSELECT 1;\n\n-- second --\nSELECT 2;\n"
    assert parse_query_file(text) == {"first": "SELECT 1;", "second": "SELECT 2;"}


def test_duplicate_and_empty_queries_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        parse_query_file("-- a --\nSELECT 1;\n-- a --\nSELECT 2;\n")
    with pytest.raises(ValueError, match="empty"):
        parse_query_file("-- a --\n-- only a description\n")


def test_every_shipped_query_loads_and_is_unique_across_files() -> None:
    queries = load_queries(sql_dir() / "queries")
    assert "migrate_lock" in queries
    assert all(statement.strip() for statement in queries.values())


def test_unknown_query_name_fails_loudly() -> None:
    with pytest.raises(KeyError, match="no named query"):
        query("no_such_query")


def test_procrastinate_upgrade_applies_only_newer_migrations() -> None:
    available = [
        Path(f"{name}.sql")
        for name in ("03.00.00_01_pre_a", "03.00.00_50_post_a", "03.01.00_01_pre_b")
    ]
    assert pending_procrastinate_migrations("03.00.00_01_pre_a", available) == available[1:]
    assert pending_procrastinate_migrations("03.01.00_01_pre_b", available) == []
