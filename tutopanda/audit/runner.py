"""Runs a guarded audit query as tutopanda_auditor in a read-only transaction with a timeout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from tutopanda.audit.guard import QueryRefused, guard
from tutopanda.db.connection import auditor_conninfo

DEFAULT_ROW_LIMIT = 1000
MAX_ROW_LIMIT = 100_000
DEFAULT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class AuditResult:
    """Column names, at most `row_limit` rows, and whether more rows were left out."""

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool


def run_audit_query(
    url: str,
    text: str,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> AuditResult:
    """Guard, then run, an auditor's query; QueryRefused says why it did not run or failed."""
    if not 1 <= row_limit <= MAX_ROW_LIMIT:
        raise QueryRefused(f"the row limit must be between 1 and {MAX_ROW_LIMIT}")
    guarded = guard(text, row_limit)
    with psycopg.connect(auditor_conninfo(url, timeout_seconds)) as conn:
        conn.read_only = True
        try:
            cursor = conn.execute(guarded.sql)
            rows = cursor.fetchmany(row_limit + 1)
        except psycopg.errors.QueryCanceled:
            raise QueryRefused(
                f"the query ran longer than {timeout_seconds:g} s and was cancelled"
            ) from None
        except (
            psycopg.DataError,
            psycopg.ProgrammingError,
            psycopg.errors.InternalError_,
        ) as error:
            first = (str(error).strip().splitlines() or ["error"])[0]
            raise QueryRefused(f"the query failed: {first}") from None
        columns = [column.name for column in cursor.description or []]
    return AuditResult(columns=columns, rows=rows[:row_limit], truncated=len(rows) > row_limit)
