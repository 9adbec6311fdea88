"""A request's database work has a deadline (TUTOPANDA_REQUEST_DEADLINE_SECONDS): a statement
still held at it is cancelled in the server and the request answers 503 with `Retry-After`."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import psycopg
import pytest
from litestar.testing import TestClient
from psycopg import AsyncConnection

from tests.api.conftest import SECRET, Headers
from tests.api.helpers import assert_problem, new_lecture, quiet_presence
from tests.support.databases import TestDatabase
from tests.support.factories import patch
from tests.support.own_server import own_server
from tests.support.polling import TEST_EVENT_POLL
from tests.support.server import TestServer
from tests.support.sql import test_query
from tests.support.tcp_proxy import tcp_proxy
from tutopanda.api.app import create_app
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.db.deadline import CANCEL_GRACE_SECONDS, deadline
from tutopanda.errors import CommitUnconfirmed
from tutopanda.settings import Settings, load_settings
from tutopanda.store import lectures

DEADLINE = 1.0
SLACK = 1.0  # the cancel's round trip, and a busy test machine


def deadline_settings(tmp_path: Path) -> Settings:
    return load_settings(
        {
            "TUTOPANDA_HOME": str(tmp_path / "home"),
            "TUTOPANDA_JWT_SECRET": SECRET,
            "TUTOPANDA_REQUEST_DEADLINE_SECONDS": str(DEADLINE),
            **TEST_EVENT_POLL,
        }
    )


def test_a_held_save_answers_503_at_its_deadline_and_writes_nothing(
    database: TestDatabase, tmp_path: Path, auth: Headers
) -> None:
    headers = auth()
    with TestClient(create_app(deadline_settings(tmp_path), database.admin_url)) as client:
        lecture = f"/lectures/{new_lecture(client, headers)['lectureId']}"
        before = client.get(f"{lecture}/history", headers=headers).json()
        save, on_0 = {"payload": {"title": "Held"}}, {**headers, "If-Match": '"0"'}
        with psycopg.connect(database.admin_url) as holder:  # the lock lasts its transaction
            holder.execute(test_query("lectures_lock"))
            started = time.monotonic()
            held = client.patch(lecture, json=save, headers=on_0)
            took = time.monotonic() - started
            waiting = holder.execute(test_query("lock_waiters")).fetchone()
        body = assert_problem(held, 503, "deadline_exceeded")
        assert held.headers["retry-after"]
        assert DEADLINE <= took < DEADLINE + SLACK
        assert waiting == (0,)  # cancelled in the server, not left waiting behind the lock
        assert client.get(f"{lecture}/history", headers=headers).json() == before
        assert client.get(f"{lecture}/drafts", headers=headers).json() == []
        saved = client.patch(lecture, json=save, headers=on_0)

    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 1
    assert "cancelled" in body["detail"]


async def save_in_a_transaction(url: str, lecture_id: int) -> None:
    """A save in an explicit transaction on a connection with the deadline: its COMMIT waits."""
    conninfo = role_conninfo(url, RUNTIME_ROLE)
    async with (
        await AsyncConnection.connect(conninfo, autocommit=True) as conn,
        deadline(conn, DEADLINE),
        conn.transaction(),
    ):
        await lectures.save_draft(conn, "user-1", lecture_id, 1, patch(title="Kept too?"))


def test_a_commit_no_standby_confirms_is_not_reported_as_saved(
    tmp_path: Path, auth: Headers
) -> None:
    """On a server of its own (~4 s: start, migrate, one restart, two deadlines), whose every
    commit waits for a synchronous standby that is not there: on the shared server that would
    hold every test's commits. The restart applies the setting at once (a reload reaches commits
    a moment later). A save that commits itself, then one whose transaction's COMMIT waits."""
    headers = auth("user-1")
    with (
        own_server() as server,
        TestClient(create_app(deadline_settings(tmp_path), server.url)) as client,
    ):
        lecture = f"/lectures/{new_lecture(client, headers)['lectureId']}"
        with psycopg.connect(server.url, autocommit=True) as admin:
            admin.execute(test_query("standby_required"))
        server.restart()
        started = time.monotonic()
        unconfirmed = client.patch(
            lecture, json={"payload": {"title": "Kept?"}}, headers={**headers, "If-Match": '"0"'}
        )
        took = time.monotonic() - started
        with pytest.raises(CommitUnconfirmed):
            asyncio.run(save_in_a_transaction(server.url, int(lecture.rsplit("/", 1)[1])))
        # A keyed save: unconfirmed, and so is its replay (a replay waits for the standby too).
        keyed = {**headers, "Idempotency-Key": "unconfirmed-save", "If-Match": '"2"'}
        title = {"payload": {"title": "Keyed"}}
        keyed_answers = [client.patch(lecture, json=title, headers=keyed) for _ in range(2)]
        with psycopg.connect(server.url, autocommit=True) as admin:
            admin.execute(test_query("standby_not_required"))
            admin.execute(test_query("configuration_reload"))  # the waiting commits go through
        after = client.get(lecture, headers=headers).json()

    assert_problem(unconfirmed, 503, "commit_unconfirmed")
    assert unconfirmed.headers["retry-after"]
    assert DEADLINE <= took < DEADLINE + SLACK
    assert (after["revision"], after["title"]) == (3, "Keyed")  # committed, not confirmed
    for answer in keyed_answers:
        assert_problem(answer, 503, "commit_unconfirmed")


def test_a_server_that_stops_answering_is_given_up_after_the_cancel(
    database: TestDatabase, pg_server: TestServer, tmp_path: Path, auth: Headers
) -> None:
    """Behind a proxy that freezes (a hung host: nothing answers, not even the cancel), the
    request ends CANCEL_GRACE_SECONDS after its deadline (~3 s), not psycopg's 10 s later."""
    headers = auth()
    with (
        tcp_proxy(pg_server) as proxy,
        TestClient(create_app(deadline_settings(tmp_path), proxy.url(database.name))) as client,
    ):
        lecture = f"/lectures/{new_lecture(client, headers)['lectureId']}"
        quiet_presence(client)
        proxy.freeze()
        started = time.monotonic()
        frozen = client.patch(
            lecture, json={"payload": {"title": "Lost?"}}, headers={**headers, "If-Match": '"0"'}
        )
        took = time.monotonic() - started
        proxy.thaw()  # the app stops as usual
    body = assert_problem(frozen, 503, "deadline_exceeded")
    assert "unknown" in body["detail"]
    assert DEADLINE + CANCEL_GRACE_SECONDS <= took < DEADLINE + CANCEL_GRACE_SECONDS + SLACK


def test_the_503_of_every_route_documents_the_deadline(
    database: TestDatabase, tmp_path: Path
) -> None:
    with TestClient(create_app(deadline_settings(tmp_path), database.admin_url)) as client:
        document = client.get("/schema/openapi.json").json()
    unavailable = [
        answers["503"]["description"]
        for route, path in document["paths"].items()
        if route != "/ready"  # readiness: its own 503, no problem
        for operation in path.values()
        if isinstance(operation, dict) and "503" in (answers := operation.get("responses", {}))
    ]
    assert len(unavailable) > 10
    assert all("TUTOPANDA_REQUEST_DEADLINE_SECONDS" in text for text in unavailable)
