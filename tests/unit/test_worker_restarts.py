"""A worker stopped by a failure is started again after a growing delay, which starts over once
a worker has run healthily for a while (a long-lived process survives many failovers)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from tutopanda.settings import load_settings
from tutopanda.workers import runner


@pytest.mark.asyncio
async def test_the_restart_delays_start_over_after_a_healthy_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [0.0]
    ran_for = iter([1.0, 1.0, 1.0, runner.HEALTHY_RUN_SECONDS, 1.0, 1.0])
    delays: list[float] = []

    async def failing_worker(*_args: Any, **_kwargs: Any) -> None:
        try:
            clock[0] += next(ran_for)
        except StopIteration:
            return  # the worker ended normally: the supervisor returns
        raise ConnectionError("the database went away")

    async def no_wait(seconds: float) -> None:
        delays.append(seconds)

    monkeypatch.setattr(runner, "run_worker", failing_worker)
    # The supervisor's clock only (the event loop keeps the real one); its sleeps are recorded.
    monkeypatch.setattr(
        "tutopanda.workers.runner.time", SimpleNamespace(monotonic=lambda: clock[0])
    )
    monkeypatch.setattr(asyncio, "sleep", no_wait)
    settings = load_settings({"TUTOPANDA_JWT_SECRET": "s" * 40, "TUTOPANDA_HOME": "/tmp/tp-unit"})
    await asyncio.wait_for(runner.supervise_worker(settings, "postgresql://unused"), 5)
    assert delays == [1, 2, 5, 1, 2, 5]
