"""Realtime: fan-out latency (commit → event parsed by a client) at 1, 100 and 1,000 SSE
subscribers on one API process, save throughput with 1,000 subscribers vs none, and what the
idle event publisher costs the database."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.driver import Slot, one_call
from bench.fanout import (
    Clients,
    announcements,
    oldest_transactions,
    subscribed,
    write_paced,
)
from bench.fanout_match import FanoutTally, announce_latencies, tally
from bench.fanout_report import latency_table, throughput_note
from bench.http_server import Server, serving
from bench.idle_publisher import idle_cost
from bench.pgbench import pgbench
from bench.runner import Sample, Variant
from bench.scenarios import Context
from bench.stats import percentile
from bench.subscribers import Tally
from bench.tools import process_tree_cpu_seconds
from tutopanda.events.publisher import PUBLISHER_NAME
from tutopanda.settings import load_settings

SIZE_KB = 2
LECTURES = 100  # lectures the spread layouts use
WRITE_RATE = 20.0  # saves/s of the latency writer, round-robin over the layout's lectures
# (subscribers, lectures they are spread over, saves/s): subscriber i follows lecture
# i mod lectures. The last one is an editor's pace on one lecture (auto-save debounce 2 s,
# plus workflow steps): within what one process delivers, it shows a single event's fan-out.
LAYOUTS = (
    (1, 1, WRITE_RATE),
    (100, 1, WRITE_RATE),
    (100, LECTURES, WRITE_RATE),
    (1000, 1, WRITE_RATE),
    (1000, LECTURES, WRITE_RATE),
    (1000, 1, 2.0),
)
SAVE_CLIENTS = 8  # pgbench clients of the throughput pair (one lecture each)
SAVE_SUBSCRIBERS = 1000  # spread over the SAVE_CLIENTS lectures being saved
DRAIN_SECONDS = 10.0  # how long subscribers may take to receive the last commit
LATENCY_TARGET = "p50 ≤ 10 ms, p99 ≤ 50 ms at 1,000 subscribers"


def _label(subscribers: int, lectures: int, rate: float) -> str:
    who = "1 subscriber" if subscribers == 1 else f"{subscribers:,} subscribers"
    where = "1 lecture" if lectures == 1 else f"{lectures} lectures"
    pace = "" if rate == WRITE_RATE else f", {rate:g} saves/s"
    return f"{who}, {where}{pace}"


@dataclass(frozen=True)
class _Window:
    """CPU of the client processes and of the API server over a measurement, in cores."""

    clients: float
    busiest_client: float
    server: float


class _Meter:
    """CPU seconds of the subscriber processes and the API server, from a starting point."""

    def __init__(self, clients: Clients, server: Server):
        self._clients, self._server = clients, server
        self._client_cpu = clients.cpu_seconds()
        self._server_cpu = process_tree_cpu_seconds(server.pid)

    def server_seconds(self) -> float:
        return process_tree_cpu_seconds(self._server.pid) - self._server_cpu

    def window(self, seconds: float) -> _Window:
        used = [b - a for a, b in zip(self._client_cpu, self._clients.cpu_seconds(), strict=True)]
        return _Window(sum(used) / seconds, max(used) / seconds, self.server_seconds() / seconds)


def _trouble(tallies: Sequence[Tally]) -> dict[str, float]:
    return {
        "disconnects": float(sum(t.disconnects for t in tallies)),
        "resyncs": float(sum(t.resyncs for t in tallies)),
        "failures": float(sum(t.failures for t in tallies)),
    }


def latency_variant(
    ctx: Context, server: Server, subscribers: int, lectures: int, rate: float
) -> Variant:
    set_name = ctx.lecture_set("fanout", SIZE_KB, LECTURES)
    save = one_call(ctx.payload(SIZE_KB))

    async def measure(seconds: float) -> Sample:
        slots = [Slot(lecture, revision) for lecture, revision in ctx.db.slots(set_name)]
        slots = slots[:lectures]
        followed = [slots[i % lectures].lecture for i in range(subscribers)]
        async with (
            subscribed(server, followed, record=True) as clients,
            announcements(ctx.db.runtime) as announced,
            oldest_transactions(ctx.db.maintenance_url or ctx.db.url) as ages,
        ):
            meter = _Meter(clients, server)
            written = await write_paced(ctx.db.runtime, slots, save, rate, seconds)
            cpu = meter.window(written.seconds)
            last = {slot.lecture: slot.revision for slot in slots}
            tallies = await clients.finish(last, DRAIN_SECONDS)
            server_seconds = meter.server_seconds()
        matched = tally(written.commits, tallies)
        announce = announce_latencies(written.commits, announced)
        ages.sort()
        window = max(written.seconds, seconds)
        return Sample(
            saves_per_s=len(written.commits) / window,
            seconds=window,
            p50_ms=matched.percentile_ms(0.50),
            p99_ms=matched.percentile_ms(0.99),
            loadgen_cpu=cpu.clients + written.cpu_seconds / written.seconds,
            extra={
                "saves": float(len(written.commits)),
                "server_cpu": cpu.server,
                "server_us_per_event": server_seconds * 1e6 / max(1, matched.matched),
                "busiest_client_cpu": cpu.busiest_client,
                "announce_p50_ms": percentile(announce, 0.50),
                "announce_p99_ms": percentile(announce, 0.99),
                "demand_per_s": matched.expected / window,
                "oldest_xact_p50_ms": percentile(ages, 0.50),
                "oldest_xact_max_ms": ages[-1] if ages else 0.0,
                **_counts(matched),
                **_trouble(tallies),
            },
        )

    params = {"subscribers": subscribers, "lectures": lectures, "saves_per_s": rate}
    measure_checked = ctx.counted(set_name, lectures, measure)
    return Variant(_label(subscribers, lectures, rate), params, measure_checked)


def _counts(matched: FanoutTally) -> dict[str, float]:
    return {
        "expected": float(matched.expected),
        "received": float(matched.matched),
        "missing": float(matched.missing),
        "duplicates": float(matched.duplicates),
        "unexpected": float(matched.unexpected),
        "short_subscribers": float(matched.short_subscribers),
        "fewest": matched.fewest,
        "max_ms": matched.latencies_ms[-1] if matched.latencies_ms else float("nan"),
    }


def throughput_variant(ctx: Context, server: Server, subscribers: int) -> Variant:
    """pgbench saves (the sql scenario's load, 8 clients), with `subscribers` spread over the
    lectures being saved (every save is fanned out), or none."""
    set_name = ctx.lecture_set("engine", SIZE_KB)
    variables = {"set": set_name, "lecture": "0"}

    async def saves(seconds: float) -> Sample:
        return await pgbench(ctx.db.runtime, "lecture_save.sql", SAVE_CLIENTS, seconds, variables)

    async def measure(seconds: float) -> Sample:
        if not subscribers:
            return await saves(seconds)
        before = dict(ctx.db.slots(set_name)[:SAVE_CLIENTS])
        lectures = list(before)
        followed = [lectures[i % len(lectures)] for i in range(subscribers)]
        async with subscribed(server, followed, record=False) as clients:
            meter = _Meter(clients, server)
            sample = await saves(seconds)
            cpu = meter.window(sample.seconds)
            after = dict(ctx.db.slots(set_name)[:SAVE_CLIENTS])
            drained = time.monotonic()
            tallies = await clients.finish(after, DRAIN_SECONDS)
            drained = time.monotonic() - drained
        expected = sum(after[t.lecture] - before[t.lecture] for t in tallies)
        received = sum(t.count for t in tallies)
        return Sample(
            saves_per_s=sample.saves_per_s,
            seconds=sample.seconds,
            p50_ms=sample.p50_ms,
            p99_ms=sample.p99_ms,
            loadgen_cpu=(sample.loadgen_cpu or 0.0) + cpu.clients,
            extra={
                **sample.extra,
                "server_cpu": cpu.server,
                "subscriber_cpu": cpu.clients,
                "events_per_s": received / (sample.seconds + drained),
                "due_per_s": expected / sample.seconds,
                "expected": float(expected),
                "received": float(received),
                **_trouble(tallies),
            },
        )

    name = f"pgbench, {subscribers:,} subscribers" if subscribers else "pgbench, no subscribers"
    params = {"clients": SAVE_CLIENTS, "size_kb": SIZE_KB, "subscribers": subscribers}
    return Variant(name, params, ctx.counted(set_name, SAVE_CLIENTS, measure))


async def run(ctx: Context) -> None:
    settings = load_settings(os.environ)
    ctx.lecture_set("fanout", SIZE_KB, LECTURES)
    ctx.lecture_set("engine", SIZE_KB)
    log = ctx.config.output.with_name("serve-events.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with serving(ctx.db, 1, log) as server:
        await asyncio.sleep(1.0)  # the publisher claims its role and settles
        idle = await idle_cost(ctx.db, PUBLISHER_NAME, server.pid, ctx.config.seconds)
        ctx.results.note(
            f"event publisher: polls every {settings.event_poll_ms:g} ms "
            "(TUTOPANDA_EVENT_POLL_MS); idle, it costs the database "
            + (
                "? queries/s"
                if idle.queries_per_s is None
                else f"{idle.queries_per_s:,.0f} queries/s"
            )
            + (
                ""
                if idle.backend_cores is None
                else f" and its backend {idle.backend_cores:.3f} cores"
            )
            + f"; the idle API server process uses {idle.server_cores:.3f} cores "
            f"(watched {idle.seconds:.1f} s)"
        )
        case = f"fan-out, {SIZE_KB} KB saves at {WRITE_RATE:g}/s unless said, 1 server process"
        variants = [latency_variant(ctx, server, *layout) for layout in LAYOUTS]
        samples = await ctx.results.run("events", case, variants, warmup=ctx.config.warmup)
        ctx.results.tables.append(latency_table(case, samples, LATENCY_TARGET, settings))
        case = f"{SIZE_KB} KB, {SAVE_CLIENTS} clients, 1 server process"
        loaded = throughput_variant(ctx, server, SAVE_SUBSCRIBERS)
        bare = throughput_variant(ctx, server, 0)
        samples = await ctx.results.run("events", case, [loaded, bare], warmup=ctx.config.warmup)
        ctx.results.compare(
            case, (loaded.name, samples[loaded.name]), (bare.name, samples[bare.name]), "≥ 0.95"
        )
        ctx.results.note(throughput_note(loaded.name, samples[loaded.name], DRAIN_SECONDS))
