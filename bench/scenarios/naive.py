"""The one-call save vs a naive read-check-write service (same job, same payload, 8 clients,
both direct psycopg), on loopback and through a proxy that adds a round trip."""

from __future__ import annotations

import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from bench.database import QUERIES
from bench.driver import Slot, drive, naive, one_call
from bench.runner import Sample, Variant
from bench.scenarios import Context
from bench.tools import BenchError, free_port, process_tree_cpu_seconds
from tutopanda.audit.verify import verify_history

CLIENTS = 8
SIZE_KB = 2


@dataclass(frozen=True)
class Network:
    """How the services reach PostgreSQL: directly, or through the delaying proxy."""

    label: str
    runtime: str
    owner: str
    proxy_pid: int | None = None


@contextlib.contextmanager
def delaying_proxy(ctx: Context) -> Iterator[Network]:
    """The proxy in its own process (its CPU is its own), delaying half the round trip each way."""
    params = conninfo_to_dict(ctx.db.url)
    target = f"{params.get('host') or '127.0.0.1'}:{params.get('port') or 5432}"
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.delay_proxy",
            "--port",
            str(port),
            "--target",
            target,
            "--delay-ms",
            str(ctx.config.delay_ms / 2),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        if process.stdout.readline().strip() != "ready":
            raise BenchError("the delaying proxy did not start")

        def via(conninfo: str) -> str:
            return make_conninfo(conninfo, host="127.0.0.1", port=str(port))

        yield Network(
            f"+{ctx.config.delay_ms:g} ms round trip (proxy)",
            via(ctx.db.runtime),
            via(ctx.db.owner),
            process.pid,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


def round_trip_ms(conninfo: str, count: int = 200) -> float:
    """Median time of `SELECT 1` over this connection path."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        times = []
        for _ in range(count):
            started = time.perf_counter()
            conn.execute(QUERIES["ping"]).fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def variants(ctx: Context, network: Network) -> list[Variant]:
    set_name = ctx.lecture_set("engine", SIZE_KB)
    payload = ctx.payload(SIZE_KB)

    def variant(name: str, conninfo: str, autocommit: bool, service: str) -> Variant:
        save = one_call(payload) if service == "one-call" else naive(payload)

        async def measure(seconds: float) -> Sample:
            slots = [
                Slot(lecture, revision) for lecture, revision in ctx.db.slots(set_name)[:CLIENTS]
            ]
            proxy_started = time.monotonic()
            proxy_cpu = (
                0.0 if network.proxy_pid is None else process_tree_cpu_seconds(network.proxy_pid)
            )
            sample = await drive(conninfo, slots, save, seconds, autocommit=autocommit)
            if network.proxy_pid is None:
                return sample
            proxy_cpu = process_tree_cpu_seconds(network.proxy_pid) - proxy_cpu
            share = proxy_cpu / (time.monotonic() - proxy_started)
            return replace(sample, extra={**sample.extra, "proxy_cpu": share})

        params = {"clients": CLIENTS, "size_kb": SIZE_KB, "network": network.label}
        return Variant(name, params, ctx.counted(set_name, CLIENTS, measure))

    return [
        variant("one-call save", network.runtime, True, "one-call"),
        variant("naive read-check-write", network.owner, False, "naive"),
    ]


async def run(ctx: Context) -> None:
    host = str(conninfo_to_dict(ctx.db.url).get("host") or "")
    local = "Unix socket" if host.startswith("/") else "loopback"
    loopback = Network(local, ctx.db.runtime, ctx.db.owner)
    with delaying_proxy(ctx) as proxied:
        added = round_trip_ms(proxied.runtime) - round_trip_ms(loopback.runtime)
        ctx.results.note(
            f"the delaying proxy adds {added:.2f} ms per round trip (median of SELECT 1)"
        )
        for network, target in ((loopback, "≥ 2x"), (proxied, "≥ 3x")):
            case = f"{SIZE_KB} KB, {CLIENTS} clients, {network.label}"
            one, slow = variants(ctx, network)
            samples = await ctx.results.run("naive", case, [one, slow], warmup=ctx.config.warmup)
            ctx.results.compare(
                case,
                (one.name, samples[one.name]),
                (slow.name, samples[slow.name]),
                target,
            )
    check_history(ctx)


def check_history(ctx: Context) -> None:
    """The naive service did the same job: its history rows verify like the product's."""
    for lecture, _ in ctx.db.slots(ctx.lecture_set("engine", SIZE_KB))[:CLIENTS]:
        verification = verify_history(ctx.db.url, lecture)
        if not verification.intact:
            raise BenchError(f"naive service: history chain broken ({verification.findings[0]})")
    ctx.results.note("the lectures the naive service wrote pass `tutopanda audit verify`")
