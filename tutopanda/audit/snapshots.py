"""Lecture content at a revision, read through the audit views (as the auditor role)."""

from __future__ import annotations

from typing import Any

import psycopg

from tutopanda.db.connection import auditor_conninfo
from tutopanda.db.queries import query

READ_TIMEOUT_SECONDS = 60.0


def revision_snapshot(url: str, lecture_id: int, revision: int) -> dict[str, Any] | None:
    """The content after `revision`, or None when the lecture has no such revision."""
    with psycopg.connect(auditor_conninfo(url, READ_TIMEOUT_SECONDS)) as conn:
        conn.read_only = True
        row = conn.execute(
            query("audit_snapshot"), {"lecture_id": lecture_id, "revision": revision}
        ).fetchone()
    return None if row is None else dict(row[0])
