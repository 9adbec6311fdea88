"""A real `tutopanda serve` against slow and greedy clients (api/connection_limits.py): slow
headers are answered 408 and closed, big ones 431 without being held, requests past the
process's limit 503; other requests stay fast meanwhile.

One server for the module (its start is most of the cost), with a 1 s header timeout instead of
10 and a limit of 3 requests in flight, on a database of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.api.helpers import assert_problem, server_env
from tests.api.test_event_stream import ALICE
from tests.support.databases import cloned_database
from tests.support.processes import serve_process
from tests.support.server import TestServer

HEADER_TIMEOUT = 1.0
MAX_REQUESTS = 3
SLOW_CLIENTS = 50
FAST_ENOUGH = 1.0  # seconds: what a request beside the probes may take on a busy machine


@dataclass(frozen=True)
class Server:
    base: str
    port: int
    pid: int


@pytest.fixture(scope="module")
def server(
    pg_server: TestServer, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("limits")
    with cloned_database(pg_server, template_db) as database:
        env = server_env(
            database.admin_url,
            home,
            TUTOPANDA_HEADER_TIMEOUT_SECONDS=str(HEADER_TIMEOUT),
            TUTOPANDA_MAX_CONCURRENT_REQUESTS=str(MAX_REQUESTS),
        )
        with serve_process("--no-worker", env=env) as (base, process):
            yield Server(base, int(base.rpartition(":")[2]), process.pid)


def connections_of(server: Server) -> int:
    """The HTTP connections the server process holds open: its sockets whose local port is the
    one it serves on, the listener left out (its database connections, whose number the pool
    may change at any time, are not counted)."""
    inodes = {
        target[len("socket:[") : -1]
        for fd in Path(f"/proc/{server.pid}/fd").iterdir()
        if (target := _link(fd)) is not None and target.startswith("socket:")
    }
    listening = "0A"
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(table).read_text().splitlines()[1:]:
                fields = row.split()
                local_port = int(fields[1].rpartition(":")[2], 16)
                if local_port == server.port and fields[3] != listening and fields[9] in inodes:
                    count += 1
    return count


def _link(fd: Path) -> str | None:
    with contextlib.suppress(OSError):  # closed meanwhile
        return str(fd.readlink())
    return None


async def slow_client(
    port: int, byte_seconds: float | None, done: asyncio.Event
) -> tuple[float, bytes]:
    """Send a request's headers one byte every `byte_seconds` (None: send nothing); the seconds
    until the server ended the connection, and what it answered. The socket stays open until
    `done`: the server must let go of it by itself."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    request = b"GET /health HTTP/1.1\r\nHost: probe\r\nX-Slow: " + b"s" * 200 + b"\r\n\r\n"

    async def trickle() -> None:
        with contextlib.suppress(OSError):
            for byte in request:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(byte_seconds or 0)

    sender = asyncio.create_task(trickle()) if byte_seconds is not None else None
    answer = b""
    try:
        with contextlib.suppress(OSError):
            while chunk := await asyncio.wait_for(reader.read(65536), timeout=HEADER_TIMEOUT + 10):
                answer += chunk
        closed = time.monotonic() - started
        if sender is not None:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
        await done.wait()
    finally:
        writer.close()
    return closed, answer


async def timed_gets(base: str, stop: asyncio.Event) -> list[float]:
    """GET /health one after the other until `stop`: how long each took (each must be 200)."""
    took = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        while not stop.is_set():
            started = time.monotonic()
            response = await http.get("/health")
            took.append(time.monotonic() - started)
            assert response.status_code == 200, response.text
            await asyncio.sleep(0.05)
    return took


@pytest.mark.asyncio
async def test_slow_headers_are_answered_408_and_closed_while_others_stay_fast(
    server: Server,
) -> None:
    """50 clients send their headers a byte every 0.2 s (5 send nothing at all): each is answered
    408 and shut within the header timeout (plus a byte's wait; the silent ones without an
    answer), the server lets go of every connection though the clients keep theirs open, none
    counts as a request in flight (the limit is 3), and GETs beside them stay fast. ~3.5 s: the
    timeout, and the 2 s the server reads and drops before it closes."""
    stop, done = asyncio.Event(), asyncio.Event()
    gets = asyncio.create_task(timed_gets(server.base, stop))
    silent = 5
    clients = asyncio.gather(
        *(slow_client(server.port, None if n < silent else 0.2, done) for n in range(SLOW_CLIENTS))
    )
    try:
        peak = 0
        started = time.monotonic()
        while peak < SLOW_CLIENTS and time.monotonic() - started < HEADER_TIMEOUT:
            peak = max(peak, connections_of(server))
            await asyncio.sleep(0.02)
        assert peak >= SLOW_CLIENTS, peak  # all of them were taken in and held
        deadline = time.monotonic() + HEADER_TIMEOUT + 5  # it reads and drops 2 s after answering
        while connections_of(server) > 1:  # the clients keep theirs open; 1: the GETs'
            assert time.monotonic() < deadline, connections_of(server)
            await asyncio.sleep(0.1)
    finally:
        done.set()
        results = await clients
        stop.set()
        took = await gets
    assert max(closed for closed, _ in results) < HEADER_TIMEOUT + 1.0, results
    assert [answer for _, answer in results[:silent]] == [b""] * silent  # nothing asked
    for _, answer in results[silent:]:
        assert answer.startswith(b"HTTP/1.1 408 "), answer
        assert b'"code":"request_timeout"' in answer
    assert len(took) >= 5
    assert max(took) < FAST_ENOUGH, took


def test_big_headers_are_431_without_being_held(server: Server) -> None:
    """16 KB of headers are 431 (8 KB is the default limit); 8 MB are refused after the first
    read, the process's peak memory barely moving (httptools would hold them all, and copy
    them at every read); a request just under the limit and the next ones are served."""
    with httpx.Client(base_url=server.base, timeout=10) as http:
        big = http.get("/health", headers={"X-Big": "b" * 16 * 1024})
        assert_problem(big, 431, "headers_too_large")
        assert big.headers["connection"] == "close"
        assert http.get("/health", headers={"X-Big": "b" * 7 * 1024}).status_code == 200
        peak = _peak_memory(server.pid)
        answer, sent = _send_huge_header(server.port, 8 * 1024 * 1024)
        grew = _peak_memory(server.pid) - peak
        started = time.monotonic()
        assert http.get("/health").status_code == 200
        assert time.monotonic() - started < FAST_ENOUGH
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert grew < 4 * 1024 * 1024, f"peak memory grew {grew} bytes ({sent} sent)"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"PATCH /lectures/1 HTTP/1.1\r\nHost: probe\r\nContent-Length: 1e3\r\n\r\n{}",
        b"PATCH /lectures/1 HTTP/1.1\r\nHost: probe\r\nContent-Length: -5\r\n\r\n{}",
        b"GET /health HTTP/1.1\r\nHost: probe\r\nBad Header\r\n\r\n",
        b"GET /he\x00alth HTTP/1.1\r\nHost: probe\r\n\r\n",
    ],
    ids=["length not digits", "length negative", "header without colon", "NUL in target"],
)
def test_a_request_that_is_not_http_is_a_400_problem(server: Server, request_bytes: bytes) -> None:
    """What httptools cannot parse is refused like the other refusals here (uvicorn's own answer
    is plain text): a problem naming its request id, the connection closed; others are served."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request_bytes)
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), answer[:300]
    assert b"content-type: application/problem+json" in head.lower(), head
    assert b"connection: close" in head.lower(), head
    problem = json.loads(body)
    assert problem["code"] == "bad_request"
    assert problem["status"] == 400
    assert problem["requestId"].encode() in head
    with httpx.Client(base_url=server.base, timeout=10) as http:
        assert http.get("/health").status_code == 200


def _peak_memory(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")


def _send_huge_header(port: int, size: int) -> tuple[bytes, int]:
    """One header of `size` bytes sent while the answer is read: the answer, and the bytes the
    server took before it closed (it reads and drops for a while after answering)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:

        def send() -> None:
            nonlocal sent
            chunk = b"h" * 65536
            with contextlib.suppress(OSError):
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: probe\r\nX-Huge: ")
                while sent < size:
                    sock.sendall(chunk)
                    sent += len(chunk)

        sender = threading.Thread(target=send)
        sender.start()
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
        sock.shutdown(socket.SHUT_RDWR)
        sender.join(timeout=10)
    return answer, sent


@pytest.mark.asyncio
async def test_past_the_limit_requests_are_503_problems(server: Server) -> None:
    """With 3 event streams open (3 requests in flight, the limit), a GET is 503 server_busy
    with Retry-After at once; once a stream ends it is served again."""
    async with httpx.AsyncClient(base_url=server.base, headers=ALICE, timeout=10) as http:
        created = (await http.post("/projects", json={"prompt": "Limits"})).json()
        path = f"/lectures/{created['lectureId']}/events"
        async with contextlib.AsyncExitStack() as streams:
            opened = [await streams.enter_async_context(_open(http, path)) for _ in range(3)]
            started = time.monotonic()
            busy = await http.get("/health")
            assert time.monotonic() - started < FAST_ENOUGH
            assert_problem(busy, 503, "server_busy")
            assert busy.headers["retry-after"] == "1"
            await opened[0].aclose()
            deadline = time.monotonic() + 5
            while (await http.get("/health")).status_code == 503:
                assert time.monotonic() < deadline, "a request still in flight"
                await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def _open(http: httpx.AsyncClient, path: str) -> AsyncIterator[httpx.Response]:
    """An event stream, open once its first event arrived (its request is in flight)."""
    async with http.stream("GET", path) as response:
        assert response.status_code == 200
        lines = response.aiter_lines()
        assert await anext(lines)  # the stream began
        yield response
