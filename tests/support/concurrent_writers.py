"""The writers of the concurrency property test (tests/db/test_concurrency_property.py).

Editors saving whole sections on often stale bases, clip editors changing one field of one clip
of the timeline they last saw and saving it with `merge`, and workflow runs whose steps rewrite
the narration or regenerate one voice clip. Each records what it sent and what it was told.
"""

from __future__ import annotations

import copy
import json
import os
import random
from dataclasses import dataclass, field
from typing import Any, cast

from psycopg import AsyncConnection, IsolationLevel
from psycopg.errors import SerializationFailure

from tests.support.factories import patch
from tutopanda.db.execute import fetch_value
from tutopanda.errors import Unavailable
from tutopanda.models.lecture import SaveResult
from tutopanda.models.workflow import StepOutcome
from tutopanda.store import lectures, workflows
from tutopanda.workflows import WorkflowKind

Conn = AsyncConnection[Any]

CLIPS = 8  # visual and voice clips of each lecture's timeline
# Writes per writer: 60 in `make test` (~2,600 writes, ~20 s under 4 processes); more with
# TUTOPANDA_PROPERTY_WRITES for a longer run of the same schedule.
WRITES_PER_WRITER = int(os.environ.get("TUTOPANDA_PROPERTY_WRITES", "60"))
STRESS = WorkflowKind("stress", tuple(f"step_{i}" for i in range(1, WRITES_PER_WRITER + 1)))
EFFECTS = ("portraitZoomIn", "landscapePanLeft", "architectureRise", "dramaticZoomOut")


@dataclass(frozen=True)
class Save:
    """A save as its editor made it and what it was told; `edited`: the one pointer a clip
    editor changed."""

    lecture_id: int
    base: int
    sections: dict[str, Any]
    result: SaveResult
    merge: bool = False
    edited: str | None = None


@dataclass(frozen=True)
class Step:
    """A workflow step as applied; `owns`: the pointers it meant to write."""

    lecture_id: int
    step: int
    sections: dict[str, Any]
    outcome: StepOutcome
    owns: tuple[str, ...]


@dataclass
class Observed:
    """Everything the writers were told, to check against the history afterwards."""

    saves: list[Save] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    retries: list[tuple[int, int]] = field(default_factory=list)  # (first revision, retried)
    stale_reads: int = 0  # clip regenerations refused by repeatable read, then redone


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
        merge = 0.6 < mode < 0.85
        result = await lectures.save_draft(
            conn, "owner", lecture_id, base, patch(**sections), merge=merge, force=mode >= 0.97
        )
        known[lecture_id] = result.revision
        seen.saves.append(Save(lecture_id, base, sections, result, merge))


async def latest_timeline(conn: Conn, lecture_id: int) -> tuple[int, dict[str, Any]]:
    """The lecture's revision and its timeline exactly as stored."""
    text = await fetch_value(conn, "lecture_get", {"user_id": "owner", "lecture_id": lecture_id})
    snapshot = json.loads(text)
    return int(snapshot["revision"]), snapshot["timeline"]


def with_clip(timeline: dict[str, Any], track: str, clip_id: str, **fields: Any) -> dict[str, Any]:
    """The timeline in its stored form with some fields of one clip replaced."""
    edited = copy.deepcopy(timeline)
    (clip,) = (c for c in edited["tracks"][track] if c["id"] == clip_id)
    clip.update(fields)
    return cast(dict[str, Any], patch(timeline=edited).sections()["timeline"])


def nudge(rng: random.Random, timeline: dict[str, Any], label: str) -> tuple[str, dict[str, Any]]:
    """One field of one clip changed as an editor would (mostly visual clips, sometimes the
    volume of a voice clip a workflow regenerates): its pointer and the new timeline. Values
    come from small sets, so two editors sometimes make the same change."""
    index = rng.randrange(CLIPS)
    track, key = rng.choice(
        [("visual", "name"), ("visual", "startTime"), ("visual", "effectName"), ("voice", "volume")]
    )
    clip_id = f"{track}-{index}"
    (clip,) = (c for c in timeline["tracks"][track] if c["id"] == clip_id)
    options: dict[str, list[Any]] = {
        "name": [f"clip {label}"],
        "startTime": [index * 7.5 + k / 8 for k in range(16)],
        "effectName": list(EFFECTS),
        "volume": [k / 20 for k in range(2, 21)],
    }
    value = rng.choice([v for v in options[key] if v != clip.get(key)])
    return f"/timeline/tracks/{track}/{clip_id}/{key}", with_clip(
        timeline, track, clip_id, **{key: value}
    )


async def clip_editor(
    conn: Conn, rng: random.Random, writer: int, lecture_ids: list[int], seen: Observed
) -> None:
    """Edits the timeline it last saw (its own save's, or one it read) and saves with `merge`;
    after a merge or a refusal it reads the lecture again, as the editor does."""
    views: dict[int, tuple[int, dict[str, Any]]] = {}
    for n in range(WRITES_PER_WRITER):
        lecture_id = rng.choice(lecture_ids)
        if lecture_id not in views or rng.random() < 0.2:
            views[lecture_id] = await latest_timeline(conn, lecture_id)
        base, timeline = views.pop(lecture_id)
        pointer, edited = nudge(rng, timeline, f"{writer}-{n}")
        sections = {"timeline": edited}
        result = await lectures.save_draft(
            conn, "owner", lecture_id, base, patch(**sections), merge=True
        )
        seen.saves.append(Save(lecture_id, base, sections, result, True, pointer))
        if result.status == "saved" and result.merged_onto is None:
            views[lecture_id] = (result.revision, edited)


async def regenerate_clip(
    conn: Conn, rng: random.Random, run_id: str, lecture_id: int, step: int, *, seen: Observed
) -> Step:
    """A step that regenerates one voice clip: the latest timeline with that clip's audio and
    duration replaced. A step writes its sections whole, so it reads and writes in one
    repeatable-read transaction; a writer that came between refuses it (40001) and it is redone."""
    clip_id = f"voice-{rng.randrange(CLIPS)}"
    fields: dict[str, Any] = {
        "audioUrl": f"https://cdn.example.com/{run_id}/{step}.mp3",
        "duration": round(rng.uniform(6.0, 9.0), 3),
    }
    owns = tuple(f"/timeline/tracks/voice/{clip_id}/{key}" for key in fields)
    for _ in range(100):
        try:
            async with conn.transaction():
                _, timeline = await latest_timeline(conn, lecture_id)
                sections = {"timeline": with_clip(timeline, "voice", clip_id, **fields)}
                outcome = await workflows.apply_step(conn, run_id, step, f"step_{step}", sections)
            return Step(lecture_id, step, sections, outcome, owns)
        except Unavailable as error:  # what the store makes of a serialization failure
            if not isinstance(error.__cause__, SerializationFailure):
                raise
            seen.stale_reads += 1
    raise AssertionError(f"step {step} of {run_id} never read the latest timeline")


async def workflow(
    conn: Conn, rng: random.Random, lecture_id: int, run_id: str, seen: Observed
) -> None:
    await conn.set_isolation_level(IsolationLevel.REPEATABLE_READ)  # transaction() blocks only
    for step in range(1, WRITES_PER_WRITER + 1):
        if step % 2 == 0 and step % 10 != 0:
            applied = await regenerate_clip(conn, rng, run_id, lecture_id, step, seen=seen)
        else:
            sections = (
                {}
                if step % 10 == 0
                else {"narration": [{"id": f"narration-{step}", "duration": step}]}
            )
            outcome = await workflows.apply_step(conn, run_id, step, f"step_{step}", sections)
            applied = Step(lecture_id, step, sections, outcome, tuple(f"/{k}" for k in sections))
        seen.steps.append(applied)
        if rng.random() < 0.2:
            retried = await workflows.apply_step(
                conn, run_id, step, f"step_{step}", {"title": "must not be written"}
            )
            assert not retried.applied
            seen.retries.append((applied.outcome.revision, retried.revision))
