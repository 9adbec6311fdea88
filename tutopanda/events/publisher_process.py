"""The event publisher in a process of its own, beside the API processes of `tutopanda serve`.

In an API process the publisher's poll (every TUTOPANDA_EVENT_POLL_MS) took the interpreter from
the requests: about 0.2 ms of the process's CPU per save at full load, on a thread that had to
win the GIL from the event loop for every step of every poll. `serve` runs it here instead: one
child process per `serve`, started before the API, started again when it dies, ended with the
command (and by the kernel when the command dies without ending it). Its role is still elected
by the database (tutopanda.events.publisher): several `serve` commands share one publisher, and
another takes over from the stored horizon when one goes.

The connection string reaches the child on its standard input, never on its command line (a
password in it would show in `ps`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import signal
import subprocess
import sys
import threading

from tutopanda.events.publisher import publish_blocking
from tutopanda.logs import configure_logging

logger = logging.getLogger("tutopanda.events")
RESTART_SECONDS = 1.0  # after the child died, before it is started again
STOP_SECONDS = 5.0  # after SIGTERM, before SIGKILL
_PR_SET_PDEATHSIG = 1


class PublisherProcess:
    """A publisher candidate in a child process, started again whenever it dies until `stop`."""

    def __init__(self, conninfo: str, *, interval_seconds: float, log_level: str):
        self._conninfo = conninfo
        self._command = [
            sys.executable,
            "-m",
            "tutopanda.events.publisher_process",
            str(interval_seconds),
            log_level,
        ]
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        # Held while a child is started, and by `stop` while it decides which child to end: a
        # restart racing with `stop` either finishes first (and its child is ended) or sees
        # `_stopping` and starts nothing.
        self._spawning = threading.Lock()
        self._keeper = threading.Thread(target=self._keep, name="publisher-keeper", daemon=True)

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        self._spawn()
        self._keeper.start()

    def stop(self) -> None:
        """End the child (SIGTERM, then SIGKILL after STOP_SECONDS) and stop restarting it."""
        with self._spawning:
            self._stopping.set()
            process = self._process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _spawn(self) -> None:
        process = subprocess.Popen(self._command, stdin=subprocess.PIPE)  # noqa: S603
        assert process.stdin is not None  # a pipe was asked for
        with process.stdin:
            process.stdin.write(self._conninfo.encode())
        self._process = process

    def _keep(self) -> None:
        while not self._stopping.is_set():
            process = self._process
            assert process is not None  # spawned by start()
            code = process.wait()
            if self._stopping.wait(RESTART_SECONDS):
                return
            with self._spawning:
                if self._stopping.is_set():
                    return
                logger.error("the event publisher process ended (exit %s); starting it again", code)
                self._spawn()


def _die_with_parent() -> None:
    """Ask the kernel for SIGTERM when the parent goes (Linux; elsewhere the stdin pipe's end
    is the only sign, which publish_blocking does not watch)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def main(argv: list[str]) -> None:
    """`python -m tutopanda.events.publisher_process INTERVAL_SECONDS LOG_LEVEL`, the connection
    string on standard input."""
    _die_with_parent()
    interval, level = float(argv[0]), argv[1]
    conninfo = sys.stdin.read()
    configure_logging(level)
    # SIGTERM ends the process at once (its default): the publisher's session, and with it the
    # role, ends with the process; another candidate takes over from the stored horizon.
    with contextlib.suppress(KeyboardInterrupt):
        publish_blocking(conninfo, interval_seconds=interval)


if __name__ == "__main__":
    main(sys.argv[1:])
