"""`GET /lectures/{id}/events` on a real server: live events, replay, fan-out, restarts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from psycopg import AsyncConnection

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.databases import TestDatabase, cloned_database
from tests.support.factories import new_lecture, patch
from tests.support.processes import serve_process, serving
from tests.support.restartable import restartable_database
from tests.support.server import TestServer
from tests.support.sql import test_query
from tests.support.sse import Event, aevents
from tutopanda.api.realtime import LISTENER_NAME, STOPPING
from tutopanda.quotas import Quotas
from tutopanda.store import lectures
from tutopanda.tokens import issue_token

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
ALICE = {"Authorization": f"Bearer {issue_token(SECRET, 'user-1')}"}


# The module's server has no worker: the runs of its tests' lectures stay queued, and add up.
UNLIMITED = Quotas(max_active_runs=10_000, max_projects_per_hour=100_000)


@dataclass(frozen=True)
class Shared:
    """The module's server (no worker) and its database: the tests on it each make lectures
    of their own (a server start costs ~2.5 s of CPU)."""

    base: str
    database: TestDatabase


@pytest.fixture(scope="module")
def shared(
    pg_server: TestServer, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shared]:
    with cloned_database(pg_server, template_db) as database:
        env = server_env(database.admin_url, tmp_path_factory.mktemp("event-stream"))
        with serving("--no-worker", env=env) as base:
            yield Shared(base, database)


@pytest.fixture
def server(shared: Shared) -> str:
    return shared.base


@pytest_asyncio.fixture
async def conn(shared: Shared) -> AsyncIterator[Conn]:
    """The runtime role on the module server's database, autocommit."""
    info = shared.database.runtime_conninfo
    async with await AsyncConnection.connect(info, autocommit=True) as connection:
        yield connection


@asynccontextmanager
async def stream(
    base: str, lecture_id: int, last_event_id: str | None = None
) -> AsyncIterator[AsyncIterator[Event]]:
    headers = dict(ALICE) | ({"Last-Event-ID": last_event_id} if last_event_id else {})
    async with (
        httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(30, read=30)) as http,
        http.stream("GET", f"/lectures/{lecture_id}/events", headers=headers) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield aevents(response)


async def take(events: AsyncIterator[Event], count: int, timeout: float = 15) -> list[Event]:
    async def collect() -> list[Event]:
        return [await anext(events) for _ in range(count)]

    return await asyncio.wait_for(collect(), timeout)


async def save_title(conn: Conn, lecture_id: int, base: int, title: str) -> None:
    saved = await lectures.save_draft(conn, "user-1", lecture_id, base, patch(title=title))
    assert saved.status == "saved"


async def test_a_subscriber_sees_a_save_made_elsewhere(server: str, conn: Conn) -> None:
    created = await new_lecture(conn, quotas=UNLIMITED)
    async with stream(server, created.lecture_id) as events:
        state, *_ = await take(events, 1)
        assert (state.event, state.data["revision"]) == ("lecture.state", 0)
        assert [run["status"] for run in state.data["runs"]] == ["queued"]
        await save_title(conn, created.lecture_id, 0, "Elsewhere")
        (revised,) = await take(events, 1)
    assert (revised.event, revised.id) == ("lecture.revised", "1.1")
    assert {
        key: revised.data[key] for key in ("revision", "source", "actor", "changedSections")
    } == {
        "revision": 1,
        "source": "app",
        "actor": "user-1",
        "changedSections": ["title"],
    }


async def test_a_reconnect_receives_exactly_what_it_missed(server: str, conn: Conn) -> None:
    created = await new_lecture(conn, quotas=UNLIMITED)
    async with stream(server, created.lecture_id) as events:
        (state,) = await take(events, 1)
    for base in range(3):
        await save_title(conn, created.lecture_id, base, f"Away {base}")
    assert state.id is not None
    async with stream(server, created.lecture_id, last_event_id=state.id) as events:
        missed = await take(events, 3)
        await save_title(conn, created.lecture_id, 3, "Back")
        (live,) = await take(events, 1)
    assert [(e.event, e.data["revision"]) for e in missed] == [
        ("lecture.revised", r) for r in (1, 2, 3)
    ]
    assert live.data["revision"] == 4


async def test_an_unknown_position_asks_for_a_resync(server: str, conn: Conn) -> None:
    created = await new_lecture(conn, quotas=UNLIMITED)
    for last in ("99.1", "garbage"):
        async with stream(server, created.lecture_id, last_event_id=last) as events:
            (first,) = await take(events, 1)
        assert (first.event, first.data["revision"], first.id) == ("resync", 0, "0.1")


async def test_the_stream_is_the_owners_only(server: str, conn: Conn) -> None:
    created = await new_lecture(conn, quotas=UNLIMITED)
    bob = {"Authorization": f"Bearer {issue_token(SECRET, 'bob')}"}
    async with httpx.AsyncClient(base_url=server, timeout=10) as http:
        url = f"/lectures/{created.lecture_id}/events"
        assert (await http.get(url, headers=bob)).status_code == 404
        assert (await http.get(url)).status_code == 401
        assert (await http.get("/lectures/999999/events", headers=ALICE)).status_code == 404


# Five times the pool's connections (TUTOPANDA_POOL_MAX_SIZE, 10): streams that each held one
# could not all open. 200 took ~26 s of a CI run and proved no more.
SUBSCRIBERS = 50


async def test_many_subscribers_share_one_listening_connection(shared: Shared, conn: Conn) -> None:
    created = await new_lecture(conn, quotas=UNLIMITED)
    opened = asyncio.Event()
    ready = 0
    received: list[Event] = []

    async def subscriber() -> None:
        nonlocal ready
        async with stream(shared.base, created.lecture_id) as events:
            await take(events, 1)
            ready += 1
            if ready == SUBSCRIBERS:
                opened.set()
            received.extend(await take(events, 1, timeout=30))

    tasks = [asyncio.create_task(subscriber()) for _ in range(SUBSCRIBERS)]
    await asyncio.wait_for(opened.wait(), 60)
    await save_title(conn, created.lecture_id, 0, "Everyone")
    await asyncio.wait_for(asyncio.gather(*tasks), 60)
    assert len(received) == SUBSCRIBERS
    assert {event.data["revision"] for event in received} == {1}
    async with await AsyncConnection.connect(shared.database.admin_url, autocommit=True) as admin:
        named = {"name": LISTENER_NAME}
        listeners = await (await admin.execute(test_query("sessions_named"), named)).fetchone()
    assert listeners == (1,)


async def test_a_generation_run_reports_every_step_in_order(
    database: TestDatabase, tmp_path: Path, aconn: Conn
) -> None:
    env = server_env(database.admin_url, tmp_path, TUTOPANDA_WORKER_POLL_SECONDS="0.2")
    with serving(env=env) as base:
        async with httpx.AsyncClient(base_url=base, headers=ALICE, timeout=10) as http:
            created = (await http.post("/projects", json={"prompt": "Tides"})).json()
        async with stream(base, created["lectureId"], last_event_id="0.0") as events:
            progress: list[tuple[str, int]] = []
            while not progress or progress[-1][0] != "succeeded":
                (event,) = await take(events, 1, timeout=30)
                if event.event == "workflow.progress" and event.data["message"] is None:
                    progress.append((event.data["status"], event.data["currentStep"]))
    assert progress == [
        ("queued", 0),
        ("running", 0),
        *[("running", step) for step in range(1, 6)],
        ("succeeded", 6),
    ]


async def test_a_database_restart_mid_stream_loses_no_event(tmp_path: Path) -> None:
    with restartable_database(tmp_path) as db:
        async with await AsyncConnection.connect(db.runtime_conninfo, autocommit=True) as conn:
            created = await new_lecture(conn)
        with serving("--no-worker", env=server_env(db.url, tmp_path / "home")) as base:
            async with stream(base, created.lecture_id) as events:
                await take(events, 1)
                async with await AsyncConnection.connect(
                    db.runtime_conninfo, autocommit=True
                ) as conn:
                    await save_title(conn, created.lecture_id, 0, "Before")
                (before,) = await take(events, 1)
                db.stop()
                db.start()
                async with await AsyncConnection.connect(
                    db.runtime_conninfo, autocommit=True
                ) as conn:
                    await save_title(conn, created.lecture_id, 1, "After one")
                    await save_title(conn, created.lecture_id, 2, "After two")
                after = await take(events, 2, timeout=30)
    assert [e.data["revision"] for e in (before, *after)] == [1, 2, 3]


async def test_a_stopping_server_ends_its_streams_with_a_reason(
    database: TestDatabase, aconn: Conn, tmp_path: Path
) -> None:
    """SIGTERM: each stream hears `disconnect` (it may reconnect and replay) and the server
    exits without waiting out uvicorn's graceful timeout (10 s) for streams that never end."""
    created = await new_lecture(aconn)
    env = server_env(database.admin_url, tmp_path)
    with serve_process("--no-worker", "--workers", "2", env=env) as (base, process):
        async with (
            stream(base, created.lecture_id) as first,
            stream(base, created.lecture_id) as second,
        ):
            await take(first, 1)
            await take(second, 1)
            started = time.monotonic()
            process.terminate()
            (one,) = await take(first, 1)
            (other,) = await take(second, 1)
        code = await asyncio.to_thread(process.wait, 15)
        took = time.monotonic() - started
    assert [(e.event, e.data) for e in (one, other)] == [
        ("disconnect", {"reason": STOPPING}),
        ("disconnect", {"reason": STOPPING}),
    ]
    assert one.id == "0.1"  # where to resume: the opening state's position
    assert code == 0
    assert took < 5, f"{took:.1f} s"
