"""HTTP layer: `PATCH /lectures/{id}` driven by wrk (one lecture per connection) vs the same
named query (`lecture_save`) called directly by as many async psycopg connections; and the
same app under granian vs uvicorn (`tutopanda serve`), in the same interleaved rounds."""

from __future__ import annotations

import asyncio

from bench.driver import Slot, drive, one_call
from bench.http_server import Server, serving
from bench.runner import Sample, Variant
from bench.scenarios import Context
from bench.wrk import wrk_saves

# (size in KB, clients, target): 32 clients at 2 KB is the throughput figure, 8 clients at
# 20 KB the latency one; 8 and 32 at 2 KB give the HTTP/direct ratio.
CASES = (
    (2, 8, "ratio ≥ 0.70"),
    (2, 32, "ratio ≥ 0.70; HTTP ≥ 1,500 saves/s"),
    (20, 8, "HTTP p99 ≤ 15 ms"),
)

SERVER_CHOICE = "ASGI server: > 1 favours granian"


def http_variant(ctx: Context, server: Server, size_kb: int, clients: int) -> Variant:
    set_name = ctx.lecture_set("engine", size_kb)
    payload = ctx.payload(size_kb)

    async def measure(seconds: float) -> Sample:
        slots = ctx.db.slots(set_name)[:clients]
        sample = await wrk_saves(server, payload, slots, seconds)
        await asyncio.to_thread(ctx.db.settle_set, set_name)
        return sample

    params = {
        "clients": clients,
        "size_kb": size_kb,
        "server_processes": server.processes,
        "server": server.kind,
    }
    name = "HTTP PATCH (wrk)" if server.kind == "uvicorn" else f"HTTP PATCH (wrk), {server.kind}"
    return Variant(name, params, ctx.counted(set_name, clients, measure))


def direct_variant(ctx: Context, size_kb: int, clients: int) -> Variant:
    set_name = ctx.lecture_set("engine", size_kb)
    save = one_call(ctx.payload(size_kb))

    async def measure(seconds: float) -> Sample:
        slots = [Slot(lecture, revision) for lecture, revision in ctx.db.slots(set_name)[:clients]]
        return await drive(ctx.db.runtime, slots, save, seconds, autocommit=True)

    params = {"clients": clients, "size_kb": size_kb}
    return Variant("lecture_save via psycopg", params, ctx.counted(set_name, clients, measure))


async def run(ctx: Context) -> None:
    processes = ctx.config.server_processes
    for size_kb, _, _ in CASES:
        ctx.lecture_set("engine", size_kb)
    log = ctx.config.output.with_name("serve.log")
    log.parent.mkdir(parents=True, exist_ok=True)
    with (
        serving(ctx.db, processes, log) as server,
        serving(ctx.db, processes, log.with_name("granian.log"), "granian") as granian,
    ):
        for size_kb, clients, target in CASES:
            servers = "1 server process" if processes == 1 else f"{processes} server processes"
            case = f"{size_kb} KB, {clients} clients, {servers}"
            http = http_variant(ctx, server, size_kb, clients)
            other = http_variant(ctx, granian, size_kb, clients)
            direct = direct_variant(ctx, size_kb, clients)
            variants = [http, other, direct]
            samples = await ctx.results.run("http", case, variants, warmup=ctx.config.warmup)
            ctx.results.compare(
                case,
                (http.name, samples[http.name]),
                (direct.name, samples[direct.name]),
                target,
            )
            ctx.results.compare(
                case,
                (other.name, samples[other.name]),
                (http.name, samples[http.name]),
                SERVER_CHOICE,
            )
