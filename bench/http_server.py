"""An HTTP server on a free loopback port, for wrk to drive: the product (`tutopanda serve
--no-worker`) or the floor (bench/floor_app.py), each stopped (SIGSTOP) while the other runs."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

from bench.database import BENCH_USER, BenchDatabase
from bench.tools import BenchError, free_port, signal_process_tree
from tutopanda.api.auth import issue_token

PROJECT_ROOT = Path(__file__).resolve().parents[1]
Kind = Literal["product", "floor"]


@dataclass(frozen=True)
class Server:
    """A running server: where it listens, its process (for CPU accounting) and a bearer token."""

    base_url: str
    pid: int
    token: str
    processes: int
    kind: Kind = "product"

    def pause(self) -> None:
        """Stop every process of the server (its background work included) until `resume`."""
        signal_process_tree(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        signal_process_tree(self.pid, signal.SIGCONT)


@contextlib.contextmanager
def serving(
    db: BenchDatabase, processes: int, log_path: Path, kind: Kind = "product"
) -> Iterator[Server]:
    """Run the product's API (no in-process worker) or the floor with `processes` server
    processes until the block ends, with the same environment. Its output goes to `log_path`.
    """
    port = free_port()
    secret = secrets.token_urlsafe(48)
    with (
        tempfile.TemporaryDirectory(prefix="tutopanda-bench-home-") as home,
        log_path.open("wb") as log,
    ):
        process = subprocess.Popen(
            _command(kind, port, processes),
            cwd=PROJECT_ROOT,
            env={
                **os.environ,
                "DATABASE_URL": db.url,
                "TUTOPANDA_JWT_SECRET": secret,
                "TUTOPANDA_HOME": home,
                "TUTOPANDA_LOG_LEVEL": "WARNING",
                # every connection saves as one user, as fast as it can: the write rate is
                # checked (its cost is measured) but never reached
                "TUTOPANDA_WRITES_PER_MINUTE": "1000000",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            # A process group of its own, whose parent (the bench) is in another: never an
            # orphaned one. The kernel sends SIGHUP to the stopped members of an orphaned group
            # whenever one of its processes exits, and the bench's own group is orphaned when the
            # shell that started it has ended (a run in the background): a paused server, in it,
            # died of SIGHUP as soon as a wrk run ended.
            process_group=0,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(process, base, log_path)
            yield Server(base, process.pid, issue_token(secret, BENCH_USER), processes, kind)
        finally:
            signal_process_tree(process.pid, signal.SIGCONT)  # a paused server cannot stop
            process.terminate()
            process.wait(timeout=30)


def _command(kind: Kind, port: int, processes: int) -> list[str]:
    program = ["bench.floor_app"] if kind == "floor" else ["tutopanda", "serve", "--no-worker"]
    return [
        sys.executable,
        "-m",
        *program,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(processes),
    ]


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            lines = log.read_text("utf-8", "replace").strip().splitlines()
            raise BenchError(f"the API server exited: {lines[-1] if lines else process.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise BenchError("the API server did not become ready in 60 s")
        time.sleep(0.1)
