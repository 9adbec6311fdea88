"""Runs a pgbench script (`-M prepared`, one lecture per client) and reads its figures."""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path

from bench.runner import Sample
from bench.stats import percentile
from bench.tools import BenchError, last_line, pgbench_path, run_tool

SCRIPTS = Path(__file__).resolve().parent / "pgbench"
_TPS = re.compile(r"^tps = ([0-9.]+) \(without initial connection time\)", re.MULTILINE)


def _latencies_ms(log_dir: Path) -> list[float]:
    """Per-transaction latencies from pgbench's `-l` logs (column 3, microseconds)."""
    values: list[float] = []
    for path in log_dir.glob("pgbench_log.*"):
        for line in path.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3 and fields[2].isdigit():
                values.append(int(fields[2]) / 1000)
    values.sort()
    return values


def _run(
    conninfo: str, script: str, clients: int, seconds: float, variables: dict[str, str]
) -> Sample:
    threads = max(1, min(clients, os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="tutopanda-pgbench-") as tmp:
        command = [
            pgbench_path(),
            "--no-vacuum",
            "--protocol=prepared",
            f"--file={SCRIPTS / script}",
            f"--client={clients}",
            f"--jobs={threads}",
            f"--time={max(1, round(seconds))}",
            "--log",
            f"--log-prefix={Path(tmp) / 'pgbench_log'}",
            *(f"--define={name}={value}" for name, value in variables.items()),
            conninfo,
        ]
        finished = run_tool(command)
        found = _TPS.search(finished.stdout)
        if finished.returncode != 0 or found is None:
            raise BenchError(f"pgbench {script} failed: {last_line(finished.stderr)}")
        latencies = _latencies_ms(Path(tmp))
    return Sample(
        saves_per_s=float(found.group(1)),
        seconds=seconds,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        loadgen_cpu=finished.cores,
        extra={"saves": float(len(latencies))},
    )


async def pgbench(
    conninfo: str, script: str, clients: int, seconds: float, variables: dict[str, str]
) -> Sample:
    """Run `bench/pgbench/<script>` with `clients` clients for `seconds` (at least 1 s)."""
    return await asyncio.to_thread(_run, conninfo, script, clients, seconds, variables)
