"""HTTP layer: the product (`tutopanda serve --no-worker`) against the floor (bench/floor_app.py,
the leanest Litestar route making the same database call), saves and reads, driven by wrk in the
same interleaved rounds; and the floor's saves against the same named query called directly."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from bench.driver import Slot, drive, one_call
from bench.http_server import Server, serving
from bench.runner import Sample, Variant
from bench.scenarios import Context
from bench.stats import ratios, spread
from bench.tools import process_tree_cpu_seconds
from bench.wrk import wrk_reads, wrk_saves

SIZES_KB = (2, 20)
CONNECTIONS = (8, 32)
TARGET = "≥ 0.85 (issue 27)"
P99_TARGET = 1.3  # product p99 at most this many times the floor's (issue 27)
REFERENCE = "reference (no target)"


@dataclass(frozen=True)
class Servers:
    """The product and the floor, both started once; only the one measured runs, the other is
    stopped (SIGSTOP), so neither's background work (the product's event publisher polls every
    few milliseconds) takes CPU from the other's measurement."""

    product: Server
    floor: Server

    def only(self, running: Server | None) -> None:
        for server in (self.product, self.floor):
            if server is running:
                server.resume()
            else:
                server.pause()


def save_variant(
    ctx: Context, servers: Servers, server: Server, size_kb: int, clients: int
) -> Variant:
    set_name = ctx.lecture_set("engine", size_kb)
    payload = ctx.payload(size_kb)

    async def measure(seconds: float) -> Sample:
        servers.only(server)
        slots = ctx.db.slots(set_name)[:clients]
        sample = await wrk_saves(server, payload, slots, seconds)
        await asyncio.to_thread(ctx.db.settle_set, set_name)
        return sample

    params = {"clients": clients, "size_kb": size_kb, "server_processes": server.processes}
    return Variant(f"{server.kind} PATCH", params, ctx.counted(set_name, clients, measure))


def read_variant(
    ctx: Context, servers: Servers, server: Server, size_kb: int, clients: int
) -> Variant:
    set_name = ctx.lecture_set("engine", size_kb)

    async def measure(seconds: float) -> Sample:
        servers.only(server)
        sample = await wrk_reads(server, ctx.db.slots(set_name)[:clients], seconds)
        await asyncio.to_thread(ctx.db.settle)
        return sample

    params = {"clients": clients, "size_kb": size_kb, "server_processes": server.processes}
    return Variant(f"{server.kind} GET", params, measure)


def direct_variant(ctx: Context, servers: Servers, size_kb: int, clients: int) -> Variant:
    set_name = ctx.lecture_set("engine", size_kb)
    save = one_call(ctx.payload(size_kb))

    async def measure(seconds: float) -> Sample:
        servers.only(None)
        slots = [Slot(lecture, revision) for lecture, revision in ctx.db.slots(set_name)[:clients]]
        return await drive(ctx.db.runtime, slots, save, seconds, autocommit=True)

    params = {"clients": clients, "size_kb": size_kb}
    return Variant("lecture_save via psycopg", params, ctx.counted(set_name, clients, measure))


@dataclass(frozen=True)
class Row:
    """One line of the product / floor table: a request, a case and both sides' rounds."""

    request: str
    case: str
    product: Sequence[Sample]
    floor: Sequence[Sample]

    def cells(self) -> list[str]:
        def rates(samples: Sequence[Sample]) -> list[float]:
            return [s.saves_per_s for s in samples]

        def p99(samples: Sequence[Sample]) -> list[float]:
            return [s.p99_ms or 0.0 for s in samples]

        def cpu(samples: Sequence[Sample]) -> str:
            values = [s.extra["server_cpu_ms_per_request"] for s in samples]
            return spread(values).format(2)

        ratio = spread(ratios(rates(self.product), rates(self.floor)))
        p99_ratio = spread(ratios(p99(self.product), p99(self.floor)))
        met = ratio.median >= 0.85 and p99_ratio.median <= P99_TARGET
        return [
            self.request,
            self.case,
            spread(rates(self.product)).format(),
            spread(rates(self.floor)).format(),
            f"**{ratio.format(2)}**",
            spread(p99(self.product)).format(1),
            spread(p99(self.floor)).format(1),
            p99_ratio.format(2),
            cpu(self.product),
            cpu(self.floor),
            "yes" if met else "no",
        ]


def table(rows: Sequence[Row], processes: int) -> str:
    """The issue-27 table: product against floor per request and case."""
    servers = "1 server process" if processes == 1 else f"{processes} server processes"
    lines = [
        f"HTTP, product (`tutopanda serve --no-worker`) / floor (`bench/floor_app.py`), {servers}"
        " each; requests/s (saves or reads), p99 latency and the API server's CPU (its process "
        f"tree) per request; target: product / floor ≥ 0.85 and p99 ≤ {P99_TARGET:g} times the "
        "floor's (medians over the rounds).",
        "",
        "| request | case | product /s | floor /s | product / floor | product p99 ms | "
        "floor p99 ms | p99 product / floor | product CPU ms/request | floor CPU ms/request "
        "| target met |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines) + "\n"


async def run(ctx: Context) -> None:
    processes = ctx.config.server_processes
    for size_kb in SIZES_KB:
        ctx.lecture_set("engine", size_kb)
    log = ctx.config.output.with_name("serve.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    with (
        serving(ctx.db, processes, log) as product,
        serving(ctx.db, processes, log.with_name("floor.log"), "floor") as floor,
    ):
        servers = Servers(product, floor)
        await _idle_cpu(ctx, servers)
        for request in ("PATCH", "GET"):
            for size_kb in SIZES_KB:
                for clients in CONNECTIONS:
                    rows.append(await _case(ctx, servers, request, size_kb, clients))
    ctx.results.tables.append(table(rows, processes))


async def _idle_cpu(ctx: Context, servers: Servers) -> None:
    """Note what each server burns with nothing asked: it is in its CPU per request too."""
    seconds = min(2.0, ctx.config.seconds)
    cores = []
    for server in (servers.product, servers.floor):
        servers.only(server)
        started, cpu = time.monotonic(), process_tree_cpu_seconds(server.pid)
        await asyncio.sleep(seconds)
        cpu = process_tree_cpu_seconds(server.pid) - cpu
        cores.append(cpu / (time.monotonic() - started))
    ctx.results.note(
        f"idle CPU over {seconds:g} s with nothing asked: product {cores[0]:.3f} cores, floor "
        f"{cores[1]:.3f} cores (counted in their CPU per request)"
    )


async def _case(ctx: Context, servers: Servers, request: str, size_kb: int, clients: int) -> Row:
    processes = servers.product.processes
    plural = "process" if processes == 1 else "processes"
    case = f"{size_kb} KB, {clients} connections, {processes} server {plural}"
    build = save_variant if request == "PATCH" else read_variant
    product = build(ctx, servers, servers.product, size_kb, clients)
    floor = build(ctx, servers, servers.floor, size_kb, clients)
    variants = [product, floor]
    if request == "PATCH":
        variants.append(direct_variant(ctx, servers, size_kb, clients))
    samples = await ctx.results.run("http", case, variants, warmup=ctx.config.warmup)
    ctx.results.compare(
        case, (product.name, samples[product.name]), (floor.name, samples[floor.name]), TARGET
    )
    if request == "PATCH":  # what HTTP leaves of the database call, with and without the shell
        direct = variants[2].name
        for subject in (floor.name, product.name):
            ctx.results.compare(
                case, (subject, samples[subject]), (direct, samples[direct]), REFERENCE
            )
    return Row(request, case, samples[product.name], samples[floor.name])
