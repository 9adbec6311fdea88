"""A lecture's event stream as an iterator (sync) and an async iterator, resuming after drops.

After a dropped connection (or a server `disconnect`) the stream connects again with
`Last-Event-ID`, so the server replays exactly the events missed. Connection failures and 503s
are retried with backoff (`max_retries` in a row, None: forever); other problems are raised.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Self

import httpx

from tutopanda.client.errors import ServiceUnavailable, TransportError, problem_error
from tutopanda.client.models import ServerEvent
from tutopanda.client.sse import SseParser

MAX_BACKOFF_SECONDS = 30.0
RequestBuilder = Callable[[str | None], httpx.Request]


class _Reconnection:
    """The shared bookkeeping: parser, retry policy and backoff."""

    def __init__(self, last_event_id: str | None, reconnect: bool, max_retries: int | None):
        self.parser = SseParser(last_event_id)
        self.reconnect = reconnect
        self.max_retries = max_retries
        self.failures = 0

    def delay_after_failure(self, error: Exception) -> float:
        """Seconds to wait before the next attempt, or raise `error` when out of attempts."""
        self.failures += 1
        if not self.reconnect or (
            self.max_retries is not None and self.failures > self.max_retries
        ):
            raise error
        base = self.parser.retry_seconds or 1.0
        return float(min(base * 2 ** (self.failures - 1), MAX_BACKOFF_SECONDS))


class EventStream(Iterator[ServerEvent]):
    """`for event in client.events(lecture_id)`; `with` closes the connection at the end."""

    def __init__(
        self,
        http: httpx.Client,
        build: RequestBuilder,
        *,
        last_event_id: str | None = None,
        reconnect: bool = True,
        max_retries: int | None = None,
    ):
        self._http = http
        self._build = build
        self._state = _Reconnection(last_event_id, reconnect, max_retries)
        self._response: httpx.Response | None = None
        self._lines: Iterator[str] | None = None
        self._closed = False

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event received: where a reconnect resumes."""
        return self._state.parser.last_event_id

    def open(self) -> None:
        """Connect now (iteration connects by itself): events committed after this are seen."""
        while self._lines is None:
            try:
                self._connect()
            except (TransportError, ServiceUnavailable) as error:
                time.sleep(self._state.delay_after_failure(error))

    def _connect(self) -> None:
        request = self._build(self.last_event_id)
        try:
            response = self._http.send(request, stream=True)
        except httpx.TransportError as error:
            raise TransportError(f"event stream: {error}", cause=error) from error
        if response.status_code != 200:
            response.read()
            response.close()
            raise problem_error(response)
        self._response = response
        self._lines = response.iter_lines()

    def __next__(self) -> ServerEvent:
        while not self._closed:
            self.open()
            assert self._lines is not None
            try:
                line = next(self._lines)
            except StopIteration:
                self._drop()
                if not self._state.reconnect:
                    break
                continue
            except httpx.TransportError as error:
                self._drop()
                time.sleep(
                    self._state.delay_after_failure(
                        TransportError(f"event stream: {error}", cause=error)
                    )
                )
                continue
            event = self._state.parser.feed(line)
            if event is not None:
                self._state.failures = 0
                return event
        self.close()
        raise StopIteration

    def _drop(self) -> None:
        if self._response is not None:
            self._response.close()
        self._response, self._lines = None, None

    def close(self) -> None:
        """Close the connection; iteration ends."""
        self._closed = True
        self._drop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEventStream(AsyncIterator[ServerEvent]):
    """`async for event in client.events(lecture_id)`; `async with` closes it at the end."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        build: RequestBuilder,
        *,
        last_event_id: str | None = None,
        reconnect: bool = True,
        max_retries: int | None = None,
    ):
        self._http = http
        self._build = build
        self._state = _Reconnection(last_event_id, reconnect, max_retries)
        self._response: httpx.Response | None = None
        self._lines: AsyncIterator[str] | None = None
        self._closed = False

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event received: where a reconnect resumes."""
        return self._state.parser.last_event_id

    async def open(self) -> None:
        """Connect now (iteration connects by itself): events committed after this are seen."""
        while self._lines is None:
            try:
                await self._connect()
            except (TransportError, ServiceUnavailable) as error:
                await asyncio.sleep(self._state.delay_after_failure(error))

    async def _connect(self) -> None:
        request = self._build(self.last_event_id)
        try:
            response = await self._http.send(request, stream=True)
        except httpx.TransportError as error:
            raise TransportError(f"event stream: {error}", cause=error) from error
        if response.status_code != 200:
            await response.aread()
            await response.aclose()
            raise problem_error(response)
        self._response = response
        self._lines = response.aiter_lines()

    async def __anext__(self) -> ServerEvent:
        while not self._closed:
            await self.open()
            assert self._lines is not None
            try:
                line = await anext(self._lines)
            except StopAsyncIteration:
                await self._drop()
                if not self._state.reconnect:
                    break
                continue
            except httpx.TransportError as error:
                await self._drop()
                await asyncio.sleep(
                    self._state.delay_after_failure(
                        TransportError(f"event stream: {error}", cause=error)
                    )
                )
                continue
            event = self._state.parser.feed(line)
            if event is not None:
                self._state.failures = 0
                return event
        await self.aclose()
        raise StopAsyncIteration

    async def _drop(self) -> None:
        if self._response is not None:
            await self._response.aclose()
        self._response, self._lines = None, None

    async def aclose(self) -> None:
        """Close the connection; iteration ends."""
        self._closed = True
        await self._drop()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
