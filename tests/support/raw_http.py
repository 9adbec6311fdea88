"""Requests at a set pace over hand-written HTTP/1.1 keep-alive connections: a flood that costs
the test little CPU (httpx spends more on a request than a small handler of the server does)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from urllib.parse import urlsplit


def _request(method: str, host: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def paced_requests(
    base: str,
    method: str,
    path: str,
    headers: dict[str, str],
    bodies: Sequence[bytes],
    *,
    per_second: float,
    connections: int = 10,
) -> list[int]:
    """Send one request per body, the n-th not before n / per_second seconds from now, over
    `connections` connections; the status of each."""
    url = urlsplit(base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    requests = [_request(method, url.netloc, path, headers, body) for body in bodies]
    statuses = [0] * len(requests)
    turns = iter(range(len(requests)))
    begun = time.monotonic()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            for n in turns:
                await asyncio.sleep(max(0.0, begun + n / per_second - time.monotonic()))
                writer.write(requests[n])
                head = await reader.readuntil(b"\r\n\r\n")
                statuses[n] = int(head.split(b" ", 2)[1])
                await reader.readexactly(_content_length(head))
        finally:
            writer.close()
            await writer.wait_closed()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return statuses
