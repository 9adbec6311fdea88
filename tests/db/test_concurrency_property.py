"""Many concurrent writers on a few lectures: the history stays exact, nothing is lost.

32 writers x 100 writes each on 4 lectures: 28 editor sessions saving random sections on random,
often stale, base revisions (strict, merge or force), and 4 workflow runs applying 100 steps each
(sometimes retrying a step). Afterwards every invariant of the revision engine is checked.
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass, field
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture, patch
from tests.support.sql import test_query
from tutopanda.models.lecture import SaveResult
from tutopanda.store import lectures, workflows
from tutopanda.workflows import WorkflowKind

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]

LECTURES = 4
EDITORS = 28
WRITES_PER_WRITER = 100
STRESS = WorkflowKind("stress", tuple(f"step_{i}" for i in range(1, WRITES_PER_WRITER + 1)))
SEED = int(os.environ.get("TUTOPANDA_PROPERTY_SEED", "20261125"))


@dataclass
class Observed:
    """Everything the writers were told, to check against the history afterwards."""

    saves: list[tuple[int, int, dict[str, Any], SaveResult]] = field(default_factory=list)
    steps: list[tuple[int, int, dict[str, Any], int, bool]] = field(default_factory=list)
    retries: list[tuple[int, int]] = field(default_factory=list)  # (first revision, retried)


def random_sections(rng: random.Random, writer: int, n: int) -> dict[str, Any]:
    choices: dict[str, Any] = {
        "title": f"title {writer}-{n}",
        "summary": rng.choice([None, f"summary {writer}-{n}"]),
        "script": {
            "segments": [{"narration": f"n {writer}-{n}", "backgroundMusic": "m", "effect": "e"}]
        },
    }
    keys = rng.sample(sorted(choices), rng.randint(1, 3))
    return {key: choices[key] for key in keys}


async def editor(
    conn: Conn, rng: random.Random, writer: int, lecture_ids: list[int], seen: Observed
) -> None:
    known = dict.fromkeys(lecture_ids, 0)
    for n in range(WRITES_PER_WRITER):
        lecture_id = rng.choice(lecture_ids)
        if rng.random() < 0.3:
            known[lecture_id] = (await lectures.get_lecture(conn, "owner", lecture_id)).revision
        base = max(0, known[lecture_id] - rng.choice([0, 0, 1, 2, 5]))
        sections = random_sections(rng, writer, n)
        mode = rng.random()
        result = await lectures.save_draft(
            conn,
            "owner",
            lecture_id,
            base,
            patch(**sections),
            merge=0.6 < mode < 0.85,
            force=mode >= 0.97,
        )
        known[lecture_id] = result.revision
        seen.saves.append((lecture_id, base, sections, result))


async def workflow(
    conn: Conn, rng: random.Random, lecture_id: int, run_id: str, seen: Observed
) -> None:
    for step in range(1, WRITES_PER_WRITER + 1):
        sections = {"narration": [{"id": f"narration-{step}", "duration": step}]}
        if step % 10 == 0:
            sections = {}
        outcome = await workflows.apply_step(conn, run_id, step, f"step_{step}", sections)
        seen.steps.append((lecture_id, step, sections, outcome.revision, outcome.applied))
        if rng.random() < 0.2:
            retried = await workflows.apply_step(
                conn, run_id, step, f"step_{step}", {"title": "must not be written"}
            )
            assert not retried.applied
            seen.retries.append((outcome.revision, retried.revision))


async def test_concurrent_writers_keep_the_history_exact(
    database: TestDatabase, admin_aconn: Conn
) -> None:
    rng = random.Random(SEED)
    connections = [
        await AsyncConnection.connect(database.runtime_conninfo, autocommit=True)
        for _ in range(EDITORS + LECTURES)
    ]
    try:
        created = [
            await new_lecture(connections[0], "owner", workflow=STRESS) for _ in range(LECTURES)
        ]
        lecture_ids = [c.lecture_id for c in created]
        seen = Observed()
        writers = [
            editor(connections[i], random.Random(rng.random()), i, lecture_ids, seen)
            for i in range(EDITORS)
        ] + [
            workflow(
                connections[EDITORS + i], random.Random(rng.random()), c.lecture_id, c.run_id, seen
            )
            for i, c in enumerate(created)
        ]
        await asyncio.gather(*writers)
    finally:
        for conn in connections:
            await conn.close()

    await check_history(admin_aconn, lecture_ids, seen)


async def check_history(admin: Conn, lecture_ids: list[int], seen: Observed) -> None:
    data: dict[tuple[int, int], dict[str, Any]] = {}
    for lecture_id in lecture_ids:
        rows = await (
            await admin.execute(test_query("history_rows"), {"lecture_id": lecture_id})
        ).fetchall()
        current = await (
            await admin.execute(test_query("lecture_content"), {"lecture_id": lecture_id})
        ).fetchone()
        lecture = await (
            await admin.execute(test_query("lecture_row"), {"lecture_id": lecture_id})
        ).fetchone()
        assert lecture is not None
        assert current is not None
        revisions = [row[0] for row in rows]
        assert revisions == list(range(lecture[1] + 1)), "gap or duplicate in the history"
        assert rows[-1][7] == current[0], "the lecture differs from its last history snapshot"
        data.update({(lecture_id, row[0]): row[7] for row in rows})
        saves = sum(1 for save in seen.saves if save[0] == lecture_id and save[3].changed_sections)
        steps = sum(1 for step in seen.steps if step[0] == lecture_id and step[2])
        assert saves + steps == lecture[1], "a revision without a writer, or a lost write"

    for lecture_id, base, sections, result in seen.saves:
        if result.status == "saved":
            stored = data[(lecture_id, result.revision)]
            sent = patch(**sections).sections()
            if result.merged_onto is None:
                assert {key: stored[key] for key in sections} == sent
            else:  # merged: every section this editor changed since its base is its own
                made_on = data[(lecture_id, base)]
                changed = {key: value for key, value in sent.items() if made_on[key] != value}
                assert {key: stored[key] for key in changed} == changed
        else:
            assert result.lecture is not None
            assert result.lecture.revision > base  # bases never run ahead of the lecture here

    for lecture_id, _step, sections, revision, applied in seen.steps:
        assert applied
        for key, value in sections.items():
            assert data[(lecture_id, revision)][key] == value
    assert all(first == again for first, again in seen.retries)
    assert any(r.status == "conflict" for *_, r in seen.saves)
    assert any(r.status == "saved" and r.changed_sections for *_, r in seen.saves)
