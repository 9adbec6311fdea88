"""Generators for tests, plugged in through TUTOPANDA_GENERATORS like a real provider."""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from pathlib import Path
from typing import ClassVar

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput
from tutopanda.workers.generators.media import generate_narration
from tutopanda.workers.generators.registry import DEFAULT_GENERATORS


class AlwaysFails:
    """A provider that is down: every attempt raises."""

    async def __call__(self, _step: StepInput) -> StepOutput:
        raise RuntimeError("narration provider unavailable")


class FailsTwice:
    """A flaky provider: the first two attempts of each run fail, the third works."""

    calls: ClassVar[Counter[str]] = Counter()

    async def __call__(self, step: StepInput) -> StepOutput:
        FailsTwice.calls[step.run_id] += 1
        if FailsTwice.calls[step.run_id] <= 2:
            raise TimeoutError("narration provider timed out")
        return await generate_narration(step)


class FailsFirstTime:
    """Each step fails permanently the first time a run reaches it, then works (plug it in for
    every step to fail a run at each step in turn)."""

    seen: ClassVar[set[tuple[str, str]]] = set()

    async def __call__(self, step: StepInput) -> StepOutput:
        if (step.run_id, step.step_name) not in FailsFirstTime.seen:
            FailsFirstTime.seen.add((step.run_id, step.step_name))
            raise StepFailed(f"{step.step_name} provider refused the request")
        return await DEFAULT_GENERATORS[step.step_name](step)


class Gate:
    """Blocks in the step until the test opens the gate (to act while a step is running)."""

    entered: ClassVar[asyncio.Event | None] = None
    release: ClassVar[asyncio.Event | None] = None

    @classmethod
    def reset(cls) -> None:
        cls.entered, cls.release = asyncio.Event(), asyncio.Event()

    async def __call__(self, step: StepInput) -> StepOutput:
        assert Gate.entered is not None
        assert Gate.release is not None
        Gate.entered.set()
        await Gate.release.wait()
        return await DEFAULT_GENERATORS[step.step_name](step)


class GateThenMovesFirstClip(Gate):
    """Like Gate, for the timeline step: its output also moves the first visual clip (+0.25 s),
    so a person's concurrent edit of that clip's start is a change of the same JSON path."""

    async def __call__(self, step: StepInput) -> StepOutput:
        output = await super().__call__(step)
        timeline = dict(output.sections["timeline"])
        tracks = dict(timeline["tracks"])
        first, *rest = tracks["visual"]
        tracks["visual"] = [{**first, "startTime": first["startTime"] + 0.25}, *rest]
        timeline["tracks"] = tracks
        return StepOutput(sections={"timeline": timeline}, summary=output.summary)


class HangsOnce:
    """The first attempt anywhere writes a marker file and hangs (to be killed); later ones work.

    The marker path comes from TUTOPANDA_TEST_MARKER, so separate worker processes agree.
    """

    async def __call__(self, step: StepInput) -> StepOutput:
        marker = Path(os.environ["TUTOPANDA_TEST_MARKER"])
        if not marker.exists():
            marker.write_text(f"{os.getpid()}\n", "utf-8")
            await asyncio.sleep(3600)
        return await generate_narration(step)


class Paced:
    """A provider that takes time: each step waits TUTOPANDA_TEST_STEP_SECONDS, then makes the
    default output (so a run is still going when the test acts)."""

    async def __call__(self, step: StepInput) -> StepOutput:
        await asyncio.sleep(float(os.environ["TUTOPANDA_TEST_STEP_SECONDS"]))
        return await DEFAULT_GENERATORS[step.step_name](step)
