"""Catalog lints (`sql/queries/lints.sql`): rules of the schema checked against the live catalog."""

from __future__ import annotations

import psycopg

from tutopanda.db.queries import load_queries
from tutopanda.resources import sql_dir

LINT_PREFIX = "lint_"


def lint_names() -> list[str]:
    """Every lint, in file order."""
    queries = load_queries(sql_dir() / "queries")
    return [name for name in queries if name.startswith(LINT_PREFIX)]


def run_lints(conn: psycopg.Connection[tuple[object, ...]]) -> dict[str, list[str]]:
    """The offending objects of every lint (an empty list: the lint passes)."""
    queries = load_queries(sql_dir() / "queries")
    return {
        name: [str(row[0]) for row in conn.execute(queries[name]).fetchall()]
        for name in lint_names()
    }
