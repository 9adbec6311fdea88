"""A worker killed with SIGKILL in the middle of a step: another worker finishes the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.sql import test_query
from tests.support.worker import wait_for_run
from tutopanda.store import lectures, workflows

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def start_worker(database: TestDatabase, marker: Path, home: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database.admin_url,
        "TUTOPANDA_HOME": str(home),
        "TUTOPANDA_GENERATORS": "narration=tests.support.generators:HangsOnce",
        "TUTOPANDA_TEST_MARKER": str(marker),
        "TUTOPANDA_WORKER_HEARTBEAT_SECONDS": "0.5",
        "TUTOPANDA_STALLED_AFTER_SECONDS": "2",
        "TUTOPANDA_WORKER_POLL_SECONDS": "0.2",
        "TUTOPANDA_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tutopanda", "worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def wait_for_file(path: Path, process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, "the worker died on its own"
        assert time.monotonic() < deadline, "the worker never reached the step"
        time.sleep(0.05)


async def test_sigkill_mid_step_is_recovered_with_one_revision_per_step(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn, tmp_path: Path
) -> None:
    created = await new_lecture(aconn, prompt="Lighthouses")
    marker = tmp_path / "narration-started"
    first = start_worker(database, marker, tmp_path)
    second = None
    try:
        wait_for_file(marker, first)  # step 3 (narration) is running in the first worker
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        running = await wait_for_run(aconn, "user-1", created.run_id, ("running",))
        assert running.current_step == 2

        second = start_worker(database, marker, tmp_path)
        run = await wait_for_run(aconn, "user-1", created.run_id, timeout=60)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    assert second is not None
    assert second.returncode == 0  # SIGTERM: a graceful stop
    assert (run.status, run.current_step) == ("succeeded", 6)
    assert [s.revision for s in run.steps] == [1, 2, 3, 4, 5, 6]
    assert [s.attempts for s in run.steps] == [1, 1, 2, 1, 1, 1]
    history = await (
        await admin_aconn.execute(test_query("history_rows"), {"lecture_id": created.lecture_id})
    ).fetchall()
    assert [row[0] for row in history] == [0, 1, 2, 3, 4, 5, 6]
    assert [row[3] for row in history[1:]] == [created.run_id] * 6


async def test_sigkill_leaves_a_proposal_waiting_for_review_intact(
    database: TestDatabase, aconn: Conn, tmp_path: Path
) -> None:
    """A worker killed while another lecture's proposal waits for review: the proposal holds no
    worker, so the kill costs it nothing; it is accepted after the next worker finished the run."""
    reviewed = await new_lecture(aconn, prompt="Canals")
    marker = tmp_path / "narration-started"
    marker.write_text("not this time\n", "utf-8")  # the first lecture's steps do not hang
    first = start_worker(database, marker, tmp_path)
    second = None
    try:
        await wait_for_run(aconn, "user-1", reviewed.run_id, timeout=60)
        lecture = await lectures.get_lecture(aconn, "user-1", reviewed.lecture_id)
        proposal_run = await workflows.regenerate_asset(
            aconn,
            "user-1",
            reviewed.lecture_id,
            "narration",
            lecture.narration[0].id,
            review_seconds=1800,
        )
        waiting = await wait_for_run(aconn, "user-1", proposal_run, ("waiting_for_review",))
        marker.unlink()
        generating = await new_lecture(aconn, prompt="Bridges")
        wait_for_file(marker, first)  # the other lecture's narration is running
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        second = start_worker(database, marker, tmp_path)
        finished = await wait_for_run(aconn, "user-1", generating.run_id, timeout=60)
        after_kill = await workflows.get_run(aconn, "user-1", proposal_run)
        accepted = await workflows.accept_proposal(aconn, "user-1", proposal_run)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    assert finished.status == "succeeded"
    assert after_kill == waiting
    assert accepted.revision == 7
