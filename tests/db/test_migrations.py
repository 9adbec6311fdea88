"""The migrate command: the legacy upgrade path, repeat runs and concurrent runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg.types.json import Jsonb

from tests.support.databases import TestDatabase
from tests.support.sql import test_query
from tutopanda.audit.verify import verify_history
from tutopanda.db.migrate import migrate
from tutopanda.db.queries import query
from tutopanda.resources import migrations_dir

ALL_MIGRATIONS = sorted(path.stem for path in migrations_dir().glob("*.sql"))
LEGACY_SCRIPT = {
    "segments": [
        {
            "narration": "Rome was not built in a day.",
            "backgroundMusic": "strings",
            "effect": "crowd",
        }
    ]
}


def test_legacy_rows_survive_with_revision_zero_and_history(blank_database: TestDatabase) -> None:
    migrate(blank_database.admin_url, target="0001_legacy_tables")
    with psycopg.connect(blank_database.admin_url, autocommit=True) as conn:
        project = conn.execute(test_query("legacy_project_insert"), {"owner": "user-1"}).fetchone()
        assert project is not None
        for title, script in [("Rome", Jsonb(LEGACY_SCRIPT)), ("Empty", None)]:
            conn.execute(
                test_query("legacy_lecture_insert"),
                {"project_id": project[0], "title": title, "script": script},
            )

    report = migrate(blank_database.admin_url)

    assert report.applied_migrations[0] == "0002_revisions_and_workflows"
    with psycopg.connect(blank_database.admin_url) as conn:
        rows = conn.execute(test_query("upgraded_lectures")).fetchall()
    assert [(r[1], r[2], r[4], r[5]) for r in rows] == [
        ("Rome", 0, 0, "system"),
        ("Empty", 0, 0, "system"),
    ]
    rome, empty = rows
    assert rome[3] == LEGACY_SCRIPT
    assert rome[6] == ["script"]
    assert empty[6] == []
    assert rome[7]["script"] == LEGACY_SCRIPT
    assert rome[7]["title"] == "Rome"
    assert set(rome[7]) == {
        "title",
        "summary",
        "script",
        "images",
        "videos",
        "narration",
        "music",
        "effects",
        "timeline",
    }
    sealed = verify_history(blank_database.admin_url)  # migration 0004 hashed the old rows
    assert (sealed.intact, sealed.revisions) == (True, 2)

    # The first save after the upgrade continues the chain with a version-2 row.
    params = {
        "user_id": "user-1",
        "lecture_id": rome[0],
        "base_revision": 0,
        "sections": Jsonb({"title": "Roma"}),
        "merge": False,
        "force": False,
    }
    with psycopg.connect(blank_database.runtime_conninfo, autocommit=True) as conn:
        saved = conn.execute(query("lecture_save"), params).fetchone()
    assert saved is not None
    assert saved[:2] == ("saved", 1)
    continued = verify_history(blank_database.admin_url)
    assert (continued.intact, continued.revisions) == (True, 3)


def test_second_run_applies_nothing_new(database: TestDatabase) -> None:
    report = migrate(database.admin_url)
    assert report.applied_migrations == []
    assert report.procrastinate_before == report.procrastinate_after
    assert report.sql_files  # the re-creatable objects are always re-applied


def test_concurrent_runs_in_threads_apply_each_migration_once(blank_database: TestDatabase) -> None:
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = list(pool.map(lambda _: migrate(blank_database.admin_url), range(3)))
    applied = sorted(m for report in reports for m in report.applied_migrations)
    assert applied == ALL_MIGRATIONS
    with psycopg.connect(blank_database.admin_url) as conn:
        recorded = [r[0] for r in conn.execute(test_query("yoyo_applied_migrations"))]
    assert recorded == ALL_MIGRATIONS


def test_two_migrate_processes_at_once(blank_database: TestDatabase) -> None:
    env = {**os.environ, "DATABASE_URL": blank_database.admin_url, "TUTOPANDA_LOG_LEVEL": "ERROR"}
    command = [sys.executable, "-m", "tutopanda", "db", "migrate"]
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], json.dumps(outputs)
    with psycopg.connect(blank_database.admin_url) as conn:
        recorded = [r[0] for r in conn.execute(test_query("yoyo_applied_migrations"))]
        assert conn.execute(
            test_query("table_exists"), {"name": "app.lecture_revisions"}
        ).fetchone()
    assert recorded == ALL_MIGRATIONS
