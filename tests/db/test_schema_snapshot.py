"""The committed schema snapshot matches a freshly migrated database.

PostgreSQL prints view definitions differently across major versions, so there is one snapshot
per major version the project runs on (15 on the development and CI server, 18 embedded).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import psycopg
import pytest

from tests.support.databases import TestDatabase
from tests.support.schema_dump import normalise, pg_dump_schema
from tutopanda.db.queries import query

SNAPSHOTS = Path(__file__).resolve().parent
UPDATE_VARIABLE = "TUTOPANDA_UPDATE_SCHEMA_SNAPSHOT"


def snapshot_path(url: str) -> Path:
    with psycopg.connect(url) as conn:
        row = conn.execute(query("server_version_num")).fetchone()
    assert row is not None
    return SNAPSHOTS / f"schema_snapshot.pg{int(row[0]) // 10000}.sql"


def test_schema_matches_committed_snapshot(database: TestDatabase) -> None:
    current = normalise(pg_dump_schema(database.admin_url))
    snapshot = snapshot_path(database.admin_url)
    if os.environ.get(UPDATE_VARIABLE) == "1":
        snapshot.write_text(current, "utf-8")
    if not snapshot.exists():
        pytest.skip(f"no committed {snapshot.name}: run `make schema-snapshot` on this server")
    committed = snapshot.read_text("utf-8")
    if current != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                f"tests/db/{snapshot.name} (committed)",
                "migrated database",
                n=2,
            )
        )
        raise AssertionError(
            f"the schema drifted from tests/db/{snapshot.name}. If the change is intended, "
            "run `make schema-snapshot` and commit the snapshots.\n" + diff[:20000]
        )
