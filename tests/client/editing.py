"""Helpers of the editor-session tests: waiting for a status, counting saves on the wire."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from tutopanda.client import EditorSession, SessionStatus


async def until(
    session: EditorSession, wanted: Callable[[SessionStatus], bool], timeout: float = 10
) -> SessionStatus:
    """The first status (the current one included) that `wanted` accepts."""

    async def wait() -> SessionStatus:
        if wanted(session.status):
            return session.status
        async for status in session.statuses():
            if wanted(status):
                return status
        raise AssertionError("the session closed")

    return await asyncio.wait_for(wait(), timeout)


@dataclass
class Save:
    """A PATCH of a lecture as it went over the wire."""

    body: bytes
    started: float
    ended: float = 0.0
    key: str = ""  # its Idempotency-Key
    if_match: str = ""  # the revision it was made on, as the strong ETag `"5"`


@dataclass
class SlowSaves(httpx.AsyncBaseTransport):
    """The real network, with `delay` seconds added to every lecture save (PATCH), recording
    each one: a save stays in flight long enough for a test to type during it."""

    delay: float = 0.0
    fail: int = 0  # how many of the next saves never reach the server (a dropped connection)
    lose: int = 0  # how many of the next saves reach the server but lose their answer
    saves: list[Save] = field(default_factory=list)
    inner: httpx.AsyncHTTPTransport = field(default_factory=httpx.AsyncHTTPTransport)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "PATCH":
            return await self.inner.handle_async_request(request)
        save = Save(
            request.content,
            time.monotonic(),
            key=request.headers["idempotency-key"],
            if_match=request.headers["if-match"],
        )
        self.saves.append(save)
        await asyncio.sleep(self.delay)
        if self.fail > 0:
            self.fail -= 1
            save.ended = time.monotonic()
            raise httpx.ConnectError("the connection dropped", request=request)
        try:
            response = await self.inner.handle_async_request(request)
        finally:
            save.ended = time.monotonic()
        if self.lose > 0:
            self.lose -= 1
            await response.aread()  # the server answered; the answer never arrives
            raise httpx.ReadError("the connection dropped before the answer", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
