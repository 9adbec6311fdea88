"""`tutopanda serve` runs the API and a worker in one process: a prompt becomes a lecture."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.api.helpers import server_env
from tests.support.databases import TestDatabase
from tests.support.processes import finished_run, serve_process, serving
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


def test_sigterm_stops_one_process_serve_and_its_worker_gracefully(
    database: TestDatabase, tmp_path: Path
) -> None:
    """One API process: the worker runs beside it and is stopped after it; exit code 0."""
    env = server_env(database.admin_url, tmp_path, secret=SECRET) | {"TUTOPANDA_LOG_LEVEL": "INFO"}
    log = tmp_path / "serve.log"
    with serve_process(env=env, log=log) as (_, process):
        process.terminate()
        code = process.wait(timeout=30)
    output = log.read_text("utf-8")
    assert code == 0, output
    assert "Stop requested" in output, output  # Procrastinate's graceful stop ran
