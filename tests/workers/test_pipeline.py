"""The lecture generation pipeline end to end, on a real worker and a real database."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture, patch
from tests.support.sql import test_query
from tests.support.worker import running_worker, wait_for_run, worker_settings
from tutopanda.models.lecture import LectureSnapshot
from tutopanda.models.project import ProjectCreate
from tutopanda.store import lectures, projects, workflows
from tutopanda.store.events import lecture_events
from tutopanda.workflows import LECTURE_GENERATION, TIMELINE_RESYNTHESIS

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
EPSILON = 1e-6


def assert_tracks_are_contiguous(lecture: LectureSnapshot) -> None:
    """No gap or overlap on any track; voice and visual span exactly the narration."""
    assert lecture.timeline is not None
    narration_seconds = sum(float(n.duration or 0) for n in lecture.narration)
    tracks = lecture.timeline.tracks
    for name, clips in (("voice", tracks.voice), ("visual", tracks.visual)):
        assert clips, name
        assert float(clips[0].start_time) == 0
        for before, after in itertools.pairwise(clips):
            assert abs(before.end_time - float(after.start_time)) < EPSILON, name
        assert abs(clips[-1].end_time - narration_seconds) < EPSILON, name
    assert [float(m.start_time) for m in tracks.music] == [0.0]
    assert float(tracks.music[0].duration) == pytest.approx(narration_seconds)
    assert float(lecture.timeline.duration) == pytest.approx(narration_seconds)


async def test_generation_pipeline_runs_every_step_once(
    aconn: Conn, admin_aconn: Conn, database: TestDatabase
) -> None:
    created = await new_lecture(aconn, prompt="How the Romans built their roads")
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)

    assert (run.status, run.current_step, run.total_steps, run.error) == ("succeeded", 6, 6, None)
    assert [s.name for s in run.steps] == list(LECTURE_GENERATION.steps)
    assert [s.revision for s in run.steps] == [1, 2, 3, 4, 5, 6]
    assert all(s.attempts == 1 for s in run.steps)

    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert lecture.revision == 6
    assert lecture.title == "How The Romans Built Their"
    assert lecture.script is not None
    segments = len(lecture.script.segments)
    assert segments == 4  # 60 s lecture in 15 s segments (the default settings)
    assert (len(lecture.images), len(lecture.narration), len(lecture.effects)) == (
        segments,
        segments,
        segments,
    )
    assert len(lecture.music) == 1
    assert all(12 <= float(n.duration or 0) <= 18 for n in lecture.narration)  # ~15 s each
    assert_tracks_are_contiguous(lecture)

    history = await (
        await admin_aconn.execute(test_query("history_rows"), {"lecture_id": created.lecture_id})
    ).fetchall()
    assert [(r[0], r[1], r[3]) for r in history[1:]] == [
        (n, "workflow", created.run_id) for n in range(1, 7)
    ]

    events = await lecture_events(aconn, created.lecture_id, -1, 0)
    runs = [e.data for e in events if e.type == "workflow.progress"]
    progress = [(e["status"], e["currentStep"]) for e in runs if e["message"] is None]
    reports = [(e["stepName"], e["message"]) for e in runs if e["message"] is not None]
    assert ("script", "Lecture script ready") in reports
    assert reports[-1] == ("timeline", "Timeline created successfully")
    assert [e.revision for e in events if e.type == "lecture.revised"] == list(range(7))
    assert progress == [
        ("queued", 0),
        ("running", 0),
        ("running", 1),
        ("running", 2),
        ("running", 3),
        ("running", 4),
        ("running", 5),
        ("succeeded", 6),
    ]


async def test_generation_follows_the_project_settings(aconn: Conn, database: TestDatabase) -> None:
    settings = {
        "general": {"duration": "30", "language": "fr", "useVideo": True},
        "narration": {"segmentLength": "10"},
        "video": {"duration": "5", "resolution": "720p"},
    }
    request = ProjectCreate.model_validate({"prompt": "Tides", "settings": settings})
    created = await projects.create_project(aconn, "user-1", request)
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, "user-1", created.run_id)
    assert run.status == "succeeded"
    lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert lecture.script is not None
    assert len(lecture.script.segments) == 3  # 30 s in 10 s segments
    assert [n.language for n in lecture.narration] == ["fr"] * 3
    assert (lecture.images, [(v.resolution, v.duration) for v in lecture.videos]) == (
        [],
        [("720p", 5)] * 3,
    )
    assert lecture.timeline is not None
    visual = lecture.timeline.tracks.visual
    assert [(c.kind, getattr(c, "video_asset_id", None)) for c in visual] == [
        ("video", v.id) for v in lecture.videos
    ]
    assert_tracks_are_contiguous(lecture)


async def test_same_request_generates_the_same_lecture(aconn: Conn, database: TestDatabase) -> None:
    first = await new_lecture(aconn, prompt="Volcanoes")
    second = await new_lecture(aconn, prompt="Volcanoes")
    async with running_worker(worker_settings(), database.admin_url):
        await wait_for_run(aconn, "user-1", first.run_id)
        await wait_for_run(aconn, "user-1", second.run_id)
    a = await lectures.get_lecture(aconn, "user-1", first.lecture_id)
    b = await lectures.get_lecture(aconn, "user-1", second.lecture_id)
    assert a.script == b.script
    assert [n.duration for n in a.narration] == [n.duration for n in b.narration]
    assert a.timeline is not None
    assert b.timeline is not None
    assert a.timeline.duration == b.timeline.duration


async def test_timeline_resynthesis_follows_edited_narration(
    aconn: Conn, database: TestDatabase
) -> None:
    created = await new_lecture(aconn, prompt="Tides")
    settings = worker_settings()
    async with running_worker(settings, database.admin_url):
        await wait_for_run(aconn, "user-1", created.run_id)
        lecture = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
        narration = [
            n.model_dump(mode="json", by_alias=True, exclude_none=True) for n in lecture.narration
        ]
        narration[0]["duration"] = 30
        await lectures.save_draft(
            aconn, "user-1", created.lecture_id, lecture.revision, patch(narration=narration)
        )
        run_id = await workflows.create_run(
            aconn, "user-1", created.lecture_id, TIMELINE_RESYNTHESIS
        )
        run = await wait_for_run(aconn, "user-1", run_id)
    assert (run.status, [s.name for s in run.steps]) == ("succeeded", ["timeline"])
    edited = await lectures.get_lecture(aconn, "user-1", created.lecture_id)
    assert edited.timeline is not None
    assert float(edited.timeline.tracks.voice[0].duration) == 30
    assert_tracks_are_contiguous(edited)
