"""A loopback TCP proxy to a PostgreSQL server that a test can cut and restore (an outage)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

from tests.support.server import TestServer
from tutopanda.db.urls import postgres_url

# Called once per proxied connection; returns what sees that connection's server bytes.
ReplyObserver = Callable[[], Callable[[bytes], None]]


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the server; `cut()` drops everything, `restore()` listens;
    `freeze()` keeps every connection open and accepts new ones but forwards nothing, as a
    server whose host hangs or whose network drops every packet (no error, no answer), until
    `thaw()`."""

    def __init__(self, server: TestServer, observe_replies: ReplyObserver | None = None):
        self._target = server
        self._observe_replies = observe_replies
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._listener: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._flowing = asyncio.Event()  # cleared while frozen
        self._flowing.set()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])

    def url(self, dbname: str) -> str:
        """The URL of the server's database `dbname` through this proxy."""
        target = self._target
        return postgres_url(
            host="127.0.0.1",
            port=self.port,
            user=target.user,
            password=target.password,
            dbname=dbname,
        )

    def start(self) -> None:
        self._thread.start()
        self.restore()

    def _run(self, coroutine: object) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)  # type: ignore[arg-type]

    def restore(self) -> None:
        self._run(self._listen())

    def cut(self) -> None:
        self._run(self._close())

    def freeze(self) -> None:
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def thaw(self) -> None:
        self._loop.call_soon_threadsafe(self._flowing.set)

    def stop(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    async def _listen(self) -> None:
        self._listener = await asyncio.start_server(
            self._accept, "127.0.0.1", self.port, reuse_address=True
        )

    async def _close(self) -> None:
        if self._listener is not None:
            self._listener.close()
            await self._listener.wait_closed()
            self._listener = None
        for pipe in list(self._pipes):
            pipe.cancel()
        await asyncio.gather(*self._pipes, return_exceptions=True)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._pipes.add(task)
        try:
            await self._flowing.wait()
            if self._target.host.startswith("/"):
                path = f"{self._target.host}/.s.PGSQL.{self._target.port}"
                upstream_reader, upstream_writer = await asyncio.open_unix_connection(path)
            else:
                upstream_reader, upstream_writer = await asyncio.open_connection(
                    self._target.host, self._target.port
                )
            observe = self._observe_replies() if self._observe_replies else None
            await asyncio.gather(
                _pipe(reader, upstream_writer, self._flowing),
                _pipe(upstream_reader, writer, self._flowing, observe),
            )
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            writer.close()
            self._pipes.discard(task)


async def _pipe(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    flowing: asyncio.Event,
    observe: Callable[[bytes], None] | None = None,
) -> None:
    try:
        while data := await reader.read(65536):
            await flowing.wait()
            if observe is not None:
                observe(data)
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


@contextlib.contextmanager
def tcp_proxy(
    server: TestServer, observe_replies: ReplyObserver | None = None
) -> Iterator[TcpProxy]:
    proxy = TcpProxy(server, observe_replies)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
