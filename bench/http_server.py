"""The API on a free loopback port, for wrk to drive: `tutopanda serve --no-worker` (uvicorn)
or the same app under granian (bench/granian_app.py), to compare the two ASGI servers."""

from __future__ import annotations

import contextlib
import os
import secrets
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
from bench.tools import BenchError, free_port
from tutopanda.api.auth import issue_token

PROJECT_ROOT = Path(__file__).resolve().parents[1]
AsgiServer = Literal["uvicorn", "granian"]


@dataclass(frozen=True)
class Server:
    """A running API: where it listens, its process (for CPU accounting) and a bearer token."""

    base_url: str
    pid: int
    token: str
    processes: int
    kind: AsgiServer = "uvicorn"


@contextlib.contextmanager
def serving(
    db: BenchDatabase, processes: int, log_path: Path, kind: AsgiServer = "uvicorn"
) -> Iterator[Server]:
    """Run the API (no in-process worker) with `processes` server processes until the block ends.

    Its output goes to `log_path`.
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
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(process, base, log_path)
            yield Server(base, process.pid, issue_token(secret, BENCH_USER), processes, kind)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _command(kind: AsgiServer, port: int, processes: int) -> list[str]:
    if kind == "granian":
        return [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--factory",
            "--loop",
            "uvloop",
            "--no-ws",
            "--log-level",
            "warning",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(processes),
            "bench.granian_app:create",
        ]
    return [
        sys.executable,
        "-m",
        "tutopanda",
        "serve",
        "--no-worker",
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
