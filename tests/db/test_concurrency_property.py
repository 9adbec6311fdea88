"""Many concurrent writers on a few lectures: the history stays exact, nothing is lost.

44 writers x 60 writes each (TUTOPANDA_PROPERTY_WRITES: 100 and more for a longer run) on 4
lectures, each with a timeline of 8 visual and 8 voice clips: 28 editor sessions saving random
sections on random, often stale, base revisions (strict, merge or force), 12 editors changing one
field of one clip of the timeline they last saw and saving it with `merge`, and 4 workflow runs
applying as many steps each (sometimes retrying a step) that alternately rewrite the narration
and regenerate one voice clip (tests/support/concurrent_writers). Afterwards every invariant of
the revision engine is checked; every revision is shown to change only what its writer changed,
so no acknowledged change is lost or silently undone; and, on the same schedule, the merge saves
the path-level merge refused (409) are counted against those a section-level merge would have
refused (printed: `pytest -s`).
"""

from __future__ import annotations

import asyncio
import os
import random
from collections import Counter
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.concurrent_writers import (
    CLIPS,
    STRESS,
    Observed,
    Save,
    clip_editor,
    editor,
    workflow,
)
from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture, patch, timeline_of
from tests.support.json_paths import ABSENT, changed, covered, flatten
from tests.support.sql import test_query
from tutopanda.jsonvalue import same_json
from tutopanda.models.timeline import Timeline
from tutopanda.store import lectures, rebase

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
Revisions = dict[tuple[int, int], dict[str, Any]]  # the content of each (lecture, revision)

LECTURES = 4
EDITORS = 28
CLIP_EDITORS = 12
SEED = int(os.environ.get("TUTOPANDA_PROPERTY_SEED", "20261125"))


async def test_concurrent_writers_keep_the_history_exact(
    database: TestDatabase, admin_aconn: Conn
) -> None:
    rng = random.Random(SEED)
    connections = [
        await AsyncConnection.connect(database.runtime_conninfo, autocommit=True)
        for _ in range(EDITORS + CLIP_EDITORS + LECTURES)
    ]
    seen = Observed()
    try:
        created = [
            await new_lecture(connections[0], "owner", workflow=STRESS) for _ in range(LECTURES)
        ]
        lecture_ids = [c.lecture_id for c in created]
        for lecture_id in lecture_ids:
            sections = {"timeline": timeline_of(CLIPS)}
            result = await lectures.save_draft(
                connections[0], "owner", lecture_id, 0, patch(**sections)
            )
            seen.saves.append(Save(lecture_id, 0, sections, result))
        clip_connections = connections[EDITORS : EDITORS + CLIP_EDITORS]
        writers = (
            [
                editor(connections[i], random.Random(rng.random()), i, lecture_ids, seen)
                for i in range(EDITORS)
            ]
            + [
                clip_editor(conn, random.Random(rng.random()), i, lecture_ids, seen)
                for i, conn in enumerate(clip_connections)
            ]
            + [
                workflow(
                    connections[EDITORS + CLIP_EDITORS + i],
                    random.Random(rng.random()),
                    c.lecture_id,
                    c.run_id,
                    seen,
                )
                for i, c in enumerate(created)
            ]
        )
        await asyncio.gather(*writers)
    finally:
        for conn in connections:
            await conn.close()

    data = await check_history(admin_aconn, lecture_ids, seen)
    check_nothing_lost(data, seen)
    await compare_with_section_merge(admin_aconn, lecture_ids, data, seen)


async def check_history(admin: Conn, lecture_ids: list[int], seen: Observed) -> Revisions:
    data: Revisions = {}
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
        saves = sum(
            1 for s in seen.saves if s.lecture_id == lecture_id and s.result.changed_sections
        )
        steps = sum(1 for s in seen.steps if s.lecture_id == lecture_id and s.sections)
        assert saves + steps == lecture[1], "a revision without a writer, or a lost write"

    for save in seen.saves:
        result = save.result
        if result.status == "saved" and result.merged_onto is None:
            stored = data[(save.lecture_id, result.revision)]
            assert {key: stored[key] for key in save.sections} == patch(**save.sections).sections()
        elif result.status == "conflict":
            assert result.lecture is not None
            assert result.lecture.revision > save.base  # bases never run ahead of the lecture here
            assert result.draft_id is not None  # the refused sections are kept

    for step in seen.steps:
        assert step.outcome.applied
        for key, value in step.sections.items():
            assert data[(step.lecture_id, step.outcome.revision)][key] == value
    assert all(first == again for first, again in seen.retries)
    assert any(s.result.status == "conflict" for s in seen.saves)
    assert any(s.result.status == "saved" and s.result.changed_sections for s in seen.saves)
    for content in data.values():  # the derived duration is recomputed by every write, merges too
        if content["timeline"] is not None:
            assert (
                content["timeline"]["duration"]
                == Timeline.model_validate(content["timeline"]).duration
            )
    return data


def intent(save: Save, data: Revisions) -> dict[str, Any]:
    """What a save meant to write, by pointer: the sections it sent (on its own base, or forced),
    or, merged onto a newer revision, only the pointers it changed since its base."""
    sent = patch(**save.sections).sections()
    if save.result.merged_onto is None:
        return flatten(sent, sent)
    base = data[(save.lecture_id, save.base)]
    before, after = flatten(base), flatten({**base, **sent})
    return {pointer: after.get(pointer, ABSENT) for pointer in changed(before, after)}


def check_nothing_lost(data: Revisions, seen: Observed) -> None:
    """Every acknowledged write holds what it meant to write in the revision it produced, and
    every revision changes only pointers its writer meant to write: so no acknowledged change
    is undone later except by a later acknowledged write of the same pointer."""
    writers: dict[tuple[int, int], tuple[str, dict[str, Any], tuple[str, ...]]] = {}
    for save in seen.saves:
        if save.edited is not None:  # a clip editor changed exactly one pointer of its base
            base = data[(save.lecture_id, save.base)]
            mine = flatten({**base, **patch(**save.sections).sections()})
            assert changed(flatten(base), mine) == {save.edited}
        if save.result.status == "saved" and save.result.changed_sections:
            wanted = intent(save, data)
            merged = save.result.merged_onto is not None
            owns = tuple(wanted) if merged else tuple(f"/{name}" for name in save.sections)
            key = (save.lecture_id, save.result.revision)
            assert key not in writers
            writers[key] = (f"save on {save.base}", wanted, owns)
    for step in seen.steps:
        if step.sections:
            wanted = {
                p: v
                for p, v in flatten(step.sections, step.sections).items()
                if covered(p, step.owns)
            }
            key = (step.lecture_id, step.outcome.revision)
            assert key not in writers
            writers[key] = (f"step {step.step}", wanted, step.owns)

    missing, undone = [], []
    for (lecture_id, revision), (writer, wanted, owns) in sorted(writers.items()):
        after = flatten(data[(lecture_id, revision)])
        before = flatten(data[(lecture_id, revision - 1)])
        missing += [
            (lecture_id, revision, writer, pointer)
            for pointer, value in wanted.items()
            if not same_json(after.get(pointer, ABSENT), value)
        ]
        undone += [
            (lecture_id, revision, writer, pointer)
            for pointer in changed(before, after)
            if not covered(pointer, owns)
        ]
    assert missing == [], "an acknowledged change is not in the revision it produced"
    assert undone == [], "a revision changed what its writer did not: another writer's change lost"


async def compare_with_section_merge(
    admin: Conn, lecture_ids: list[int], data: Revisions, seen: Observed
) -> None:
    """Every merge save that met a newer revision kept a draft in the database, with its base and
    the revision it met first. A section-level merge decides there, under the lecture's lock:
    it refuses when a sent section changed between the two. The path-level merge refuses on a
    conflict there, on a conflict with a revision that came while it merged (after a lost race),
    or after losing every race it may retry."""
    merges = [s for s in seen.saves if s.merge]
    refused = {s.result.draft_id: s.result for s in merges if s.result.status == "conflict"}
    counts = {kind: Counter[str]() for kind in ("clip editors", "section editors")}
    stricter = []  # refused by the path-level merge where a section-level merge saves
    for lecture_id in lecture_ids:
        drafts = await (
            await admin.execute(test_query("draft_rows"), {"lecture_id": lecture_id})
        ).fetchall()
        for draft_id, _author, base, met, sections, resolution, _resolved in drafts:
            if resolution != "merged" and draft_id not in refused:
                continue  # a plain save's draft
            count = counts["clip editors" if sections == ["timeline"] else "section editors"]
            before, latest = data[(lecture_id, base)], data[(lecture_id, met)]
            section_refuses = any(not same_json(before[s], latest[s]) for s in sections)
            count["stale"] += 1
            count["section-level"] += section_refuses
            result = refused.get(draft_id)
            if result is None:
                continue
            count["path-level"] += 1
            if not result.conflicts:
                count["out of retries"] += 1
            elif result.revision != met:
                count["after a race"] += 1
            elif not section_refuses:
                stricter.append((lecture_id, draft_id))
    total = sum(counts.values(), Counter[str]())
    merged = sum(1 for s in merges if s.result.merged_onto is not None)
    assert total["stale"] == len(refused) + merged  # every stale merge save kept its draft
    print(f"\nmerge saves: {len(merges)}; stale (met a newer revision) and refused (409) on the")
    print("same schedule by the path-level merge and by a section-level merge:")
    for kind, count in [*counts.items(), ("all", total)]:
        print(
            f"  {kind:>15}: {count['stale']:4} stale; path-level {count['path-level']:4} "
            f"({count['after a race']} after a race, {count['out of retries']} out of "
            f"{rebase.MERGE_ATTEMPTS} attempts); section-level {count['section-level']:4}"
        )
    print(f"  clip regenerations that read a stale timeline and were redone: {seen.stale_reads}")
    assert stricter == [], "a path-level merge refused what a section-level merge would save"
    assert total["path-level"] < total["section-level"]
    assert counts["clip editors"]["path-level"] < counts["clip editors"]["section-level"]
