"""What the event publisher costs while nothing changes: it polls the database all the same.

Its queries per second come from the database's committed-transaction count (each poll is
one autocommit transaction; the hub's idle ping every few seconds is the only other traffic
of an idle bench database), read from the maintenance database so that reading does not
count. PostgreSQL publishes a backend's counts about once a second, so the rate is taken
between the first and the last moment the count moved. The CPU of the publisher's backend
comes from /proc when the server runs on this machine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from bench.database import QUERIES, BenchDatabase
from bench.tools import process_tree_cpu_seconds

SAMPLE_EVERY = 0.02  # seconds between two readings of the count


@dataclass(frozen=True)
class IdleCost:
    """The idle publisher's polls/s (None: the count did not move twice), the CPU of its
    backend (None: not on this machine) and of the API server process, in cores."""

    queries_per_s: float | None
    backend_cores: float | None
    server_cores: float
    seconds: float


def rate_between_changes(readings: Sequence[tuple[float, int]]) -> float | None:
    """Counts per second between the first and the last reading where the count moved
    (a counter published in steps); None when it moved fewer than twice."""
    changes = [readings[i] for i in range(1, len(readings)) if readings[i][1] != readings[i - 1][1]]
    if len(changes) < 2 or changes[-1][0] <= changes[0][0]:
        return None
    return (changes[-1][1] - changes[0][1]) / (changes[-1][0] - changes[0][0])


def _local_backend(pid: int, dbname: str) -> bool:
    """True when `pid` is this database's backend on this machine (not a local namesake)."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode("utf-8", "replace")
    except OSError:
        return False
    return title.startswith("postgres") and dbname in title


def _watch(db: BenchDatabase, publisher: str, server_pid: int, seconds: float) -> IdleCost:
    dbname = str(conninfo_to_dict(db.url).get("dbname") or "")
    with psycopg.connect(db.url, autocommit=True) as conn:
        row = conn.execute(QUERIES["session_pid"], {"name": publisher}).fetchone()
    pid = int(row[0]) if row else None
    local = pid is not None and _local_backend(pid, dbname)
    readings: list[tuple[float, int]] = []
    with psycopg.connect(db.maintenance_url or db.url, autocommit=True) as conn:
        backend_started = process_tree_cpu_seconds(pid) if local and pid else 0.0
        server_started = process_tree_cpu_seconds(server_pid)
        started = time.monotonic()
        while (now := time.monotonic()) < started + seconds:
            count = conn.execute(QUERIES["database_commits"], {"dbname": dbname}).fetchone()
            readings.append((now, int(count[0]) if count else 0))
            time.sleep(SAMPLE_EVERY)
        elapsed = time.monotonic() - started
        backend = process_tree_cpu_seconds(pid) - backend_started if local and pid else None
        server = process_tree_cpu_seconds(server_pid) - server_started
    return IdleCost(
        queries_per_s=rate_between_changes(readings),
        backend_cores=None if backend is None else backend / elapsed,
        server_cores=server / elapsed,
        seconds=elapsed,
    )


async def idle_cost(db: BenchDatabase, publisher: str, server_pid: int, seconds: float) -> IdleCost:
    """Watch an idle database with a running API for `seconds` (at least 3: the count moves
    about once a second)."""
    return await asyncio.to_thread(_watch, db, publisher, server_pid, max(3.0, seconds))
