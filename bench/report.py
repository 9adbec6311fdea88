"""The bench's outputs: a JSON file of every raw measurement and Markdown tables to quote."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.config import Config
from bench.runner import Results
from bench.stats import spread


def _cell(values: list[float | None], digits: int) -> str:
    present = [v for v in values if v is not None]
    return spread(present).format(digits) if present else "-"


def markdown(results: Results, config: Config, server: str) -> str:
    """The ratios against baselines, then every figure; medians with min-max over rounds."""
    mode = "smoke mode (a functional check, not figures)" if config.smoke else "full run"
    lines = [
        f"`make bench`, {mode}: {results.rounds} interleaved round(s) of {results.seconds:g} s "
        f"per variant; {server}; medians with min-max over the rounds; /s: saves per second "
        "(reads per second for a GET).",
        "",
        "| subject / baseline | case | subject /s | baseline /s | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for c in results.comparisons:
        lines.append(
            f"| {c.subject} / {c.baseline} | {c.case} | {c.subject_saves.format()} | "
            f"{c.baseline_saves.format()} | **{c.ratio.format(2)}** | {c.target} |"
        )
    lines += [
        "",
        "| scenario · case · variant | /s | p50 ms | p99 ms | load generator cores |",
        "|---|---|---|---|---|",
    ]
    for name, samples in results.samples.items():
        lines.append(
            f"| {name.replace(' | ', ' · ')} | {_cell([s.saves_per_s for s in samples], 0)} | "
            f"{_cell([s.p50_ms for s in samples], 2)} | {_cell([s.p99_ms for s in samples], 2)} | "
            f"{_cell([s.loadgen_cpu for s in samples], 2)} |"
        )
    for table in results.tables:
        lines += ["", table.rstrip("\n")]
    extras = _extras(results)
    if extras:
        lines += ["", *extras]
    if results.notes:
        lines += ["", *(f"- {note}" for note in results.notes)]
    return "\n".join(lines) + "\n"


def _extras(results: Results) -> list[str]:
    """CPU shares of the server and the proxy, achieved job rates: medians per variant."""
    labels = {
        "server_cpu": "API server cores",
        "server_cpu_ms_per_request": "API server CPU ms per request",
        "bytes_per_response": "bytes per response",
        "proxy_cpu": "delaying proxy cores",
        "jobs_per_s": "jobs deferred/s",
    }
    lines = []
    for name, samples in results.samples.items():
        for extra, label in labels.items():
            values: list[float | None] = [s.extra.get(extra) for s in samples]
            if any(v is not None for v in values):
                lines.append(f"- {name.replace(' | ', ' · ')}: {label} {_cell(values, 2)}")
    return lines


def write_json(path: Path, results: Results, config: Config, server: dict[str, Any]) -> None:
    """Every raw measurement, the comparisons and the run's settings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "server": server,
        "config": {**asdict(config), "output": str(config.output)},
        "comparisons": [asdict(c) for c in results.comparisons],
        "notes": results.notes,
        "tables": results.tables,
        "measurements": results.raw,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
