"""Statistics of a benchmark: medians with min-max over rounds, per-round ratios, interleaving."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """The median of some rounds with the lowest and the highest value."""

    median: float
    low: float
    high: float
    count: int

    def format(self, digits: int = 0) -> str:
        """`1234 (1200-1300)`, or just the value for a single round."""
        value = f"{self.median:,.{digits}f}"
        if self.count < 2:
            return value
        return f"{value} ({self.low:,.{digits}f}-{self.high:,.{digits}f})"


def spread(values: Sequence[float]) -> Spread:
    """Median, min and max of at least one value."""
    if not values:
        raise ValueError("no values to summarise")
    return Spread(float(statistics.median(values)), min(values), max(values), len(values))


def ratios(subject: Sequence[float], baseline: Sequence[float]) -> list[float]:
    """Round-by-round ratios subject/baseline (rounds ran interleaved, so pair them)."""
    if len(subject) != len(baseline):
        raise ValueError("subject and baseline have different numbers of rounds")
    return [s / b if b else math.nan for s, b in zip(subject, baseline, strict=True)]


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values (fraction in 0..1)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def interleaved(names: Sequence[str], rounds: int) -> list[tuple[int, str]]:
    """The order of an interleaved run: round 0 of every variant, then round 1, … (A B A B)."""
    if rounds < 1:
        raise ValueError("at least one round")
    if len(set(names)) != len(names):
        raise ValueError("variant names must be unique")
    return [(round_index, name) for round_index in range(rounds) for name in names]
