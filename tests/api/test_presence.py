"""Presence across two real `tutopanda serve` processes on one database: who has the lecture's
event stream open, and what each works on (PUT /lectures/{id}/presence), reach every member's
stream on either process; a client killed with SIGKILL leaves; a flood of focus updates is
coalesced and slows nobody.

One pair of servers for the module (~4 s to start); each test makes its own project.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from tests.api.conftest import SECRET
from tests.api.helpers import assert_problem, server_env
from tests.support.databases import cloned_database
from tests.support.processes import serving
from tests.support.server import TestServer
from tests.support.sse import Event, aevents

pytestmark = pytest.mark.asyncio


def bearer(user_id: str, name: str | None = None) -> dict[str, str]:
    claims: dict[str, Any] = {"sub": user_id, "exp": int(time.time()) + 3600}
    if name is not None:
        claims["name"] = name
    return {"Authorization": f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"}


ALICE = bearer("alice", "Alice Liddell")
BOB = bearer("bob", "Bob")
VIOLET = bearer("violet")  # a viewer, no name claim: shown by her id


@dataclass(frozen=True)
class Servers:
    one: str
    two: str


@pytest.fixture(scope="module")
def servers(
    pg_server: TestServer, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Servers]:
    with cloned_database(pg_server, template_db) as database:
        env = server_env(
            database.admin_url,
            tmp_path_factory.mktemp("presence"),
            TUTOPANDA_WRITES_PER_MINUTE="100000",
            TUTOPANDA_MAX_PROJECTS_PER_HOUR="100000",  # each test makes projects whose
            TUTOPANDA_MAX_ACTIVE_RUNS="10000",  # generation runs wait: no worker here
        )
        with serving("--no-worker", env=env) as one, serving("--no-worker", env=env) as two:
            yield Servers(one, two)


async def shared_lecture(base: str) -> int:
    """A lecture of Alice's, shared with Bob (editor) and Violet (viewer)."""
    async with httpx.AsyncClient(base_url=base, headers=ALICE, timeout=10) as http:
        created = (await http.post("/projects", json={"prompt": "Presence"})).json()
        for user, role in (("bob", "editor"), ("violet", "viewer")):
            path = f"/projects/{created['projectId']}/members/{user}"
            answer = await http.put(path, json={"role": role})
            assert answer.status_code == 200, answer.text
        return int(created["lectureId"])


@dataclass
class Watcher:
    """A member's open event stream: the presence events it received, with when."""

    events: list[tuple[float, Event]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def kinds(self) -> list[tuple[str, str]]:
        return [(e.data["kind"], e.data.get("userId", "")) for _, e in self.events]

    async def wait_for(self, kind: str, user: str, timeout: float = 10.0) -> float:
        """When the first `kind` event about `user` arrived."""
        deadline = time.monotonic() + timeout
        while True:
            for at, event in self.events:
                if event.data["kind"] == kind and event.data.get("userId", "") == user:
                    return at
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {kind} of {user}: {self.kinds()}"
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)


@contextlib.asynccontextmanager
async def watching(base: str, headers: dict[str, str], lecture_id: int) -> AsyncIterator[Watcher]:
    watcher = Watcher()
    async with (
        httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http,
        http.stream("GET", f"/lectures/{lecture_id}/events") as response,
    ):
        assert response.status_code == 200

        async def read() -> None:
            async for event in aevents(response, presence=True):
                if event.event == "presence":
                    watcher.events.append((time.monotonic(), event))
                    watcher.arrived.set()

        reader = asyncio.create_task(read())
        try:
            await watcher.wait_for("state", "")
            yield watcher
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
                await reader


async def test_members_on_two_processes_see_each_other_and_their_focus(servers: Servers) -> None:
    lecture_id = await shared_lecture(servers.one)
    async with watching(servers.one, ALICE, lecture_id) as alice:
        assert alice.events[0][1].data == {"kind": "state", "present": []}
        async with (
            watching(servers.two, BOB, lecture_id) as bob,
            httpx.AsyncClient(base_url=servers.two, headers=BOB, timeout=10) as http,
        ):
            await alice.wait_for("joined", "bob")
            await alice.wait_for("joined", "alice")  # her own stream too
            state = bob.events[0][1].data
            assert state["kind"] == "state"
            assert {"userId": "alice", "name": "Alice Liddell", "focus": None} in state["present"]
            delays = []
            for n in range(12):
                focus = {"section": "timeline", "itemId": f"visual-{n}"}
                sent = time.monotonic()
                answer = await http.put(f"/lectures/{lecture_id}/presence", json={"focus": focus})
                assert answer.status_code == 204, answer.text
                while not any(
                    e.data["kind"] == "focus" and e.data["focus"] == focus for _, e in alice.events
                ):
                    alice.arrived.clear()
                    await asyncio.wait_for(alice.arrived.wait(), 5)
                delays.append(time.monotonic() - sent)
                await asyncio.sleep(0.12)  # past the coalescing interval: each one is sent
            seen = [e.data for _, e in alice.events if e.data["kind"] == "focus"]
            assert seen[-1] == {
                "kind": "focus",
                "userId": "bob",
                "name": "Bob",
                "focus": {"section": "timeline", "itemId": "visual-11"},
            }
            assert statistics.median(delays) < 0.1, delays
        await alice.wait_for("left", "bob")  # his stream ended
        async with watching(servers.two, VIOLET, lecture_id) as violet:
            await alice.wait_for("joined", "violet")
            joined = next(e.data for _, e in alice.events if e.data.get("userId") == "violet")
            assert joined["name"] == "violet"  # no name claim: the id
            async with httpx.AsyncClient(base_url=servers.two, headers=VIOLET) as http:
                nothing = await http.put(f"/lectures/{lecture_id}/presence", json={"focus": None})
                assert nothing.status_code == 204  # a viewer is present too
            assert any(e.data["kind"] == "state" for _, e in violet.events)


async def test_a_killed_client_leaves(servers: Servers, tmp_path: Path) -> None:
    """Bob's stream is held by another process, killed with SIGKILL: he is gone at once (the
    server sees the connection close), well within the 30 s of a vanished process."""
    lecture_id = await shared_lecture(servers.one)
    holder = tmp_path / "hold.py"
    holder.write_text(
        "import sys, httpx\n"
        "with httpx.stream('GET', sys.argv[1], headers={'Authorization': sys.argv[2]},"
        " timeout=None) as r:\n"
        "    for line in r.iter_lines():\n"
        "        print(line, flush=True)\n"
    )
    async with watching(servers.one, ALICE, lecture_id) as alice:
        process = subprocess.Popen(
            [
                sys.executable,
                str(holder),
                f"{servers.two}/lectures/{lecture_id}/events",
                BOB["Authorization"],
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            await alice.wait_for("joined", "bob", timeout=30)  # a Python process starting
            killed = time.monotonic()
            process.send_signal(signal.SIGKILL)
            left = await alice.wait_for("left", "bob", timeout=30)
            assert left - killed < 30
        finally:
            process.kill()
            process.wait()


async def test_a_flood_of_focus_updates_is_coalesced_and_slows_nobody(servers: Servers) -> None:
    """Bob sends 400 focus updates as fast as he can: Alice receives at most ~10 a second of
    them, the last one included, and her reads stay fast meanwhile."""
    lecture_id = await shared_lecture(servers.one)
    async with (
        watching(servers.one, ALICE, lecture_id) as alice,
        watching(servers.two, BOB, lecture_id),
        httpx.AsyncClient(base_url=servers.two, headers=BOB, timeout=10) as flood,
        httpx.AsyncClient(base_url=servers.one, headers=ALICE, timeout=10) as reader,
    ):
        await alice.wait_for("joined", "bob")
        path = f"/lectures/{lecture_id}/presence"
        started = time.monotonic()

        async def send(n: int) -> None:
            focus = {"section": "script", "itemId": f"segment-{n}"}
            assert (await flood.put(path, json={"focus": focus})).status_code == 204

        async def read() -> list[float]:
            took = []
            for _ in range(10):
                begun = time.monotonic()
                assert (await reader.get(f"/lectures/{lecture_id}")).status_code == 200
                took.append(time.monotonic() - begun)
            return took

        reads = asyncio.create_task(read())
        for batch in range(40):
            await asyncio.gather(*(send(batch * 10 + n) for n in range(10)))
        elapsed = time.monotonic() - started
        took = await reads
        await send(400)  # after all the others: the one that stays
        await asyncio.sleep(0.3)  # the last coalesced update
        focus = [e.data for _, e in alice.events if e.data["kind"] == "focus"]
        assert focus[-1]["focus"] == {"section": "script", "itemId": "segment-400"}
        assert len(focus) <= elapsed * 10 + 3, (len(focus), elapsed)
        assert max(took) < 1.0, took


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"focus": {"section": "nope"}}, 422, "validation_failed"),
        ({"focus": {"section": "timeline", "itemId": ""}}, 422, "validation_failed"),
        ({"focus": {"section": "timeline", "itemId": "x" * 201}}, 422, "validation_failed"),
        ({"focus": {"section": "timeline", "extra": 1}}, 422, "validation_failed"),
        ({}, 422, "validation_failed"),
        ({"focus": "timeline"}, 422, "validation_failed"),
        # NUL is refused while the body is read, as in every body (api/bodies.py)
        ({"focus": {"section": "timeline", "itemId": "a\u0000b"}}, 400, "bad_request"),
    ],
)
async def test_bad_focus_is_refused_and_a_stranger_404(
    servers: Servers, body: Any, status: int, code: str
) -> None:
    lecture_id = await shared_lecture(servers.one)
    async with httpx.AsyncClient(base_url=servers.one, timeout=10) as http:
        path = f"/lectures/{lecture_id}/presence"
        assert_problem(await http.put(path, json=body, headers=BOB), status, code)
        stranger = bearer("mallory")
        focus = {"focus": {"section": "timeline"}}
        assert_problem(await http.put(path, json=focus, headers=stranger), 404, "not_found")
