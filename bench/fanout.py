"""The fan-out bench's moving parts: processes of SSE subscribers, a paced writer, and a
listener that stamps the publisher's announcements."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import sys
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from bench.database import QUERIES
from bench.driver import Save, Slot
from bench.fanout_match import split
from bench.http_server import PROJECT_ROOT, Server
from bench.subscribers import Tally
from bench.tools import BenchError, process_tree_cpu_seconds

PER_PROCESS = 250  # subscribers one client process serves
OPEN_TIMEOUT = 180.0  # seconds for every stream of a process to open
OUTPUT_LIMIT = 1 << 28  # a client's result line can be several MB
QUIET_WINDOW = 0.25  # seconds over which the API server's CPU is sampled
QUIET_CORES = 0.25  # below this the server is idle again (it polls the publisher meanwhile)


@dataclass
class Clients:
    """Running subscriber processes, ready (each stream received its opening event)."""

    processes: list[asyncio.subprocess.Process]

    def cpu_seconds(self) -> list[float]:
        """CPU seconds used so far by each client process."""
        return [process_tree_cpu_seconds(p.pid) for p in self.processes]

    async def finish(self, last: Mapping[int, int], timeout: float) -> list[Tally]:
        """Let every subscriber catch up to `last` (lecture -> revision), then collect."""
        line = json.dumps({"last": {str(k): v for k, v in last.items()}, "timeout": timeout})
        tallies: list[Tally] = []
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write(line.encode() + b"\n")
            await process.stdin.drain()
        for process in self.processes:
            assert process.stdout is not None
            result = await asyncio.wait_for(process.stdout.readline(), timeout + 60)
            if not result:
                raise BenchError("a subscriber process exited without its result")
            tallies += [Tally(**t) for t in json.loads(result)["subscribers"]]
            await process.wait()
        return tallies


@contextlib.asynccontextmanager
async def subscribed(
    server: Server, lectures: Sequence[int], *, record: bool
) -> AsyncIterator[Clients]:
    """One subscriber per item of `lectures` (a lecture id each), over as many processes as
    PER_PROCESS needs, all streams open when the block starts; the processes end with it."""
    processes: list[asyncio.subprocess.Process] = []
    host, port = server.base_url.removeprefix("http://").rsplit(":", 1)
    try:
        for group in split(lectures, PER_PROCESS):
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.subscribers",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                cwd=PROJECT_ROOT,
                limit=OUTPUT_LIMIT,
            )
            processes.append(process)
            spec: dict[str, Any] = {
                "host": host,
                "port": int(port),
                "token": server.token,
                "lectures": group,
                "record": record,
                "timeout": OPEN_TIMEOUT,
            }
            assert process.stdin is not None
            process.stdin.write(json.dumps(spec).encode() + b"\n")
            await process.stdin.drain()
        for process in processes:
            assert process.stdout is not None
            ready = await asyncio.wait_for(process.stdout.readline(), OPEN_TIMEOUT + 10)
            if ready.strip() != b"ready":
                said = ready.decode("utf-8", "replace").strip() or "exited"
                raise BenchError(f"a subscriber process could not open its streams ({said})")
        yield Clients(processes)
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await server_quiet(server.pid)


async def server_quiet(pid: int, timeout: float = 60.0) -> None:
    """Wait until the API server has finished with the subscribers that left (a server that
    fell behind keeps writing its backlog for a while), so the next measurement starts idle."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = process_tree_cpu_seconds(pid)
        await asyncio.sleep(QUIET_WINDOW)
        if (process_tree_cpu_seconds(pid) - before) / QUIET_WINDOW < QUIET_CORES:
            return
    print(
        f"  warning: the API server is still busy {timeout:g} s after its subscribers left",
        file=sys.stderr,
    )


@dataclass(frozen=True)
class Written:
    """What the paced writer committed: (lecture, revision) -> wall clock ns right after
    COMMIT returned, how long it wrote and the CPU seconds its process used meanwhile."""

    commits: dict[tuple[int, int], int]
    seconds: float
    cpu_seconds: float


async def write_paced(
    conninfo: str, slots: Sequence[Slot], save: Save, rate: float, seconds: float
) -> Written:
    """Save the slots' lectures in turn at `rate` saves/s for `seconds`, one autocommit
    connection (each save is its own transaction: it has committed when the call returns)."""
    commits: dict[tuple[int, int], int] = {}
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        cpu_started = time.process_time()
        started = time.monotonic()
        for index in range(math.ceil(rate * seconds)):
            ahead = started + index / rate - time.monotonic()
            if ahead > 0:
                await asyncio.sleep(ahead)
            slot = slots[index % len(slots)]
            if await save(conn, slot):
                commits[(slot.lecture, slot.revision)] = time.time_ns()
        elapsed = time.monotonic() - started
        cpu = time.process_time() - cpu_started
    return Written(commits, elapsed, cpu)


@contextlib.asynccontextmanager
async def announcements(conninfo: str) -> AsyncIterator[list[tuple[int, list[int]]]]:
    """Listen where the publisher announces changed lectures, as the hub does: the list fills
    with (wall clock ns on arrival, lecture ids) while the block runs."""
    received: list[tuple[int, list[int]]] = []
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute(QUERIES["listen_product_events"])

        async def collect() -> None:
            async for notify in conn.notifies():
                ids = [int(part) for part in notify.payload.split(",") if part.isdigit()]
                received.append((time.time_ns(), ids))

        task = asyncio.create_task(collect())
        try:
            yield received
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@contextlib.asynccontextmanager
async def oldest_transactions(conninfo: str, every: float = 0.01) -> AsyncIterator[list[float]]:
    """Sample, while the block runs, how long the server's oldest write transaction has run
    (ms): the publisher announces only what committed before it began (its horizon)."""
    ages: list[float] = []
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:

        async def sample() -> None:
            while True:
                row = await (await conn.execute(QUERIES["oldest_write_transaction"])).fetchone()
                ages.append(float(row[0]) if row else 0.0)
                await asyncio.sleep(every)

        task = asyncio.create_task(sample())
        try:
            yield ages
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
