"""Direct drivers: N async psycopg connections, one lecture each, saving in a loop.

Two services do the same job: the product's one call (`lecture_save`, the API's named query,
as the runtime role, autocommit: one round trip) and a naive read-check-write service (as the
table owner: BEGIN, SELECT … FOR UPDATE, compare in Python, UPDATE, INSERT history, COMMIT).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from bench.database import BENCH_USER, QUERIES
from bench.payloads import Payload
from bench.runner import Sample
from bench.stats import percentile
from bench.tools import BenchError
from tutopanda.db.queries import query
from tutopanda.models.lecture import SECTION_NAMES

JSON_SECTIONS = tuple(name for name in SECTION_NAMES if name not in ("title", "summary"))


@dataclass
class Slot:
    """One client's lecture, the revision it last saw, and the conflicts it met.

    Every client owns its lecture, so a conflict only comes from a straggler of the previous
    run; the client carries on from the latest revision and the conflict is counted.
    """

    lecture: int
    revision: int
    conflicts: int = 0


Save = Callable[[AsyncConnection[Any], Slot], Awaitable[bool]]  # True: a revision written


def one_call(payload: Payload) -> Save:
    """The product's save: one statement, sections sent as the JSON text the editor sent."""

    async def save(conn: AsyncConnection[Any], slot: Slot) -> bool:
        cursor = await conn.execute(
            query("lecture_save"),
            {
                "user_id": BENCH_USER,
                "lecture_id": slot.lecture,
                "base_revision": slot.revision,
                "sections": payload.for_revision(slot.revision),
                "merge": False,
                "force": False,
            },
        )
        row = await cursor.fetchone()
        if row is None:
            raise BenchError(f"lecture {slot.lecture}: the save returned nothing")
        slot.revision = int(row[1])
        if row[0] != "saved":
            slot.conflicts += 1
            return False
        return True

    return save


def naive(payload: Payload) -> Save:
    """The read-check-write service: three statements in an explicit transaction."""
    versions = (json.loads(payload.a), json.loads(payload.b))

    async def save(conn: AsyncConnection[Any], slot: Slot) -> bool:
        sections: dict[str, Any] = versions[slot.revision % 2]
        params = {"user_id": BENCH_USER, "lecture_id": slot.lecture}
        async with conn.transaction():
            cursor = conn.cursor(row_factory=dict_row)
            row = await (await cursor.execute(QUERIES["naive_lock"], params)).fetchone()
            if row is None:
                raise BenchError(f"lecture {slot.lecture} not found")
            if row["revision"] != slot.revision:
                slot.conflicts += 1
                slot.revision = int(row["revision"])
                return False
            before = {name: row[name] for name in SECTION_NAMES}
            after = before | sections
            changed = sorted(name for name in sections if before[name] != sections[name])
            written = await (
                await conn.execute(
                    QUERIES["naive_update"],
                    {
                        **params,
                        "title": after["title"],
                        "summary": after["summary"],
                        **{
                            name: None if after[name] is None else Jsonb(after[name])
                            for name in JSON_SECTIONS
                        },
                    },
                )
            ).fetchone()
            assert written is not None
            await conn.execute(
                QUERIES["naive_history"],
                {
                    **params,
                    "revision": written[0],
                    "updated_at": written[1],
                    "data": Jsonb(after),
                    "changed": changed,
                    "prev_hash": row["hash"],
                },
            )
        slot.revision = int(written[0])
        return True

    return save


async def drive(
    conninfo: str, slots: list[Slot], save: Save, seconds: float, *, autocommit: bool
) -> Sample:
    """One connection per slot, each saving its lecture in a loop for `seconds`."""
    connections = [await AsyncConnection.connect(conninfo, autocommit=autocommit) for _ in slots]
    latencies: list[float] = []
    try:
        cpu_started = time.process_time()
        started = time.perf_counter()
        deadline = started + seconds

        async def loop(conn: AsyncConnection[Any], slot: Slot) -> None:
            while (begun := time.perf_counter()) < deadline:
                if await save(conn, slot):
                    latencies.append((time.perf_counter() - begun) * 1000)

        await asyncio.gather(*(loop(c, s) for c, s in zip(connections, slots, strict=True)))
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        for conn in connections:
            await conn.close()
    latencies.sort()
    return Sample(
        saves_per_s=len(latencies) / elapsed,
        seconds=elapsed,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        loadgen_cpu=cpu / elapsed,
        extra={"saves": float(len(latencies)), "conflicts": float(sum(s.conflicts for s in slots))},
    )
