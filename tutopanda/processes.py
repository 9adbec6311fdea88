"""Serving the API from several processes on one port, with the workflow worker run once.

The parent binds the port and forks the API processes, which share the listening socket (the
kernel hands each connection to one of them); the parent itself runs the workflow worker, so
there is one worker however many API processes there are. An API process that dies is started
again; SIGTERM or SIGINT stops them all (each finishes its requests, like a single `serve`).

The socket is made with the TCP protocol named explicitly and TCP_NODELAY set: asyncio enables
TCP_NODELAY on an accepted connection only when the listening socket says it is TCP, which a
socket shared the way `uvicorn --workers` does it does not (uvicorn #3149: every keep-alive
response then waits ~40 ms for Nagle's algorithm).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any

import psycopg

logger = logging.getLogger("tutopanda.serve")
SUPERVISOR_TICK_SECONDS = 0.5  # how often ended API processes are noticed and replaced
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)  # what stops `serve` and `worker`
PROBE_SECONDS = 2  # how long a stopping process waits for the database to answer (libpq's least)


class ListenError(Exception):
    """The port cannot be listened on (in use, not allowed, no such address)."""


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A TCP listening socket that asyncio will treat as TCP (TCP_NODELAY on each connection)."""
    try:
        family, _, _, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )[0]
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
        sock.bind(address)
        sock.listen(backlog)
    except OSError as error:
        raise ListenError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


class StopWatchdog:
    """Ends a stop that waits for a database that is gone.

    A stopping process tells the database what it must (the worker unregisters, running steps
    write, the pools close) and each of those waits runs into its own timeout when the database
    is away, one after the other: with a server that no longer answers at all (a frozen host, a
    cut network), well over a minute. Once a stop has lasted `patience` seconds (the connect
    timeout), the watchdog asks the database; if it does not answer within PROBE_SECONDS, the
    process exits at once (status 0, the stop was asked for), as a crash would: nothing more
    could be written, and what was running is recovered (a stalled step is retried elsewhere,
    event streams reconnect and replay). A database that answers is waited for (a running step
    may finish) and asked again every `patience` seconds.
    """

    def __init__(
        self, conninfo: str, patience: float, on_give_up: Callable[[], None] | None = None
    ):
        self._conninfo = conninfo
        self._patience = patience
        self._on_give_up = on_give_up
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """The stop begins (again: nothing more)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="stop-watchdog", daemon=True)
            self._thread.start()

    def _watch(self) -> None:
        started = time.monotonic()
        while True:
            time.sleep(self._patience)
            if self._answers():
                continue
            logger.warning(
                "stopping now: the database has not answered for %.1f s of stopping, so nothing "
                "more can be written (what was running is recovered like after a crash)",
                time.monotonic() - started,
            )
            if self._on_give_up is not None:
                self._on_give_up()
            os._exit(0)

    def _answers(self) -> bool:
        try:
            with psycopg.connect(self._conninfo, connect_timeout=PROBE_SECONDS):
                return True
        except psycopg.Error:
            return False


def default_process_count() -> int:
    """The cores this process may run on."""
    return max(1, len(os.sched_getaffinity(0)))


class ApiProcesses:
    """N forked API processes on one socket, restarted when one dies, stopped together."""

    def __init__(self, count: int, serve_api: Callable[[socket.socket], None], sock: socket.socket):
        self._count = count
        self._serve_api = serve_api
        self._socket = sock
        self._pids: set[int] = set()
        self._stopping = False

    def start(self) -> None:
        for _ in range(self._count):
            self._fork()

    def _fork(self) -> None:
        pid = os.fork()
        if pid == 0:  # the child: serve until a signal, then leave without the parent's cleanup
            code = 0
            try:
                # Not the parent's signal handling (a restarted child is forked from the running
                # supervisor, whose loop owns the wakeup fd): SIGTERM stops, SIGINT is the parent's.
                signal.set_wakeup_fd(-1)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                self._serve_api(self._socket)
            except BaseException:
                logger.exception("API process %s failed", os.getpid())
                code = 1
            finally:
                os._exit(code)
        self._pids.add(pid)
        logger.info("API process %s started", pid)

    def _collect_ended(self) -> list[tuple[int, int]]:
        """Forget the API processes that ended (waiting for none): their pids and statuses."""
        ended = []
        for pid in list(self._pids):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # already collected elsewhere
                done, status = pid, 0
            if done != 0:
                self._pids.discard(pid)
                ended.append((pid, status))
        return ended

    def reap(self) -> None:
        """Collect API processes that ended; start new ones unless stopping."""
        for pid, status in self._collect_ended():
            if not self._stopping:  # the supervisor's tick spaces restarts out
                logger.error("API process %s ended (%s); starting another", pid, _exit_of(status))
                self._fork()

    def kill(self) -> None:
        """SIGKILL every API process (a stop that cannot finish: the database is gone)."""
        for pid in self._pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM every API process and wait for them (SIGKILL after `timeout`)."""
        self._stopping = True
        for pid in self._pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self._pids and time.monotonic() < deadline:
            self._collect_ended()
            time.sleep(0.05)
        for pid in self._pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    @property
    def pids(self) -> frozenset[int]:
        return frozenset(self._pids)


def _exit_of(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


async def supervise(
    processes: ApiProcesses,
    worker: Coroutine[Any, Any, None] | None,
    watchdog: StopWatchdog | None = None,
) -> None:
    """In the parent: reap and restart API processes, run the worker, until SIGTERM/SIGINT.

    Stopping stops the API processes and the worker at the same time (each waits for the
    database on its own), under `watchdog` if given."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    def stopping() -> None:
        stop.set()
        if watchdog is not None:
            watchdog.start()

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stopping)
    task = None if worker is None else asyncio.ensure_future(worker)
    try:
        while not stop.is_set():
            processes.reap()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=SUPERVISOR_TICK_SECONDS)
    finally:
        api_stopped = asyncio.ensure_future(asyncio.to_thread(processes.stop))
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await api_stopped


def run_async(main: Coroutine[Any, Any, None]) -> None:
    """Run `main` on uvloop where it is installed (else asyncio's own loop)."""
    try:
        import uvloop  # noqa: PLC0415 (optional: not on every platform)
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)
