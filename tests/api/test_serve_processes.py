"""`tutopanda serve --workers N`: N API processes on one port, one workflow worker, one stop."""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from tests.api.helpers import server_env
from tests.api.test_event_stream import ALICE, stream, take
from tests.support.databases import TestDatabase
from tests.support.processes import serve_process
from tests.support.sql import test_query
from tutopanda.api.realtime import LISTENER_NAME

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


def children(process: subprocess.Popen[str], *, publisher: bool = False) -> set[int]:
    """The live child processes of `process`: its API processes, or (`publisher`) the event
    publisher's process (tutopanda.events.publisher_process)."""
    tasks = Path(f"/proc/{process.pid}/task").glob("*/children")  # each thread's children
    pids = {int(pid) for path in tasks for pid in path.read_text().split()}
    return {pid for pid in pids if _is_publisher(pid) == publisher}


def _is_publisher(pid: int) -> bool:
    try:
        return b"publisher_process" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:  # gone meanwhile
        return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


async def sessions_named(admin: Conn, name: str) -> int:
    row = await (await admin.execute(test_query("sessions_named"), {"name": name})).fetchone()
    assert row is not None
    return int(row[0])


async def wait_until(check: Callable[[], Awaitable[bool] | bool], timeout: float = 30) -> None:
    """Until `check()` (a plain or async predicate) holds; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await _value(check()):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_two_api_processes_serve_one_port_and_one_worker_runs_the_workflows(
    database: TestDatabase, tmp_path: Path, admin_aconn: Conn
) -> None:
    env = server_env(database.admin_url, tmp_path, TUTOPANDA_WORKER_POLL_SECONDS="0.2")
    with serve_process("--workers", "2", env=env) as (base, process):
        api = children(process)
        assert len(api) == 2
        assert len(children(process, publisher=True)) == 1  # one event publisher per serve
        async with httpx.AsyncClient(base_url=base, headers=ALICE, timeout=10) as http:
            # Each process answers from its own connections; both are reached through one port.
            answers = await asyncio.gather(*(http.get("/projects") for _ in range(40)))
            assert {answer.status_code for answer in answers} == {200}
            created = (await http.post("/projects", json={"prompt": "Tides"})).json()
            deadline = time.monotonic() + 30
            while (run := (await http.get(f"/workflow-runs/{created['runId']}")).json())[
                "status"
            ] in ("queued", "running"):
                assert time.monotonic() < deadline, run
                await asyncio.sleep(0.1)
        assert run["status"] == "succeeded"
        # One worker (the parent's), one realtime listener per API process.
        assert await sessions_named(admin_aconn, "tutopanda-worker") >= 1
        listening = await (await admin_aconn.execute(test_query("worker_listeners"))).fetchone()
        assert listening == (1,)

        async def two_listeners() -> bool:
            return await sessions_named(admin_aconn, LISTENER_NAME) == 2

        await wait_until(two_listeners)

        # Every process delivers to its own subscribers: streams spread over both all see a save.
        lecture = created["lectureId"]
        async with httpx.AsyncClient(base_url=base, headers=ALICE, timeout=10) as http:
            current = (await http.get(f"/lectures/{lecture}")).json()["revision"]

            async def subscriber() -> int:
                async with stream(base, lecture) as events:
                    (state,) = await take(events, 1, timeout=30)
                    assert state.event == "lecture.state"
                    ready.release()
                    while True:
                        (event,) = await take(events, 1, timeout=30)
                        if event.event == "lecture.revised":
                            return int(event.data["revision"])

            ready = asyncio.Semaphore(0)
            tasks = [asyncio.create_task(subscriber()) for _ in range(12)]
            for _ in tasks:
                await asyncio.wait_for(ready.acquire(), 30)
            saved = await http.patch(
                f"/lectures/{lecture}",
                json={"payload": {"title": "Both"}},
                headers={"If-Match": f'"{current}"'},
            )
            assert saved.status_code == 200, saved.text
            revisions = await asyncio.wait_for(asyncio.gather(*tasks), 30)
        assert revisions == [current + 1] * 12

        # A killed API process is replaced; the port keeps answering.
        victim = min(api)
        os.kill(victim, signal.SIGKILL)
        await wait_until(lambda: len(children(process)) == 2 and victim not in children(process))
        async with httpx.AsyncClient(base_url=base, headers=ALICE, timeout=10) as http:
            answers = await asyncio.gather(*(http.get("/projects") for _ in range(20)))
        assert {answer.status_code for answer in answers} == {200}
        final = children(process)

        # SIGTERM stops every process: the parent exits 0 and no API process is left.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in final)


async def _value(result: Awaitable[bool] | bool) -> bool:
    return await result if inspect.isawaitable(result) else bool(result)


async def test_workers_out_of_range_is_one_line_and_exit_2(
    database: TestDatabase, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tutopanda", "serve", "--workers", "0"],
        env={**os.environ, **server_env(database.admin_url, tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--workers" in result.stderr


async def test_the_event_publisher_runs_beside_serve_again_after_a_crash_and_ends_with_it(
    database: TestDatabase, tmp_path: Path
) -> None:
    """One publisher process per serve, started again 1 s after it dies, gone once serve is.
    ~3 s: a serve starts, and the restart waits its second."""
    env = server_env(database.admin_url, tmp_path)
    with serve_process("--no-worker", env=env, log=tmp_path / "serve.log") as (_, process):
        (first,) = children(process, publisher=True)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not (restarted := children(process, publisher=True) - {first}):
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            await asyncio.sleep(0.1)
        (second,) = restarted
        assert alive(second)
    deadline = time.monotonic() + 10
    while alive(second):
        assert time.monotonic() < deadline, "the publisher outlived serve"
        await asyncio.sleep(0.1)
