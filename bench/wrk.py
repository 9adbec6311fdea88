"""Drives `tutopanda serve` with wrk (bench/wrk/save.lua): one lecture per connection."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from bench.http_server import Server
from bench.payloads import Payload
from bench.runner import Sample
from bench.tools import BenchError, last_line, process_tree_cpu_seconds, run_tool, wrk_path

SCRIPT = Path(__file__).resolve().parent / "wrk" / "save.lua"
_MARK = "BENCH-JSON "


def _config(token: str, payload: Payload, slots: list[tuple[int, int]]) -> str:
    lines = [token, f'{{"payload":{payload.a}}}', f'{{"payload":{payload.b}}}']
    lines += [f"{lecture} {revision}" for lecture, revision in slots]
    return "\n".join(lines) + "\n"


def _run(server: Server, payload: Payload, slots: list[tuple[int, int]], seconds: float) -> Sample:
    with tempfile.NamedTemporaryFile("w", prefix="tutopanda-wrk-", suffix=".txt") as config:
        config.write(_config(server.token, payload, slots))
        config.flush()
        connections = len(slots)
        server_started = process_tree_cpu_seconds(server.pid)
        finished = run_tool(
            [
                wrk_path(),
                f"--threads={connections}",
                f"--connections={connections}",
                f"--duration={max(1, round(seconds))}s",
                "--timeout=10s",
                f"--script={SCRIPT}",
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
            f"wrk: {errors} saves were not 200 ({figures}); see the server's log beside the results"
        )
    duration = figures["duration_us"] / 1e6
    return Sample(
        saves_per_s=figures["saved"] / duration,
        seconds=duration,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        loadgen_cpu=finished.cores,
        extra={
            "saves": float(figures["saved"]),
            "conflicts": float(figures["conflicts"]),
            "server_cpu": server_cpu / finished.wall_seconds,
        },
    )


async def wrk_saves(
    server: Server, payload: Payload, slots: list[tuple[int, int]], seconds: float
) -> Sample:
    """PATCH each slot's lecture over its own keep-alive connection for `seconds`."""
    return await asyncio.to_thread(_run, server, payload, slots, seconds)
