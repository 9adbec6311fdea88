"""`serve` and `worker` against a database that is not there: one line naming the variable and
exit 1 after the startup wait; one that comes during the wait is served; one that goes away
while serving is one warning every 10 s, in the one log format."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from pathlib import Path

import httpx

from tests.api.helpers import server_env
from tests.support.databases import TestDatabase
from tests.support.processes import free_port, run_command, serve_process
from tests.support.server import TestServer
from tests.support.tcp_proxy import tcp_proxy

WAIT = 0.5  # TUTOPANDA_STARTUP_WAIT_SECONDS of these tests (10 by default)
LOG_LINE = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: \S")


def run(args: list[str], env: dict[str, str]) -> tuple[subprocess.CompletedProcess[str], float]:
    """`tutopanda ARGS` to completion, and how long it took."""
    started = time.monotonic()
    result = run_command(args, env)
    return result, time.monotonic() - started


def assert_unreachable(result: subprocess.CompletedProcess[str], variable: str) -> None:
    """Exit 1, nothing served, one line on stderr naming `variable`."""
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr.startswith(f"tutopanda: cannot reach the database ({variable}): ")
    assert result.stderr.count("\n") == 1, result.stderr


def test_serve_without_a_server_exits_1_after_the_wait(tmp_path: Path) -> None:
    """Nothing listens on the port: one line, exit 1, after the startup wait (~1.5 s: the
    command's start and the 0.5 s wait)."""
    nowhere = f"postgresql://postgres@127.0.0.1:{free_port()}/tutopanda"
    env = server_env(nowhere, tmp_path, TUTOPANDA_STARTUP_WAIT_SECONDS=str(WAIT))
    result, took = run(["serve", "--port", str(free_port())], env)
    assert_unreachable(result, "DATABASE_URL")
    assert WAIT <= took < WAIT + 10


def test_serve_and_worker_on_a_database_that_does_not_exist_exit_1(
    pg_server: TestServer, database: TestDatabase, tmp_path: Path
) -> None:
    """The server answers, the database is not there: the variable that names it is named (the
    worker's is TUTOPANDA_DIRECT_DATABASE_URL when it is set). ~2 s: two commands start."""
    missing = pg_server.url("tutopanda_no_such_database")
    env = server_env(missing, tmp_path, TUTOPANDA_STARTUP_WAIT_SECONDS="0")
    result, _ = run(["serve", "--port", str(free_port()), "--no-worker"], env)
    assert_unreachable(result, "DATABASE_URL")
    env = server_env(
        database.admin_url,
        tmp_path,
        TUTOPANDA_STARTUP_WAIT_SECONDS="0",
        TUTOPANDA_DIRECT_DATABASE_URL=missing,
    )
    result, _ = run(["worker"], env)
    assert_unreachable(result, "TUTOPANDA_DIRECT_DATABASE_URL")


def test_a_database_that_answers_during_the_wait_is_served(
    pg_server: TestServer, database: TestDatabase, tmp_path: Path
) -> None:
    """Refused for its first second (a database still starting), then served. ~3 s: a start."""
    with tcp_proxy(pg_server) as proxy:
        proxy.cut()
        later = threading.Timer(1.0, proxy.restore)
        later.start()
        env = server_env(proxy.url(database.name), tmp_path, TUTOPANDA_STARTUP_WAIT_SECONDS="20")
        try:
            with serve_process("--no-worker", env=env) as (base, _):
                assert httpx.get(f"{base}/ready").status_code == 200
        finally:
            later.cancel()


def test_an_outage_while_serving_is_one_warning_every_ten_seconds(
    pg_server: TestServer, database: TestDatabase, tmp_path: Path
) -> None:
    """Cut from the database for 3 s while requests come, the service (API and worker) prints
    each kind of warning once (its pools, event listener and publisher, worker and requests all
    retry: ~8 lines a second before), every line in the one format, uvicorn's included. ~6 s:
    a start and the outage."""
    log = tmp_path / "serve.log"
    with tcp_proxy(pg_server) as proxy:
        env = server_env(proxy.url(database.name), tmp_path / "home", TUTOPANDA_LOG_LEVEL="INFO")
        with serve_process(env=env, log=log) as (base, _):
            httpx.get(f"{base}/health")  # an access line
            start = log.stat().st_size
            proxy.cut()
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:
                assert httpx.get(f"{base}/ready", timeout=5).status_code in (200, 503)
                time.sleep(0.1)
            during = log.read_text("utf-8")[start:]
            proxy.restore()
    lines = log.read_text("utf-8").splitlines()
    assert [line for line in lines if not LOG_LINE.match(line)] == []
    assert any(line.startswith("INFO uvicorn.access: ") for line in lines)
    assert any(line.startswith("INFO uvicorn.error: ") for line in lines)
    warnings = [line for line in during.splitlines() if not line.startswith("INFO ")]
    assert len(warnings) <= 6, "\n".join(warnings)
    assert len(warnings) == len({line.partition("(")[0] for line in warnings}), warnings
