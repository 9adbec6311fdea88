"""The committed schema snapshot matches a freshly migrated database."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from tests.support.databases import TestDatabase
from tests.support.schema_dump import normalise, pg_dump_schema

SNAPSHOT = Path(__file__).resolve().parent / "schema_snapshot.sql"
UPDATE_VARIABLE = "TUTOPANDA_UPDATE_SCHEMA_SNAPSHOT"


def test_schema_matches_committed_snapshot(database: TestDatabase) -> None:
    current = normalise(pg_dump_schema(database.admin_url))
    if os.environ.get(UPDATE_VARIABLE) == "1":
        SNAPSHOT.write_text(current, "utf-8")
    committed = SNAPSHOT.read_text("utf-8") if SNAPSHOT.exists() else ""
    if current != committed:
        diff = "".join(
            difflib.unified_diff(
                committed.splitlines(keepends=True),
                current.splitlines(keepends=True),
                "tests/db/schema_snapshot.sql (committed)",
                "migrated database",
                n=2,
            )
        )
        raise AssertionError(
            "the schema drifted from tests/db/schema_snapshot.sql. If the change is intended, "
            "run `make schema-snapshot` and commit the file.\n" + diff[:20000]
        )
