"""The HTTP shell's CPU per request without an HTTP server: the product's ASGI app and the floor's
(bench/floor_app.py), each called directly in this process on a lecture of the bench database,
in interleaved rounds. What uvicorn and the network cost is left out, so the difference is the
app's own; run a profiler on this process (py-spy record --nonblocking -p PID) to see where.

    .venv/bin/python -m bench.inprocess --size 2 --requests 2000 --rounds 3 [--method GET]

The product runs as `tutopanda serve` runs it: no event publisher in the process.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from litestar import Litestar

from bench import floor_app
from bench.database import BENCH_USER, BenchDatabase, bench_database
from bench.payloads import payload
from tutopanda.api.app import create_app
from tutopanda.settings import load_settings
from tutopanda.tokens import issue_token

SECRET = "in-process bench secret, never a real one " * 2
Call = Callable[[], Awaitable[None]]


async def _request(app: Litestar, method: str, path: str, headers: list[Any], body: bytes) -> Any:
    """One request to the ASGI app; its response start message."""
    sent: list[Any] = []
    received = False

    async def receive() -> Any:
        nonlocal received
        if received:  # the app asks again only to learn of a disconnect: none comes
            await asyncio.Event().wait()
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent[0]


def _caller(app: Litestar, method: str, lecture: int, revision: int, size_kb: int) -> Call:
    """A request as wrk sends it (a save carries its revision forward, alternating versions)."""
    sections = payload(size_kb)
    token = issue_token(SECRET, BENCH_USER)
    headers = [
        (b"host", b"bench"),
        (b"authorization", f"Bearer {token}".encode()),
        (b"content-type", b"application/json"),
    ]
    path = f"/lectures/{lecture}"
    current = revision

    async def call() -> None:
        nonlocal current
        if method == "GET":
            start = await _request(app, "GET", path, headers, b"")
        else:
            body = f'{{"payload":{sections.for_revision(current)}}}'.encode()
            if_match = (b"if-match", f'"{current}"'.encode())
            start = await _request(app, "PATCH", path, [*headers, if_match], body)
            etag = dict(start["headers"]).get(b"etag", b'"0"')
            current = int(etag.strip(b'"'))
        if start["status"] != 200:
            raise SystemExit(f"{method} {path} answered {start['status']}")

    return call


async def _cpu_per_request(call: Call, requests: int) -> float:
    """Microseconds of this process's CPU per request, over `requests` requests in a row."""
    started = time.process_time()
    for _ in range(requests):
        await call()
    return (time.process_time() - started) / requests * 1e6


async def _measure(args: argparse.Namespace, db: BenchDatabase, lecture: int) -> None:
    settings = load_settings(
        {
            "DATABASE_URL": db.url,
            "TUTOPANDA_JWT_SECRET": SECRET,
            "TUTOPANDA_LOG_LEVEL": "WARNING",
            "TUTOPANDA_WRITES_PER_MINUTE": "1000000",  # one user saving flat out, as wrk does
        }
    )
    product = create_app(settings, db.url, publish_events=False)
    floor = floor_app.create_app(settings)
    results: dict[str, list[float]] = {"product": [], "floor": []}
    async with product.lifespan(), floor.lifespan():
        for _ in range(args.rounds):
            for name, app in (("product", product), ("floor", floor)):
                revision = dict(db.slots("inprocess"))[lecture]  # the saves carry it on
                call = _caller(app, args.method, lecture, revision, args.size)
                for _ in range(args.requests // 10):  # warm: prepared statements, caches
                    await call()
                results[name].append(await _cpu_per_request(call, args.requests))
    ratio = statistics.median(results["product"]) / statistics.median(results["floor"])
    for name, values in results.items():
        print(
            f"{args.method} {args.size} KB, {name}: {statistics.median(values):.0f} us CPU per "
            f"request ({min(values):.0f}-{max(values):.0f}, {args.rounds} rounds)"
        )
    print(f"product / floor CPU per request: {ratio:.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    parser.add_argument("--size", type=int, default=2, choices=(2, 20, 200), help="KB")
    parser.add_argument("--requests", type=int, default=2000, help="per round and variant")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--method", default="PATCH", choices=("PATCH", "GET"))
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with bench_database() as db:
        db.create_slots("inprocess", 1, payload(args.size))
        ((lecture, _),) = db.slots("inprocess")
        asyncio.run(_measure(args, db, lecture))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
