"""A database failover under load: the primary killed, its synchronous standby promoted."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from psycopg import AsyncConnection

from tests.api.conftest import SECRET
from tests.api.helpers import server_env
from tests.support.factories import new_lecture
from tests.support.failover_clients import Editor, Follower
from tests.support.processes import serve_process
from tests.support.sql import test_query
from tests.support.standby import replicated_pair
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.events.cursor import Cursor
from tutopanda.models.events import LectureEvent
from tutopanda.models.project import CreatedProject
from tutopanda.store import events, workflows
from tutopanda.tokens import issue_token
from tutopanda.workflows import LECTURE_GENERATION

pytestmark = pytest.mark.asyncio
USER = "user-1"
EDITORS = 3  # the first edits the lecture being generated, the others a lecture each
STEP_SECONDS = 0.3  # each generation step takes this long, so that the run spans the failover
HA_DECISION_SECONDS = 1.0  # from the crash to the promotion (HA managers take 10-30 s)
BACK_WITHIN = 5.0  # seconds after the promotion by which every editor saves again
PACED = ",".join(f"{step}=tests.support.generators:Paced" for step in LECTURE_GENERATION.steps)
Run = dict[str, Any]


@dataclass(frozen=True)
class Stored:
    """What the promoted server holds: each lecture's history (revision -> summary), the steps
    of the run (index, revision), the revisions the run wrote, and the events after a point."""

    summaries: dict[tuple[int, int], Any]
    steps: list[tuple[int, int]]
    run_revisions: list[int]
    events: list[LectureEvent]


async def lectures_to_edit(url: str) -> tuple[CreatedProject, list[int]]:
    """A lecture whose generation run will start, and one more lecture per other editor (their
    runs cancelled: only the editor writes them)."""
    conninfo = role_conninfo(url, RUNTIME_ROLE)
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        generated = await new_lecture(conn, USER, prompt="Tides")
        others = [await new_lecture(conn, USER, prompt=f"Dunes {n}") for n in range(1, EDITORS)]
        for other in others:
            await workflows.cancel_run(conn, USER, other.run_id)
    return generated, [generated.lecture_id, *(other.lecture_id for other in others)]


async def run_until(http: httpx.AsyncClient, run_id: str, done: Callable[[Run], bool]) -> Run:
    """GET the run through the service (which answers 503 while it has no database) until
    `done(run)`."""
    deadline = time.monotonic() + 30
    while True:
        response = await http.get(f"/workflow-runs/{run_id}")
        run: Run = response.json()
        if response.status_code == 200 and done(run):
            return run
        assert time.monotonic() < deadline, f"run {run_id}: {response.text}"
        await asyncio.sleep(0.05)


async def all_back(editors: list[Editor], since: float, timeout: float) -> None:
    """Wait until every editor has had a save acknowledged after `since` (or `timeout`)."""
    deadline = time.monotonic() + timeout
    while any(editor.first_ack_after(since) is None for editor in editors):
        if time.monotonic() > deadline:
            return  # the assertions say who
        await asyncio.sleep(0.05)


async def stored(url: str, lecture_ids: list[int], run_id: str, opening: Cursor) -> Stored:
    """Read back from the server at `url` what the clients were told."""
    async with await AsyncConnection.connect(url, autocommit=True) as admin:
        summaries: dict[tuple[int, int], Any] = {}
        run_revisions: list[int] = []
        for lecture_id in lecture_ids:
            rows = await admin.execute(test_query("history_rows"), {"lecture_id": lecture_id})
            for revision, _, _, by_run, *_, data in await rows.fetchall():
                summaries[(lecture_id, revision)] = data["summary"]
                run_revisions += [revision] if by_run == run_id else []
        rows = await admin.execute(test_query("step_rows"), {"run_id": run_id})
        steps = [(index, revision) for index, _, revision, _ in await rows.fetchall()]
    conninfo = role_conninfo(url, RUNTIME_ROLE)
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        after = await events.lecture_events(
            conn, lecture_ids[0], opening.revision, opening.seq, 5000
        )
    return Stored(summaries, steps, sorted(run_revisions), after)


def replayed(opening: Cursor, expected: list[LectureEvent]) -> list[tuple[str, str, Any]]:
    """What a stream opened at `opening` sends of `expected`: each event's type, its id (the
    position once it is seen) and its time."""
    sent: list[tuple[str, str, Any]] = []
    for event in expected:
        opening = opening.after(event)
        sent.append((event.type, opening.event_id(), event.data["at"]))
    return sent


async def test_a_failover_loses_no_acknowledged_save_and_no_event(tmp_path: Path) -> None:
    """Editors save, a generation run goes and a stream follows it while the primary dies
    (SIGKILL of its postmaster) and its synchronous standby is promoted; the service reaches
    both through one multi-host URL.

    It takes seconds: two servers and the service start (~5 s), the run's six steps take
    STEP_SECONDS each so that it spans the failover, HA_DECISION_SECONDS pass between the crash
    and the promotion, and the service needs a moment to find the new primary.
    """
    with replicated_pair() as pair:
        generated, lecture_ids = await lectures_to_edit(pair.primary.url)
        env = server_env(
            pair.url,
            tmp_path / "home",
            TUTOPANDA_GENERATORS=PACED,
            TUTOPANDA_TEST_STEP_SECONDS=str(STEP_SECONDS),
            # three editors of one user save as fast as they can: no write rate of a person
            TUTOPANDA_WRITES_PER_MINUTE="1000000",
        )
        headers = {"Authorization": f"Bearer {issue_token(SECRET, USER)}"}
        with serve_process(env=env, log=tmp_path / "serve.log") as (base, _):
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
                follower = Follower(generated.lecture_id)
                following = asyncio.create_task(follower.follow(http))
                stop = asyncio.Event()
                editors = [Editor(f"editor {n}", id_) for n, id_ in enumerate(lecture_ids)]
                saving = [asyncio.create_task(editor.edit(http, 0, stop)) for editor in editors]

                await run_until(http, generated.run_id, lambda run: run["currentStep"] >= 2)
                killed = time.monotonic()
                pair.kill_primary()
                await asyncio.sleep(HA_DECISION_SECONDS)
                promoting = time.monotonic()
                await asyncio.to_thread(pair.promote)
                promoted = time.monotonic()
                run = await run_until(
                    http, generated.run_id, lambda run: run["status"] not in ("queued", "running")
                )
                finished = time.monotonic()
                await all_back(editors, promoted, timeout=2 * BACK_WITHIN)
                stop.set()
                await asyncio.gather(*saving)

                conninfo = role_conninfo(pair.standby_url, RUNTIME_ROLE)
                async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
                    end = await events.open_stream(conn, USER, generated.lecture_id)
                await follower.wait(Cursor(end.revision, end.progress_seq), following, timeout=15)

        opening = Cursor.parse(follower.events[0].id or "")
        assert opening is not None
        held = await stored(pair.standby_url, lecture_ids, generated.run_id, opening)

    lost = [
        ack
        for editor in editors
        for ack in editor.acknowledged
        if held.summaries.get((ack.lecture_id, ack.revision)) != ack.summary
    ]
    back = {editor.name: editor.first_ack_after(promoted) for editor in editors}
    received = [
        (e.event, e.id, e.data["at"]) for e in follower.events[1:] if e.event != "disconnect"
    ]
    failures = Counter(what for editor in editors for _, what in editor.failures)
    print(  # the figures docs/scaling.md quotes ("High availability")
        f"\nkill -> promote {promoting - killed:.2f} s, promote {promoted - promoting:.2f} s;"
        f" first save after the promotion (s): {back}; run finished {finished - promoted:.2f} s"
        f" after it; saves acknowledged {sum(len(e.acknowledged) for e in editors)}, failed"
        f" {dict(failures)}, slowest answer {max(e.slowest for e in editors):.2f} s;"
        f" stream interruptions {follower.interruptions}; events {len(received)}"
    )
    assert lost == []
    assert all(seconds is not None and seconds < BACK_WITHIN for seconds in back.values()), back
    assert (run["status"], run["currentStep"]) == ("succeeded", len(LECTURE_GENERATION.steps))
    assert [index for index, _ in held.steps] == list(range(1, run["totalSteps"] + 1))
    assert sorted(revision for _, revision in held.steps) == held.run_revisions  # once each
    assert follower.events[0].event == "lecture.state"
    assert received == replayed(opening, held.events)  # no gap, no duplicate, no resync
