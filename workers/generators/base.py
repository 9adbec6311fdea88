"""The step interface every generator implements, default or model-backed."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import JsonValue

from tutopanda.models.lecture import ARRAY_SECTIONS
from tutopanda.models.project import LectureConfig


class StepFailed(Exception):
    """A permanent failure: retrying cannot help (bad input, missing prerequisite)."""


@dataclass(frozen=True)
class StepInput:
    """What a step may read: the run, the lecture as it is now, the project settings."""

    run_id: str
    kind: str
    step_index: int
    step_name: str
    prompt: str
    lecture: dict[str, Any]
    settings: LectureConfig
    speaking_rate_wpm: float
    context: dict[str, JsonValue] = field(default_factory=dict)

    def rng(self) -> random.Random:
        """A random source seeded by the request (prompt, options, step), never by ids or time:
        the same request computes the same content."""
        options = self.settings.model_dump_json(by_alias=True)
        seed = f"{self.prompt}|{options}|{self.step_name}"
        digest = hashlib.sha256(seed.encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 (not for secrets)

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
