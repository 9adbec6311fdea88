"""Starting the real `tutopanda serve` on a loopback port for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(*args: str, env: dict[str, str]) -> Iterator[str]:
    """Run `tutopanda serve ARGS` until the block ends; yield its base URL once it is ready.

    One API process unless `env` or ARGS ask for more (serve's default is one per core).
    """
    with serve_process(*args, env=env) as (base, _):
        yield base


@contextlib.contextmanager
def serve_process(
    *args: str, env: dict[str, str], log: Path | None = None, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`serving`, yielding the process too (to signal it or look at its children); on `port`
    when given (a server started again where its clients look for it), else a free one.

    Its output goes to `log` (a temporary file unless given), never to a pipe: nobody reads a
    pipe while the server runs, and a full one would block the server's logging, and its exit.
    """
    port = free_port() if port is None else port
    with contextlib.ExitStack() as stack:
        output = (
            stack.enter_context(log.open("w+", encoding="utf-8"))
            if log is not None
            else stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "tutopanda", "serve", "--port", str(port), *args],
            cwd=PROJECT_ROOT,
            env={**os.environ, "TUTOPANDA_SERVER_PROCESSES": "1", **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                if process.poll() is not None:
                    output.seek(0)
                    raise AssertionError(f"serve exited early:\n{output.read()}")
                with contextlib.suppress(httpx.TransportError):
                    if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                        break
                assert time.monotonic() < deadline, "server did not become ready"
                time.sleep(0.1)
            yield base, process
        finally:
            process.terminate()
            process.wait(timeout=30)


def run_cli(
    database_url: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `tutopanda ARGS` on `database_url` to completion; never raises on a failing exit."""
    return subprocess.run(
        [sys.executable, "-m", "tutopanda", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_command(
    args: list[str], env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """`tutopanda ARGS` with `env` (over this process's environment) to completion; never
    raises on a failing exit."""
    return subprocess.run(
        [sys.executable, "-m", "tutopanda", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def finished_run(http: httpx.Client, run_id: str, timeout: float = 60) -> dict[str, Any]:
    """GET the run until it is neither queued nor running; its last answer."""
    deadline = time.monotonic() + timeout
    while (run := http.get(f"/workflow-runs/{run_id}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, run
        time.sleep(0.1)
    body: dict[str, Any] = run
    return body
