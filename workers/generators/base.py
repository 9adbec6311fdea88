"""The step interface every generator implements, default or model-backed."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import JsonValue

from tutopanda.models.lecture import ARRAY_SECTIONS
from tutopanda.models.project import LectureConfig

MAX_ITEM_REPORTS = 10  # per-item progress reports of one step, at most about this many

# report(message, fraction): progress within a step, a human-readable message and, where it makes
# sense, how much of the step is done (0..1, never decreasing within a step).
ProgressReport = Callable[[str, float | None], Awaitable[None]]


class StepFailed(Exception):
    """A permanent failure: retrying cannot help (bad input, missing prerequisite)."""


async def no_report(message: str, fraction: float | None) -> None:
    """The default progress callback: reports go nowhere."""


@dataclass(frozen=True)
class StepInput:
    """What a step may read (the run, the lecture as it is now, the project settings) and where
    it may report its progress (`report`, a no-op unless the runner gives one)."""

    run_id: str
    kind: str
    step_index: int
    step_name: str
    prompt: str
    lecture: dict[str, Any]
    settings: LectureConfig
    speaking_rate_wpm: float
    context: dict[str, JsonValue] = field(default_factory=dict)
    report: ProgressReport = no_report

    def rng(self) -> random.Random:
        """A random source seeded by the request (prompt, options, step), never by ids or time:
        the same request computes the same content."""
        options = self.settings.model_dump_json(by_alias=True)
        seed = f"{self.prompt}|{options}|{self.step_name}"
        digest = hashlib.sha256(seed.encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 (not for secrets)

    async def report_item(self, action: str, number: int, total: int) -> None:
        """Report "{action} {number} of {total}" as item `number` (1-based) starts, at fraction
        (number - 1) / total; for long steps only every few items, about MAX_ITEM_REPORTS in all."""
        stride = max(1, math.ceil(total / MAX_ITEM_REPORTS))
        if (number - 1) % stride == 0:
            await self.report(f"{action} {number} of {total}", round((number - 1) / total, 4))

    def section(self, name: str) -> Any:
        """A section of the lecture as stored (camelCase JSON), empty lists for null arrays."""
        value = self.lecture.get(name)
        if value is None and name in ARRAY_SECTIONS:
            return []
        return value


@dataclass(frozen=True)
class StepOutput:
    """The sections a step writes and a short summary for the run's step record."""

    sections: dict[str, Any]
    summary: dict[str, JsonValue] = field(default_factory=dict)


class StepGenerator(Protocol):
    """Computes one step. Raise StepFailed for permanent failures; anything else is retried."""

    async def __call__(self, step: StepInput) -> StepOutput: ...
