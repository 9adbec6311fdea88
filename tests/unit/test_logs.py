"""One log format, and repeated warnings held back: an outage is one warning every 10 s."""

from __future__ import annotations

import logging

import psycopg

from tutopanda.errors import Unavailable
from tutopanda.logs import REPEAT_SECONDS, OneLineFormatter, RepeatedWarnings

REFUSED = psycopg.OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused\n'
    "\tIs the server running on that host and accepting TCP/IP connections?"
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def record(name: str, level: int, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, msg, args, None)


def test_warnings_about_the_database_are_one_kind_every_ten_seconds() -> None:
    """What retries while the database is away (the pools, the event publisher and listener,
    requests answered 503) prints one warning per 10 s, which counts the ones held back."""
    clock = Clock()
    repeated = RepeatedWarnings(clock=clock)
    retries = [
        record("psycopg.pool", logging.WARNING, "error connecting in %r: %s", "pool-1", REFUSED),
        record("tutopanda.events", logging.WARNING, "publisher lost its connection (%s)", REFUSED),
        record("tutopanda.api", logging.WARNING, "request %s: %s", "r1", Unavailable("away")),
    ]
    passed = []
    for tick in range(80):  # 8 a second for 10 s
        clock.now = 1000.0 + tick / 8
        passed += [r for r in retries if repeated.filter(r)]
    assert len(passed) == 1
    clock.now = 1000.0 + REPEAT_SECONDS
    later = record("tutopanda.events", logging.WARNING, "listener lost it (%s)", REFUSED)
    assert repeated.filter(later)
    assert later.__dict__["held_back"] == 80 * len(retries) - 1


def test_other_warnings_repeat_once_per_kind_and_errors_always_print() -> None:
    clock = Clock()
    repeated = RepeatedWarnings(clock=clock)
    first = record("uvicorn.error", logging.WARNING, "Invalid HTTP request received.")
    again = record("uvicorn.error", logging.WARNING, "Invalid HTTP request received.")
    other = record("tutopanda.api", logging.WARNING, "refused a request from %s", "a")
    assert repeated.filter(first)
    assert not repeated.filter(again)
    assert repeated.filter(other)
    for level in (logging.ERROR, logging.INFO):
        assert all(repeated.filter(record("x", level, "same %s", REFUSED)) for _ in range(3))


def test_one_format_one_line() -> None:
    """Our lines, uvicorn's and libpq's several-line errors alike: `LEVEL logger: message`."""
    formatter = OneLineFormatter()
    access = record(
        "uvicorn.access",
        logging.INFO,
        '%s - "%s %s HTTP/%s" %d',
        "1.2.3.4:5",
        "GET",
        "/",
        "1.1",
        200,
    )
    assert formatter.format(access) == 'INFO uvicorn.access: 1.2.3.4:5 - "GET / HTTP/1.1" 200'
    lost = record("tutopanda.events", logging.WARNING, "lost (%s)", REFUSED)
    lost.held_back = 3
    assert formatter.format(lost) == (
        'WARNING tutopanda.events: lost (connection failed: connection to server at "127.0.0.1", '
        "port 1 failed: Connection refused Is the server running on that host and accepting "
        f"TCP/IP connections?) (3 more like it in the last {REPEAT_SECONDS:g} s)"
    )
