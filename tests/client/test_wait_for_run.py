"""`wait_for_run`: follows the lecture's events, falls back to polling, gives up in time."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from tutopanda.client import AsyncTutopandaClient, RunTimeout, TutopandaClient
from tutopanda.client.models import WorkflowProgress


def test_a_generation_run_is_followed_step_by_step(client: TutopandaClient) -> None:
    created = client.create_project("Step by step")
    progress: list[WorkflowProgress] = []
    run = client.wait_for_run(created.run_id, timeout=30, on_progress=progress.append)
    assert (run.status, len(run.steps), run.current_step) == ("succeeded", 6, 6)
    steps = [event.current_step for event in progress]
    assert steps == sorted(steps)
    assert progress[-1].status == "succeeded"
    assert {event.run_id for event in progress} == {created.run_id}


class NoEventStreams(httpx.HTTPTransport):
    """A network (a buffering proxy, say) on which event streams never connect."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/events"):
            self.refused += 1
            raise httpx.ConnectError("event streams are blocked here", request=request)
        return super().handle_request(request)


def test_without_events_the_run_is_polled(base_url: str, token: str) -> None:
    transport = NoEventStreams()
    with TutopandaClient(base_url, token, transport=transport) as blocked:
        created = blocked.create_project("Polled")
        run = blocked.wait_for_run(created.run_id, timeout=30, poll_interval=0.2)
    assert run.status == "succeeded"
    assert transport.refused >= 1


def test_a_run_that_does_not_finish_in_time_raises(idle_base_url: str, token: str) -> None:
    with TutopandaClient(idle_base_url, token) as idle:
        created = idle.create_project("Never runs")
        started = time.monotonic()
        with pytest.raises(RunTimeout) as late:
            idle.wait_for_run(created.run_id, timeout=0.5, poll_interval=0.2)
    assert (late.value.run_id, late.value.status) == (created.run_id, "queued")
    assert time.monotonic() - started < 5


@pytest.mark.asyncio
async def test_the_async_wait_stops_in_time_too(idle_base_url: str, token: str) -> None:
    async with AsyncTutopandaClient(idle_base_url, token) as idle:
        created = await idle.create_project("Never runs either")
        with pytest.raises(RunTimeout):
            await idle.wait_for_run(created.run_id, timeout=0.5, poll_interval=0.2)
        assert (await idle.get_run(created.run_id)).status == "queued"


def test_the_sdk_imports_no_server_stack() -> None:
    probe = (
        "import sys, tutopanda.client;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'litestar', 'procrastinate', 'psycopg', 'psycopg_pool', 'uvicorn', 'yoyo'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
