"""The TypeScript client's own tests (clients/typescript/test, `node --test`) against a real
`tutopanda serve` with its worker, and one without a worker (its runs stay queued), each on a
database of its own, and a third one (no worker, on the second's database) that a Node test may
stop and start again (tests/typescript/restartable.py). The Node side gets their URLs, the
restartable one's control URL and the JWT secret to sign its users' tokens.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.databases import TestDatabase, cloned_database
from tests.support.processes import serving
from tests.support.server import TestServer
from tests.typescript.conftest import NodeClient
from tests.typescript.restartable import RestartableServer

NODE_TIMEOUT = 120  # seconds; the run takes a few


@pytest.fixture
def servers(
    database: TestDatabase, pg_server: TestServer, template_db: str, tmp_path: Path
) -> Iterator[dict[str, str]]:
    """The Node tests' environment: TUTOPANDA_TEST_URL (API and worker), TUTOPANDA_TEST_IDLE_URL
    (API alone), TUTOPANDA_TEST_RESTARTABLE_URL and its TUTOPANDA_TEST_CONTROL_URL (API alone,
    `POST /stop` and `POST /start`), and the servers' JWT secret."""
    quick = {"TUTOPANDA_WORKER_POLL_SECONDS": "0.2", "TUTOPANDA_STREAM_HEARTBEAT_SECONDS": "1"}
    with (
        cloned_database(pg_server, template_db) as idle_database,
        serving(env=server_env(database.admin_url, tmp_path / "home", **quick)) as base,
        serving(
            "--no-worker", env=server_env(idle_database.admin_url, tmp_path / "idle", **quick)
        ) as idle,
        RestartableServer(
            "--no-worker", env=server_env(idle_database.admin_url, tmp_path / "again", **quick)
        ) as restartable,
    ):
        yield {
            "TUTOPANDA_TEST_URL": base,
            "TUTOPANDA_TEST_IDLE_URL": idle,
            "TUTOPANDA_TEST_RESTARTABLE_URL": restartable.url,
            "TUTOPANDA_TEST_CONTROL_URL": restartable.control_url,
            "TUTOPANDA_JWT_SECRET": SECRET,
        }


def _run(node_client: NodeClient, *args: str, env: dict[str, str]) -> None:
    process = subprocess.run(
        [node_client.node, *args],
        cwd=node_client.folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
        check=False,
    )
    assert process.returncode == 0, (
        f"node {' '.join(args)} exited with {process.returncode}\n"
        f"{process.stdout[-20000:]}\n{process.stderr[-5000:]}"
    )


def test_the_node_tests_pass_against_a_real_server(
    node_client: NodeClient, servers: dict[str, str]
) -> None:
    env = {**os.environ, **servers}
    _run(
        node_client,
        node_client.tool("typescript", "bin", "tsc"),
        "-p",
        "tsconfig.test.json",
        env=env,
    )
    tests = sorted(
        str(path.relative_to(node_client.folder))
        for path in (node_client.folder / "build" / "test").glob("*.test.js")
    )
    assert tests, "no compiled tests in build/test"
    _run(node_client, "--test", *tests, env=env)
