"""`tutopanda serve` runs the API and a worker in one process: a prompt becomes a lecture."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from tests.api.helpers import server_env
from tests.support.databases import TestDatabase
from tests.support.processes import finished_run, serve_process, serving
from tests.support.restartable import restartable_database
from tutopanda.api.auth import issue_token

SECRET = "serve-secret-" + "s" * 40


def test_a_prompt_becomes_a_lecture_through_one_process(
    database: TestDatabase, tmp_path: Path
) -> None:
    env = server_env(database.admin_url, tmp_path, secret=SECRET)
    headers = {"Authorization": f"Bearer {issue_token(SECRET, 'dana')}"}
    with serving(env=env) as base, httpx.Client(base_url=base, headers=headers) as http:
        created = http.post("/projects", json={"prompt": "Why the sky is blue"}).json()
        run = finished_run(http, created["runId"])
        lecture = http.get(f"/lectures/{created['lectureId']}").json()
    assert (run["status"], run["currentStep"], run["totalSteps"]) == ("succeeded", 6, 6)
    assert lecture["revision"] == 6
    assert lecture["timeline"]["duration"] > 0
    assert len(lecture["timeline"]["tracks"]["voice"]) == len(lecture["narration"])


def test_sigterm_stops_serve_while_the_database_is_away(tmp_path: Path) -> None:
    """The worker's shutdown fails without a database; it must not be started again.

    Two API processes: the worker then runs in the supervising parent (serve's default here).
    """
    with restartable_database(tmp_path) as db:
        env = server_env(db.url, tmp_path / "home", secret=SECRET)
        with serve_process("--workers", "2", env=env) as (_, process):
            db.stop()
            time.sleep(1.0)  # the worker and the API notice the outage
            started = time.monotonic()
            process.terminate()
            try:
                code = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                raise AssertionError(
                    "serve did not exit on SIGTERM with the database away"
                ) from None
            took = time.monotonic() - started
            output = process.stdout.read() if process.stdout else ""
            db.start()
    assert code == 0, output
    assert "restarting in" not in output, output
    assert took < 45, f"{took:.1f} s"  # the worker's pool waits 30 s for a connection first
