"""Procrastinate's own per-job NOTIFY: save throughput (pgbench, 8 clients, 2 KB) while a
workflow-like load defers jobs at 0, 20 and 200 jobs/s, with the jobs table's notifying
trigger on and off. A listener stands in for the workers (they LISTEN on the queue)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import replace

from psycopg import AsyncConnection

from bench.database import QUERIES
from bench.pgbench import pgbench
from bench.runner import Sample, Variant
from bench.scenarios import Context

CLIENTS = 8
SIZE_KB = 2
RATES = (20, 200)
PER_CONNECTION = 20  # jobs/s one deferring connection is asked for


async def _listen(conninfo: str) -> None:
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        await conn.execute(QUERIES["listen_queue"])
        async for _ in conn.notifies():
            pass


async def _defer(conninfo: str, rate: float, stop: asyncio.Event) -> int:
    """Defer one job per transaction, paced to `rate` jobs/s; return how many were deferred."""
    deferred = 0
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        started = time.monotonic()
        while not stop.is_set():
            await conn.execute(QUERIES["job_defer"], {"n": deferred})
            deferred += 1
            ahead = started + deferred / rate - time.monotonic()
            if ahead > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), ahead)
    return deferred


async def _load(conninfo: str, rate: int, stop: asyncio.Event) -> int:
    """`rate` jobs/s from enough connections that a busy server's latency cannot slow it."""
    connections = max(1, rate // PER_CONNECTION)
    counts = await asyncio.gather(
        *(_defer(conninfo, rate / connections, stop) for _ in range(connections))
    )
    return sum(counts)


def variant(ctx: Context, rate: int, notify: bool) -> Variant:
    set_name = ctx.lecture_set("engine", SIZE_KB)
    variables = {"set": set_name, "lecture": "0"}
    name = f"{rate} jobs/s" if rate == 0 else f"{rate} jobs/s, notify {'on' if notify else 'off'}"

    async def measure(seconds: float) -> Sample:
        ctx.db.execute("queue_notify_on" if notify else "queue_notify_off")
        listener = asyncio.create_task(_listen(ctx.db.runtime))
        stop = asyncio.Event()
        load = asyncio.create_task(_load(ctx.db.runtime, rate, stop)) if rate else None
        started = time.monotonic()
        try:
            sample = await pgbench(ctx.db.runtime, "lecture_save.sql", CLIENTS, seconds, variables)
        finally:
            stop.set()
            deferred = await load if load is not None else 0
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        jobs_per_s = deferred / (time.monotonic() - started)
        return replace(sample, extra={**sample.extra, "jobs_per_s": jobs_per_s})

    params = {"clients": CLIENTS, "size_kb": SIZE_KB, "jobs_per_s": rate, "queue_notify": notify}
    return Variant(name, params, ctx.counted(set_name, CLIENTS, measure))


async def run(ctx: Context) -> None:
    case = f"{SIZE_KB} KB, {CLIENTS} clients"
    variants = [variant(ctx, 0, True)]
    for rate in RATES:
        variants += [variant(ctx, rate, True), variant(ctx, rate, False)]
    try:
        samples = await ctx.results.run("queue", case, variants, warmup=ctx.config.warmup)
    finally:
        ctx.db.execute("queue_notify_on")
    for rate in RATES:
        on, off = f"{rate} jobs/s, notify on", f"{rate} jobs/s, notify off"
        comparison = ctx.results.compare(
            f"{case}, {rate} jobs/s deferred",
            (on, samples[on]),
            (off, samples[off]),
            "matters when clearly < 1",
        )
        if comparison.ratio.count < 3:
            verdict = "cannot be judged from fewer than 3 rounds"
        elif comparison.ratio.high < 0.95:
            verdict = "matters (every round slower with it)"
        else:
            verdict = "does not matter measurably"
        ctx.results.note(
            f"Procrastinate's per-job NOTIFY at {rate} jobs/s {verdict} "
            f"(saves/s on/off = {comparison.ratio.format(2)})"
            + (
                "; the product's saves notify too, which hides part of its cost"
                if ctx.product_notifies()
                else ""
            )
        )
