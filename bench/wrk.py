"""Drives an HTTP server with wrk, one lecture per connection: saves (bench/wrk/save.lua) or
reads (bench/wrk/read.lua), with the server's CPU per request."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from bench.http_server import Server
from bench.payloads import Payload
from bench.runner import Sample
from bench.tools import BenchError, last_line, process_tree_cpu_seconds, run_tool, wrk_path

SCRIPTS = Path(__file__).resolve().parent / "wrk"
_MARK = "BENCH-JSON "


def _slot_lines(slots: list[tuple[int, int]]) -> list[str]:
    return [f"{lecture} {revision}" for lecture, revision in slots]


def _run(server: Server, script: str, lines: list[str], connections: int, seconds: float) -> Sample:
    """Run wrk; `extra` has the successful requests as `saves` (save.lua) or `reads`."""
    with tempfile.NamedTemporaryFile("w", prefix="tutopanda-wrk-", suffix=".txt") as config:
        config.write("\n".join(lines) + "\n")
        config.flush()
        server_started = process_tree_cpu_seconds(server.pid)
        finished = run_tool(
            [
                wrk_path(),
                f"--threads={connections}",
                f"--connections={connections}",
                f"--duration={max(1, round(seconds))}s",
                "--timeout=10s",
                f"--script={SCRIPTS / script}",
                server.base_url,
                "--",
                config.name,
            ]
        )
        server_cpu = process_tree_cpu_seconds(server.pid) - server_started
    found = [line for line in finished.stdout.splitlines() if line.startswith(_MARK)]
    if finished.returncode != 0 or not found:
        raise BenchError(f"wrk failed: {last_line(finished.stderr or finished.stdout)}")
    figures = json.loads(found[-1][len(_MARK) :])
    errors = figures["failed"] + figures["conflicts"] + figures["socket_errors"]
    if errors:
        raise BenchError(
            f"wrk ({server.kind}): {errors} requests were not 200 ({figures}); see the "
            "server's log beside the results"
        )
    duration = figures["duration_us"] / 1e6
    requests = max(1, figures["requests"])
    return Sample(
        saves_per_s=figures["done"] / duration,
        seconds=duration,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        loadgen_cpu=finished.cores,
        extra={
            ("saves" if script == "save.lua" else "reads"): float(figures["done"]),
            "conflicts": float(figures["conflicts"]),
            "server_cpu": server_cpu / finished.wall_seconds,
            "server_cpu_ms_per_request": server_cpu * 1000 / requests,
            "bytes_per_response": figures["bytes"] / requests,
        },
    )


async def wrk_saves(
    server: Server, payload: Payload, slots: list[tuple[int, int]], seconds: float
) -> Sample:
    """PATCH each slot's lecture over its own keep-alive connection for `seconds`."""
    lines = [server.token, f'{{"payload":{payload.a}}}', f'{{"payload":{payload.b}}}']
    return await asyncio.to_thread(
        _run, server, "save.lua", lines + _slot_lines(slots), len(slots), seconds
    )


async def wrk_reads(server: Server, slots: list[tuple[int, int]], seconds: float) -> Sample:
    """GET each slot's lecture over its own keep-alive connection for `seconds`; every answer
    must be 200 with the slot's revision as ETag."""
    return await asyncio.to_thread(
        _run, server, "read.lua", [server.token, *_slot_lines(slots)], len(slots), seconds
    )
