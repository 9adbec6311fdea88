"""A process of SSE subscribers for the fan-out bench (`python -m bench.subscribers`).

Its parent writes one JSON line on stdin: where the API is, a token, the lecture of each
subscriber and whether to record every event's arrival time (`record`) or only count. The
process opens the streams (raw asyncio protocols, no HTTP library), prints `ready` once each
has received its opening event, then stamps every `lecture.revised` with the wall clock
(`time.time_ns`, comparable with the writer's commit stamps on the same machine) as it is
parsed. A second line `{"last": {lecture: revision}, "timeout": s}` asks it to wait until every
subscriber has seen its lecture's last revision (or the timeout), print its result as one JSON
line and exit. A subscriber the server disconnects reconnects at once with `Last-Event-ID`,
like a browser's EventSource, and the disconnect is counted.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.sse_wire import HEAD_END, ChunkedDecoder, Frame, FrameScanner, parse_head

OPENING_CONCURRENCY = 50  # streams being opened at once


@dataclass
class Tally:
    """What one subscriber received (one per subscriber, kept across its reconnects)."""

    lecture: int
    revisions: list[int] = field(default_factory=list)
    times_ns: list[int] = field(default_factory=list)
    count: int = 0
    last: int = -1
    disconnects: int = 0
    resyncs: int = 0
    failures: int = 0


@dataclass
class _Subscriber:
    tally: Tally
    record: bool
    last_id: bytes = b""
    opened: asyncio.Event = field(default_factory=asyncio.Event)  # or refused
    refused: int = 0  # the HTTP status of a refused stream (401, 404, …)


class _Stream(asyncio.Protocol):
    """One HTTP connection of a subscriber: the request, then frames until the server ends."""

    def __init__(self, subscriber: _Subscriber, request: bytes, closed: asyncio.Future[Any]):
        self._subscriber = subscriber
        self._request = request
        self._closed = closed
        self._head = b""
        self._decoder: ChunkedDecoder | None = None
        self._chunked = False
        self._scanner = FrameScanner()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        transport.write(self._request)

    def data_received(self, data: bytes) -> None:
        now = time.time_ns()
        if self._decoder is None:
            self._head += data
            end = self._head.find(HEAD_END)
            if end < 0:
                return
            head = parse_head(self._head[:end])
            if head.status != 200:
                self._subscriber.tally.failures += 1
                self._subscriber.refused = head.status
                self._subscriber.opened.set()
                self._end()
                return
            self._decoder, self._chunked = ChunkedDecoder(), head.chunked
            data, self._head = self._head[end + len(HEAD_END) :], b""
        body = self._decoder.feed(data) if self._chunked else data
        for frame in self._scanner.feed(body):
            self._on_frame(frame, now)
        if self._decoder.finished:
            self._end()

    def _on_frame(self, frame: Frame, now: int) -> None:
        subscriber, tally = self._subscriber, self._subscriber.tally
        if frame.id:
            subscriber.last_id = frame.id
        if frame.event == b"lecture.revised":
            revision = frame.revision()
            tally.count += 1
            tally.last = max(tally.last, revision)
            if subscriber.record:
                tally.revisions.append(revision)
                tally.times_ns.append(now)
        elif frame.event == b"disconnect":
            tally.disconnects += 1
        elif frame.event == b"resync":
            tally.resyncs += 1
        subscriber.opened.set()

    def _end(self) -> None:
        if self._transport is not None:
            self._transport.close()

    def connection_lost(self, exc: Exception | None) -> None:  # noqa: ARG002
        if not self._closed.done():
            self._closed.set_result(True)


async def _connect(subscriber: _Subscriber, spec: dict[str, Any]) -> asyncio.Future[Any]:
    """Open one stream of a subscriber (resuming after its last event id); the future is done
    when the connection closes."""
    loop = asyncio.get_running_loop()
    resume = b"Last-Event-ID: " + subscriber.last_id + b"\r\n" if subscriber.last_id else b""
    request = (
        (
            f"GET /lectures/{subscriber.tally.lecture}/events HTTP/1.1\r\n"
            f"Host: {spec['host']}:{spec['port']}\r\n"
            f"Authorization: Bearer {spec['token']}\r\nAccept: text/event-stream\r\n"
        ).encode()
        + resume
        + b"\r\n"
    )
    closed: asyncio.Future[Any] = loop.create_future()
    await loop.create_connection(
        lambda: _Stream(subscriber, request, closed), spec["host"], int(spec["port"])
    )
    return closed


async def _follow(
    subscriber: _Subscriber, spec: dict[str, Any], stop: asyncio.Event, gate: asyncio.Semaphore
) -> None:
    """Keep one subscriber connected until `stop`, reconnecting from its last event id. The
    first connection holds `gate` until its opening event, so streams open a few at a time."""
    stopping: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
    try:
        while not stop.is_set():
            try:
                if subscriber.opened.is_set():
                    closed = await _connect(subscriber, spec)
                else:
                    async with gate:
                        closed = await _connect(subscriber, spec)
                        opened: asyncio.Future[Any] = asyncio.ensure_future(
                            subscriber.opened.wait()
                        )
                        await asyncio.wait([closed, opened], return_when=asyncio.FIRST_COMPLETED)
                        opened.cancel()
            except OSError:
                subscriber.tally.failures += 1
                await asyncio.sleep(0.1)
                continue
            await asyncio.wait([closed, stopping], return_when=asyncio.FIRST_COMPLETED)
            if not closed.done() or subscriber.refused:
                return  # stopped (the process exits and closes its sockets), or refused
            if not subscriber.opened.is_set():
                await asyncio.sleep(0.1)  # closed before its first event: do not hammer
    finally:
        stopping.cancel()


async def _drain(subscribers: list[_Subscriber], last: dict[int, int], timeout: float) -> None:
    """Wait until every subscriber saw its lecture's last revision, at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(s.tally.last >= last.get(s.tally.lecture, -1) for s in subscribers):
            return
        await asyncio.sleep(0.01)


async def _read_line() -> dict[str, Any]:
    line = await asyncio.to_thread(sys.stdin.readline)
    if not line:
        raise SystemExit(1)  # the parent went away
    document: dict[str, Any] = json.loads(line)
    return document


async def main() -> None:
    spec = await _read_line()
    record = bool(spec["record"])
    subscribers = [_Subscriber(Tally(int(lecture)), record) for lecture in spec["lectures"]]
    stop = asyncio.Event()
    gate = asyncio.Semaphore(OPENING_CONCURRENCY)
    tasks = [asyncio.create_task(_follow(s, spec, stop, gate)) for s in subscribers]
    waiting = (s.opened.wait() for s in subscribers)
    await asyncio.wait_for(asyncio.gather(*waiting), float(spec["timeout"]))
    refused = sorted({s.refused for s in subscribers if s.refused})
    if refused:
        print(f"refused {','.join(map(str, refused))}", flush=True)
        raise SystemExit(1)
    print("ready", flush=True)
    finish = await _read_line()
    last = {int(lecture): int(revision) for lecture, revision in finish["last"].items()}
    await _drain(subscribers, last, float(finish["timeout"]))
    stop.set()
    await asyncio.gather(*tasks)
    tallies = [asdict(s.tally) for s in subscribers]
    print(json.dumps({"subscribers": tallies, "cpu_seconds": time.process_time()}), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
