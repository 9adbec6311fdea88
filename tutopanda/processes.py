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
import time
from collections.abc import Callable, Coroutine
from typing import Any

logger = logging.getLogger("tutopanda.serve")
SUPERVISOR_TICK_SECONDS = 0.5  # how often ended API processes are noticed and replaced
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)  # what stops `serve` and `worker`


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


async def supervise(processes: ApiProcesses, worker: Coroutine[Any, Any, None] | None) -> None:
    """In the parent: reap and restart API processes, run the worker, until SIGTERM/SIGINT."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    task = None if worker is None else asyncio.ensure_future(worker)
    try:
        while not stop.is_set():
            processes.reap()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=SUPERVISOR_TICK_SECONDS)
    finally:
        await asyncio.to_thread(processes.stop)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
