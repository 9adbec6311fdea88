"""Workers through PostgreSQL restarts and failures: LISTEN and heartbeats come back."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.api.helpers import server_env
from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.own_server import OwnServer, own_server
from tests.support.processes import PROJECT_ROOT, free_port, serving
from tests.support.restartable import restartable_database
from tests.support.server import TestServer
from tests.support.sql import test_query
from tests.support.tcp_proxy import tcp_proxy
from tests.support.worker import running_worker, wait_for_run, worker_settings
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.models.base import stored_json
from tutopanda.store import lectures, workflows

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
POLL_SECONDS = 5.0  # the default: without LISTEN, each of the 6 steps waits up to this long
STEPS = 6
# A run whose worker LISTENs takes well under a second, by polling alone about STEPS *
# POLL_SECONDS. One step may still wait a poll: Procrastinate 3.10 clears its new-job event after
# a fetch that found nothing, so a step deferred while that fetch returns is found by the poll.
LISTENING_RUN_SECONDS = 2 * POLL_SECONDS


@contextlib.contextmanager
def worker_process(command: str, url: str, home: Path, **extra: str) -> Iterator[None]:
    """`tutopanda worker`, or `tutopanda serve` (API + worker), on `url` until the block ends."""
    env = {
        "DATABASE_URL": url,
        "TUTOPANDA_HOME": str(home),
        "TUTOPANDA_JWT_SECRET": "outage-secret-" + "o" * 40,
        "TUTOPANDA_WORKER_POLL_SECONDS": str(POLL_SECONDS),
        "TUTOPANDA_LOG_LEVEL": "WARNING",
        **extra,
    }
    if command == "serve":
        with serving(env=env):
            yield
        return
    process = subprocess.Popen(
        [sys.executable, "-m", "tutopanda", "worker"],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


async def listeners(url: str) -> int:
    async with await AsyncConnection.connect(url, autocommit=True) as admin:
        row = await (await admin.execute(test_query("worker_listeners"))).fetchone()
    assert row is not None
    return int(row[0])


async def wait_for_listener(url: str, timeout: float) -> float:
    """Seconds until a worker LISTENs on the database at `url`."""
    started = time.monotonic()
    while await listeners(url) == 0:
        assert time.monotonic() - started < timeout, "no worker LISTENs"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def timed_run(server: OwnServer) -> float:
    """Seconds from creating a lecture to its generation run having succeeded."""
    conninfo = role_conninfo(server.url, RUNTIME_ROLE)
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        started = time.monotonic()
        created = await new_lecture(conn, prompt="Tides")
        run = await wait_for_run(conn, "user-1", created.run_id, timeout=STEPS * POLL_SECONDS * 2)
    assert (run.status, run.current_step) == ("succeeded", STEPS)
    return time.monotonic() - started


# `serve` runs the same supervise_worker → run_worker → create_worker_app as `worker`.
@pytest.mark.parametrize("command", ["worker", "serve"])
async def test_listen_comes_back_after_a_postgres_restart(command: str, tmp_path: Path) -> None:
    with own_server() as server, worker_process(command, server.url, tmp_path):
        await wait_for_listener(server.url, timeout=30)
        assert await timed_run(server) < LISTENING_RUN_SECONDS

        await asyncio.to_thread(server.restart)
        elapsed = await timed_run(server)
        listening = await listeners(server.url)

    assert elapsed < LISTENING_RUN_SECONDS
    assert listening == 1


async def test_heartbeats_resume_after_failing(database: TestDatabase, admin_aconn: Conn) -> None:
    settings = worker_settings()  # a heartbeat every 0.5 s
    async with running_worker(settings, database.admin_url) as worker:
        while not await (await admin_aconn.execute(test_query("heartbeat_ages"))).fetchall():
            await asyncio.sleep(0.05)
        await admin_aconn.execute(test_query("forbid_heartbeats"))
        try:
            await asyncio.sleep(4 * settings.worker_heartbeat_seconds)
        finally:
            await admin_aconn.execute(test_query("allow_heartbeats"))
        await asyncio.sleep(3 * settings.worker_heartbeat_seconds)
        ages = await (await admin_aconn.execute(test_query("heartbeat_ages"))).fetchall()
        assert not worker.done()

    assert len(ages) == 1
    assert ages[0][1] < 2 * settings.worker_heartbeat_seconds


async def test_a_proposal_waiting_for_review_survives_a_postgres_restart(tmp_path: Path) -> None:
    """The wait is rows, not a sleeping job: after a restart the proposal is still there to
    accept, and an unanswered one still expires (the worker records it)."""
    # Expired reviews are looked for every half stalled-worker timeout (30 s by default).
    quick = {"TUTOPANDA_WORKER_HEARTBEAT_SECONDS": "0.5", "TUTOPANDA_STALLED_AFTER_SECONDS": "2"}
    with own_server() as server, worker_process("worker", server.url, tmp_path, **quick):
        conninfo = role_conninfo(server.url, RUNTIME_ROLE)
        async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
            created = await new_lecture(conn, prompt="Reefs")
            await wait_for_run(conn, "user-1", created.run_id, timeout=60)
            lecture = await lectures.get_lecture(conn, "user-1", created.lecture_id)
            first, second = (image.id for image in lecture.images[:2])
            kept = await workflows.regenerate_asset(
                conn, "user-1", created.lecture_id, "image", first, review_seconds=1800
            )
            waiting = await wait_for_run(conn, "user-1", kept, ("waiting_for_review",))

        await asyncio.to_thread(server.restart)

        async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
            assert await workflows.get_run(conn, "user-1", kept) == waiting
            accepted = await workflows.accept_proposal(conn, "user-1", kept)
            lecture = await lectures.get_lecture(conn, "user-1", created.lecture_id)
            assert stored_json(lecture.images[0]) == waiting.proposal
            unanswered = await workflows.regenerate_asset(
                conn, "user-1", created.lecture_id, "image", second, review_seconds=1
            )
            await wait_for_run(conn, "user-1", unanswered, ("waiting_for_review",))
        await asyncio.to_thread(server.restart)
        async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
            expired = await wait_for_run(conn, "user-1", unanswered, ("expired",), timeout=60)

    assert accepted.revision == 7
    assert expired.error == "the proposal was not reviewed in time"


def alive(pid: int) -> bool:
    """True while process `pid` runs (a zombie has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


async def timed_stop(
    command: str, url: str, tmp_path: Path, outage: Callable[[], None]
) -> tuple[float, str, list[int]]:
    """Start `command` on `url`, wait for its worker's LISTEN, cause `outage`, SIGTERM it: the
    seconds it took to exit (status 0), its output, and its API processes still alive after.

    `serve` with two API processes: its worker then runs in the supervising parent. The connect
    timeout is the default (5 s), what a stopping worker waits for a connection at most."""
    args = (
        ["worker"]
        if command == "worker"
        else ["serve", "--workers", "2", "--port", str(free_port())]
    )
    log = tmp_path / "output.log"
    with (
        log.open("w", encoding="utf-8") as output,  # a file: a pipe nobody reads fills up
        subprocess.Popen(
            [sys.executable, "-m", "tutopanda", *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, **server_env(url, tmp_path / "home")},
            stdout=output,
            stderr=subprocess.STDOUT,
        ) as process,
    ):
        try:
            await wait_for_listener(url, timeout=30)  # started, its worker listening
            assert process.poll() is None, log.read_text("utf-8")
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
            outage()
            await asyncio.sleep(1.0)  # the outage is noticed
            started = time.monotonic()
            process.terminate()
            code = await asyncio.to_thread(process.wait, 60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        took = time.monotonic() - started
    printed = log.read_text("utf-8")
    assert code == 0, printed
    # A child told by the kernel that its parent ended (PR_SET_PDEATHSIG) may take a moment.
    grace = time.monotonic() + 2.0
    while (left := [pid for pid in map(int, children.split()) if alive(pid)]) and (
        time.monotonic() < grace
    ):
        await asyncio.sleep(0.05)
    return took, printed, left


@pytest.mark.parametrize("command", ["worker", "serve"])
async def test_sigterm_stops_a_worker_while_postgres_is_away(command: str, tmp_path: Path) -> None:
    """Procrastinate's shutdown fails without a database; the worker must not start again, and
    stops within the connect timeout (not the pool's 30 s)."""
    async with contextlib.AsyncExitStack() as stack:
        db = stack.enter_context(restartable_database(tmp_path))
        stack.callback(db.start)  # its folder is removed once it has stopped again
        took, printed, left = await timed_stop(command, db.url, tmp_path, db.stop)
    assert "restarting in" not in printed, printed
    assert left == []
    assert took < 5 + 2, f"{took:.1f} s"  # the connect timeout, and a busy machine


@pytest.mark.parametrize("command", ["worker", "serve"])
async def test_sigterm_stops_a_worker_whose_postgres_hangs(
    command: str, database: TestDatabase, pg_server: TestServer, tmp_path: Path
) -> None:
    """A server that answers nothing (a hung host, a network dropping packets) fails no wait at
    once: each runs into its own timeout, one after the other (over a minute before the stop
    watchdog). ~10 s: a start, and a stop of 5 s of patience and a 2 s probe."""
    with tcp_proxy(pg_server) as proxy:
        url = proxy.url(database.name)
        took, printed, left = await timed_stop(command, url, tmp_path, proxy.freeze)
    assert "stopping now: the database has not answered" in printed, printed
    assert left == []
    assert took < 5 + 2 + 2, f"{took:.1f} s"  # patience, the probe, a busy machine
