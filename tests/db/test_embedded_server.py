"""The embedded default: with no DATABASE_URL the CLI starts, migrates and stops its own server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

from tests.support.processes import free_port
from tests.support.sql import test_query
from tutopanda.db import embedded


def run_cli(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TUTOPANDA_HOME"] = str(home)
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "tutopanda", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_start_migrate_reuse_and_stop_without_database_url(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data_dir = home.resolve() / "pgdata"
    try:
        started = run_cli(home, "db", "start")
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip().splitlines()[-1]
        assert url.startswith("postgresql://")
        assert (data_dir / "PG_VERSION").exists()

        # Served before it is migrated: one line saying so at once, not the startup wait.
        unmigrated = run_cli(
            home, "serve", "--port", str(free_port()), TUTOPANDA_STARTUP_WAIT_SECONDS="60"
        )
        assert (unmigrated.returncode, unmigrated.stdout) == (1, ""), unmigrated.stderr
        assert unmigrated.stderr.splitlines()[-1:] == [
            "tutopanda: the database answers but is not migrated (the embedded server: "
            "DATABASE_URL is not set; no role tutopanda_runtime): run `tutopanda db migrate` "
            "first"
        ]

        migrated = run_cli(home, "db", "migrate")
        assert migrated.returncode == 0, migrated.stderr
        assert "0002_revisions_and_workflows" in migrated.stdout
        with psycopg.connect(url) as conn:
            assert conn.execute(
                test_query("table_exists"), {"name": "app.video_lectures"}
            ).fetchone()

        again = run_cli(home, "db", "start")  # reuses the running server and its data
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip().splitlines()[-1] == url
        assert "running" in run_cli(home, "db", "status").stdout

        stopped = run_cli(home, "db", "stop")
        assert stopped.returncode == 0, stopped.stderr
        assert not embedded.is_running(data_dir)
        assert "stopped" in run_cli(home, "db", "status").stdout
    finally:
        embedded.stop(data_dir)
