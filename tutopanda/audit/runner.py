"""Runs a guarded audit query as tutopanda_auditor in a read-only transaction with a timeout.

Before it runs, PostgreSQL explains it (audit.query_objects): a plan that scans a relation
outside `app` (which only the audit views can reach) or a function that is not allowed is
refused, whatever the guard made of the text. Rows come through a server-side cursor, so the
query runs exactly as written and only `row_limit + 1` rows are fetched.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg

from tutopanda.audit.errors import QueryRefused
from tutopanda.audit.guard import GuardedQuery, guard
from tutopanda.audit.limits import DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_SECONDS, MAX_ROW_LIMIT
from tutopanda.audit.vocabulary import ALLOWED_FUNCTIONS, FUNCTION_SCHEMA
from tutopanda.db.connection import auditor_conninfo
from tutopanda.db.queries import query

VIEWS_READ_FROM = "app"  # the audit views read these tables; the auditor cannot reach them directly

# SQLSTATE classes that say the database (not the query) failed: connection, resources
# (memory, disk, connections), shutdown, system errors. Any other error is the query's.
_DATABASE_FAILURES = ("08", "53", "57P", "58")


@dataclass(frozen=True)
class AuditResult:
    """Column names, at most `row_limit` rows, and whether more rows were left out."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


# Set-returning functions the audit views themselves call (sql/schema/400_audit_views.sql).
VIEW_FUNCTIONS = frozenset({("audit", "history_walk")})


def run_audit_query(
    url: str,
    text: str,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> AuditResult:
    """Guard, then run, an auditor's query; QueryRefused says why it did not run or failed."""
    if not 1 <= row_limit <= MAX_ROW_LIMIT:
        raise QueryRefused("limit", f"the row limit must be between 1 and {MAX_ROW_LIMIT}")
    guarded = guard(text)
    with psycopg.connect(auditor_conninfo(url, timeout_seconds)) as conn:
        conn.read_only = True
        return run_guarded(conn, guarded, row_limit=row_limit, timeout_seconds=timeout_seconds)


def run_guarded(
    conn: psycopg.Connection[Any],
    guarded: GuardedQuery,
    *,
    row_limit: int,
    timeout_seconds: float,
) -> AuditResult:
    """Check the plan of a guarded query, then run it on an auditor connection (rolled back)."""
    try:
        with _refusals(timeout_seconds):
            conn.execute(query("audit_standard_strings"))
            _check_plan(conn, guarded.sql)
            with conn.cursor(name="audit_query") as cursor:
                cursor.execute(guarded.sql)
                rows = cursor.fetchmany(row_limit + 1)
                columns = [column.name for column in cursor.description or []]
    finally:
        if not (conn.closed or conn.broken):
            conn.rollback()
    return AuditResult(columns=columns, rows=rows[:row_limit], truncated=len(rows) > row_limit)


def _check_plan(conn: psycopg.Connection[Any], sql: str) -> None:
    for kind, schema, name in conn.execute(query("audit_query_objects"), {"query": sql}):
        if kind == "relation" and schema != VIEWS_READ_FROM:
            raise QueryRefused("relation", f"only audit.* views may be read, not {schema}.{name}")
        if kind == "function" and (schema, name) in VIEW_FUNCTIONS:
            continue  # called by an audit view itself (its plan shows the scan)
        if kind == "function" and (schema != FUNCTION_SCHEMA or name not in ALLOWED_FUNCTIONS):
            raise QueryRefused("function", f"function {schema}.{name}() is not allowed")


@contextmanager
def _refusals(timeout_seconds: float) -> Iterator[None]:
    """Errors the query caused become refusals; a database that fails stays an error."""
    try:
        yield
    except psycopg.errors.QueryCanceled:
        raise QueryRefused(
            "timeout", f"the query ran longer than {timeout_seconds:g} s and was cancelled"
        ) from None
    except psycopg.Error as error:
        sqlstate = error.sqlstate or ""
        if not sqlstate or sqlstate.startswith(_DATABASE_FAILURES):
            raise
        code = "too_complex" if sqlstate.startswith("54") else "failed"
        first = (str(error).strip().splitlines() or ["error"])[0]
        raise QueryRefused(code, f"the query failed: {first}") from None
