"""The OpenAPI document is the API: schemathesis drives every route of a real server from it.

A bounded run (fixed examples per operation, fixed seed, stateful links inferred from the
`Location` headers and the identifiers the responses carry, and the document's own: a 409's
`draftId` to the drafts routes), authenticated as one user: any server error, undocumented
status, wrong content type or response that does not match its schema fails the build. Negative
examples (bodies, parameters and headers that break the schema) must be refused with a 4xx
problem, positive ones accepted, by schemathesis's own rules: schemathesis.toml lists no status
to excuse, so the document must be exactly as strict as the server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.databases import TestDatabase
from tests.support.processes import serving
from tutopanda.tokens import issue_token

EXAMPLES_PER_OPERATION = 8  # 30 took ~95 s of a 6-minute CI budget under load, 20 ~70 s, 12 ~50 s
SEED = 20261125
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture
def server(database: TestDatabase, tmp_path: Path) -> Iterator[str]:
    env = server_env(
        database.admin_url,
        tmp_path,
        # Above the largest body schemathesis draws (a few MB: maxItems + 1 items, maxLength + 1
        # characters), so that every body is judged by its schema, not by its size (a body over
        # the cap is 413 whatever it holds: tests/api/test_lectures.py).
        TUTOPANDA_MAX_BODY_BYTES=str(64 * 1024 * 1024),
        # One user sends thousands of writes and creates hundreds of projects, whose runs no
        # worker takes: a person's quotas would answer most of them 429 (tests/api/test_quotas.py).
        TUTOPANDA_WRITES_PER_MINUTE="1000000",
        TUTOPANDA_MAX_ACTIVE_RUNS="10000",
        TUTOPANDA_MAX_PROJECTS_PER_HOUR="100000",
    )
    with serving("--no-worker", env=env) as base:
        yield base


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    server: str, tmp_path: Path
) -> None:
    token = issue_token(SECRET, "schemathesis")
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        f"{server}/schema/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        "all",
        "--mode",
        "all",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--no-color",
        "--warnings",
        "off",
        "--output-truncate",
        "true",
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
        env={
            **os.environ,
            "SCHEMATHESIS_HOOKS": "tests.api.schemathesis_hooks",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
    )
    report = "\n".join(line[:300] for line in (result.stdout + result.stderr).splitlines())
    assert result.returncode == 0, report[-30000:]
