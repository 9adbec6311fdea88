"""Runs variants in interleaved rounds and keeps every raw measurement and comparison."""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.stats import Spread, interleaved, ratios, spread


@dataclass(frozen=True)
class Sample:
    """One timed run of one variant."""

    saves_per_s: float
    seconds: float
    p50_ms: float | None = None
    p99_ms: float | None = None
    loadgen_cpu: float | None = None  # cores used by the load generator itself (1.0 = one core)
    extra: Mapping[str, float] = field(default_factory=dict)


Measure = Callable[[float], Awaitable[Sample]]


@dataclass(frozen=True)
class Variant:
    """Something to measure: a name, its parameters and how to run it for N seconds."""

    name: str
    params: Mapping[str, Any]
    measure: Measure


@dataclass(frozen=True)
class Comparison:
    """A subject against the baseline that does the same job, over interleaved rounds."""

    case: str
    subject: str
    baseline: str
    subject_saves: Spread
    baseline_saves: Spread
    ratio: Spread
    round_ratios: list[float]
    target: str = ""


@dataclass
class Results:
    """Every raw sample, the comparisons drawn from them, and notes worth printing."""

    rounds: int
    seconds: float
    settle: Callable[[], None] = lambda: None  # called before every measurement
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    raw: list[dict[str, Any]] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # Markdown a scenario adds to the report

    async def run(
        self, scenario: str, case: str, variants: Sequence[Variant], *, warmup: float = 0.0
    ) -> dict[str, list[Sample]]:
        """Run `variants` interleaved (A B A B …); return the samples of each, in round order."""
        if warmup > 0:
            for variant in variants:
                self.settle()
                await variant.measure(warmup)
        by_name = {variant.name: variant for variant in variants}
        collected: dict[str, list[Sample]] = {variant.name: [] for variant in variants}
        for round_index, name in interleaved(list(by_name), self.rounds):
            variant = by_name[name]
            self.settle()
            started = time.monotonic()
            sample = await variant.measure(self.seconds)
            collected[name].append(sample)
            self.raw.append(
                {
                    "scenario": scenario,
                    "case": case,
                    "variant": name,
                    "round": round_index,
                    "params": dict(variant.params),
                    "wall_seconds": round(time.monotonic() - started, 3),
                    **asdict(sample),
                }
            )
            _progress(scenario, case, name, round_index, sample)
        for name, samples in collected.items():
            self.samples[key(scenario, case, name)] = samples
        return collected

    def compare(
        self,
        case: str,
        subject: tuple[str, Sequence[Sample]],
        baseline: tuple[str, Sequence[Sample]],
        target: str = "",
    ) -> Comparison:
        """Record subject/baseline throughput, per round and summarised."""
        subject_rates = [s.saves_per_s for s in subject[1]]
        baseline_rates = [s.saves_per_s for s in baseline[1]]
        per_round = ratios(subject_rates, baseline_rates)
        comparison = Comparison(
            case=case,
            subject=subject[0],
            baseline=baseline[0],
            subject_saves=spread(subject_rates),
            baseline_saves=spread(baseline_rates),
            ratio=spread(per_round),
            round_ratios=per_round,
            target=target,
        )
        self.comparisons.append(comparison)
        return comparison

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", file=sys.stderr)


def key(scenario: str, case: str, variant: str) -> str:
    """The key of a variant's samples in `Results.samples`."""
    return f"{scenario} | {case} | {variant}"


def _progress(scenario: str, case: str, name: str, round_index: int, sample: Sample) -> None:
    latency = "" if sample.p50_ms is None else f"  p50 {sample.p50_ms:.2f} ms"
    if sample.p99_ms is not None:
        latency += f"  p99 {sample.p99_ms:.2f} ms"
    cpu = "" if sample.loadgen_cpu is None else f"  load generator {sample.loadgen_cpu:.2f} cores"
    if sample.extra.get("conflicts"):
        cpu += f"  ({sample.extra['conflicts']:.0f} conflicts with a previous run's stragglers)"
    print(
        f"  [{scenario}] {case} · {name} · round {round_index + 1}: "
        f"{sample.saves_per_s:,.0f} saves/s{latency}{cpu}",
        file=sys.stderr,
        flush=True,
    )
