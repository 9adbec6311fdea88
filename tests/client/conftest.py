"""One real `tutopanda serve` (API + worker) for the SDK tests; each test signs in as its own user.

Users never see each other's lectures, so the tests share the server (and its start-up cost)
without sharing data.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.databases import TestDatabase, cloned_database
from tests.support.processes import serving
from tests.support.server import TestServer
from tutopanda.client import AsyncTutopandaClient, TutopandaClient
from tutopanda.client.models import LectureSnapshot
from tutopanda.tokens import issue_token

_users = itertools.count(1)


def sdk_server_env(database_url: str, home: Path) -> dict[str, str]:
    return server_env(
        database_url,
        home,
        TUTOPANDA_WORKER_POLL_SECONDS="0.2",
        TUTOPANDA_STREAM_HEARTBEAT_SECONDS="1",
    )


@pytest.fixture(scope="package")
def sdk_database(pg_server: TestServer, template_db: str) -> Iterator[TestDatabase]:
    with cloned_database(pg_server, template_db) as db:
        yield db


@pytest.fixture(scope="package")
def base_url(sdk_database: TestDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's URL: API and workflow worker on the session's SDK database."""
    home = tmp_path_factory.mktemp("sdk-home")
    with serving("--workers", "1", env=sdk_server_env(sdk_database.admin_url, home)) as base:
        yield base


@pytest.fixture(scope="package")
def idle_base_url(
    pg_server: TestServer, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A server without a worker on a database of its own: runs stay queued until cancelled."""
    home = tmp_path_factory.mktemp("sdk-idle-home")
    with (
        cloned_database(pg_server, template_db) as db,
        serving("--no-worker", env=sdk_server_env(db.admin_url, home)) as base,
    ):
        yield base


@pytest.fixture
def token() -> str:
    """A bearer token for a user of this test alone."""
    return issue_token(SECRET, f"sdk-user-{next(_users)}")


@pytest.fixture
def client(base_url: str, token: str) -> Iterator[TutopandaClient]:
    with TutopandaClient(base_url, token) as sync_client:
        yield sync_client


@pytest_asyncio.fixture
async def aclient(base_url: str, token: str) -> AsyncIterator[AsyncTutopandaClient]:
    async with AsyncTutopandaClient(base_url, token) as async_client:
        yield async_client


def generated_lecture(client: TutopandaClient, prompt: str = "How rivers shape valleys") -> int:
    """A lecture whose generation run has succeeded: content in every section."""
    created = client.create_project(prompt)
    run = client.wait_for_run(created.run_id, timeout=30)
    assert run.status == "succeeded", run.error
    return created.lecture_id


async def agenerated_lecture(
    client: AsyncTutopandaClient, prompt: str = "How tides work"
) -> LectureSnapshot:
    """`generated_lecture` for the async client; the lecture as it is after the run."""
    created = await client.create_project(prompt)
    run = await client.wait_for_run(created.run_id, timeout=30)
    assert run.status == "succeeded", run.error
    return await client.get_lecture(created.lecture_id)
