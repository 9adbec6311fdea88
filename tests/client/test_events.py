"""The event stream through the SDK: typed events, resuming with Last-Event-ID, reconnecting."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from tests.support.server import TestServer
from tests.support.tcp_proxy import tcp_proxy
from tutopanda.client import AsyncTutopandaClient, ServerEvent, TutopandaClient
from tutopanda.client.errors import Conflict
from tutopanda.client.models import LectureRevised, LectureState
from tutopanda.client.sse import SseParser


def test_the_sync_stream_yields_typed_events(client: TutopandaClient) -> None:
    created = client.create_project("Streams")
    with contextlib.suppress(Conflict):  # the worker may have finished it already
        client.cancel_run(created.run_id)
    lecture = client.get_lecture(created.lecture_id)
    with client.events(created.lecture_id) as stream:
        first = next(stream)
        state = first.parsed()
        assert isinstance(state, LectureState)
        assert state.revision == lecture.revision
        assert stream.last_event_id == first.id
        client.save_lecture(created.lecture_id, {"title": "Live"}, base_revision=lecture.revision)
        revised = next(event for event in stream if event.event == "lecture.revised")
    change = revised.parsed()
    assert isinstance(change, LectureRevised)
    assert (change.revision, change.changed_sections, change.source) == (
        lecture.revision + 1,
        ["title"],
        "app",
    )


def test_a_new_stream_resumes_after_the_last_event_id(client: TutopandaClient) -> None:
    created = client.create_project("Resume")
    with contextlib.suppress(Conflict):  # the worker may have finished it already
        client.cancel_run(created.run_id)
    base = client.get_lecture(created.lecture_id).revision
    with client.events(created.lecture_id) as stream:
        seen = next(stream)
    for step in range(3):
        client.save_lecture(
            created.lecture_id, {"title": f"Away {step}"}, base_revision=base + step
        )
    with client.events(created.lecture_id, last_event_id=seen.id) as stream:
        missed = [next(stream) for _ in range(3)]
    assert [(event.event, event.data["revision"]) for event in missed] == [
        ("lecture.revised", base + step) for step in (1, 2, 3)
    ]
    with client.events(created.lecture_id, last_event_id="99999.1") as stream:
        resync = next(stream)
    assert resync.event == "resync"
    assert isinstance(resync.parsed(), LectureState)


async def _take(stream: AsyncIterator[ServerEvent], count: int) -> list[ServerEvent]:
    async def collect() -> list[ServerEvent]:
        return [event async for event in _revised(stream, count)]

    return await asyncio.wait_for(collect(), 20)


async def _revised(stream: AsyncIterator[ServerEvent], count: int) -> AsyncIterator[ServerEvent]:
    async for event in stream:
        if event.event == "lecture.revised":
            yield event
            count -= 1
            if count == 0:
                return


@pytest.mark.asyncio
async def test_a_dropped_connection_is_resumed_without_losing_or_repeating(
    aclient: AsyncTutopandaClient, base_url: str, token: str
) -> None:
    created = await aclient.create_project("Drops")
    with contextlib.suppress(Conflict):  # the worker may have finished it already
        await aclient.cancel_run(created.run_id)
    base = (await aclient.get_lecture(created.lecture_id)).revision
    api = urlsplit(base_url)
    target = TestServer(str(api.hostname), int(api.port or 80), "", None, "", "api")
    with tcp_proxy(target) as proxy:
        async with (
            AsyncTutopandaClient(f"http://127.0.0.1:{proxy.port}", token) as proxied,
            proxied.events(created.lecture_id) as stream,
        ):
            await stream.open()
            await aclient.save_lecture(created.lecture_id, {"title": "One"}, base_revision=base)
            (before,) = await _take(stream, 1)
            proxy.cut()
            for step in (1, 2):
                await aclient.save_lecture(
                    created.lecture_id, {"title": f"Cut {step}"}, base_revision=base + step
                )
            proxy.restore()
            after = await _take(stream, 2)
    assert [event.data["revision"] for event in (before, *after)] == [base + 1, base + 2, base + 3]


def test_the_parser_follows_the_event_stream_format() -> None:
    parser = SseParser()
    lines = [": heartbeat", "", "retry: 1500", "id: 3.1", "event: lecture.revised"]
    lines += ['data: {"revision":', "data: 3}", "", "data: plain text", ""]
    events = [event for line in lines if (event := parser.feed(line)) is not None]
    assert [(e.event, e.id, e.data) for e in events] == [
        ("lecture.revised", "3.1", {"revision": 3}),
        ("message", "3.1", "plain text"),
    ]
    assert (parser.last_event_id, parser.retry_seconds) == ("3.1", 1.5)


def test_events_of_unknown_names_or_shapes_parse_to_none() -> None:
    assert ServerEvent(event="lecture.revised", id="1.1", data={"revision": "x"}).parsed() is None
    assert ServerEvent(event="later.kind", id=None, data={}).parsed() is None
    assert ServerEvent(event="resync", id=None, data="text").parsed() is None
