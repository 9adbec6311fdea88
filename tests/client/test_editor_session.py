"""`EditorSession` against a real server: debounced saves, one in flight, merges and conflicts."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.client.conftest import agenerated_lecture
from tests.client.editing import SlowSaves, until
from tutopanda.client import (
    AsyncTutopandaClient,
    EditorSession,
    SessionStatus,
    TransportError,
    ValidationFailed,
)
from tutopanda.client.models import LectureSnapshot

pytestmark = pytest.mark.asyncio
DEBOUNCE = 0.2


@pytest_asyncio.fixture
async def lecture(aclient: AsyncTutopandaClient) -> LectureSnapshot:
    return await agenerated_lecture(aclient)


@pytest_asyncio.fixture
async def slow(base_url: str, token: str) -> AsyncIterator[tuple[AsyncTutopandaClient, SlowSaves]]:
    transport = SlowSaves()
    async with AsyncTutopandaClient(base_url, token, transport=transport) as client:
        yield client, transport


async def revisions_after(client: AsyncTutopandaClient, lecture: LectureSnapshot) -> list[int]:
    page = await client.list_history(lecture.id, limit=50)
    return sorted(item.revision for item in page.items if item.revision > lecture.revision)


async def test_a_burst_of_edits_is_one_save_after_the_debounce(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    seen: list[SessionStatus] = []
    # 0.4 s of typing, never quiet for a whole debounce: 1 s, however late a loaded machine wakes
    # the test (a burst at 0.2 s became two saves in a CI run of the sync session's test).
    async with EditorSession(aclient, lecture.id, debounce=1.0, on_status=seen.append) as session:
        for step in range(8):
            session.edit("title", f"Typing {step}")
            await asyncio.sleep(0.05)
        assert session.dirty == {"title"}
        assert await revisions_after(aclient, lecture) == []
        saved = await until(session, lambda s: s.status == "saved")
        assert saved.revision == lecture.revision + 1
        assert session.value("title") == "Typing 7"
    assert await revisions_after(aclient, lecture) == [lecture.revision + 1]
    assert (await aclient.get_lecture(lecture.id)).title == "Typing 7"
    # One save: idle while typing, saving, saved. A status repeats when something else in it
    # changes meanwhile: under load, an event naming a newer server revision (the save's own)
    # came in before the save's answer, and "saving" was published twice (a CI run).
    assert [label for label, _ in itertools.groupby(s.status for s in seen)] == [
        "idle",
        "saving",
        "saved",
    ]


async def test_edits_during_a_save_are_saved_after_it(
    slow: tuple[AsyncTutopandaClient, SlowSaves], lecture: LectureSnapshot
) -> None:
    client, wire = slow
    wire.delay = 0.6
    async with EditorSession(client, lecture.id, debounce=DEBOUNCE) as session:
        session.edit("title", "First")
        await until(session, lambda s: s.status == "saving")
        session.edit("summary", "Typed while saving")
        session.edit("title", "Second")
        assert session.value("title") == "Second"
        await until(session, lambda s: s.status == "saved" and not s.dirty)
    first, second = wire.saves
    assert json.loads(first.body)["payload"] == {"title": "First"}
    assert json.loads(second.body)["payload"] == {
        "summary": "Typed while saving",
        "title": "Second",
    }
    assert second.started >= first.ended  # never two saves in flight
    after = await client.get_lecture(lecture.id)
    assert (after.title, after.summary, after.revision) == (
        "Second",
        "Typed while saving",
        lecture.revision + 2,
    )


async def test_flush_saves_at_once(aclient: AsyncTutopandaClient, lecture: LectureSnapshot) -> None:
    async with EditorSession(aclient, lecture.id, debounce=60) as session:
        session.edit("summary", "Now")
        status = await asyncio.wait_for(session.flush(), 5)
        assert (status.status, status.revision) == ("saved", lecture.revision + 1)
        session.edit("summary", "On close")
    assert (await aclient.get_lecture(lecture.id)).summary == "On close"


def _images_with(lecture: LectureSnapshot, index: int, prompt: str) -> list[dict[str, object]]:
    images = [
        image.model_dump(mode="json", by_alias=True, exclude_unset=True) for image in lecture.images
    ]
    images[index] = {**images[index], "prompt": prompt}
    return images


@pytest.mark.parametrize("follow_events", [True, False], ids=["event-seen", "refused-then-merged"])
async def test_another_writers_save_to_another_part_is_merged(
    slow: tuple[AsyncTutopandaClient, SlowSaves], lecture: LectureSnapshot, follow_events: bool
) -> None:
    client, wire = slow
    assert len(lecture.images) >= 2
    async with EditorSession(
        client, lecture.id, debounce=1.0, follow_events=follow_events
    ) as session:
        session.edit("images", _images_with(lecture, 0, "Mine: the first image"))
        other = await client.save_lecture(
            lecture.id,
            {"images": _images_with(lecture, 1, "Theirs: the second")},
            base_revision=lecture.revision,
        )
        if follow_events:  # the session hears of it before its own save
            await until(session, lambda s: s.server_revision == other.revision, timeout=0.9)
        status = await until(session, lambda s: s.status == "saved" and s.revision > other.revision)
        images = session.value("images")
        assert isinstance(images, list)
        prompts = [image["prompt"] for image in images if isinstance(image, dict)]
    assert prompts[:2] == ["Mine: the first image", "Theirs: the second"]
    latest = await client.get_lecture(lecture.id)
    assert [image.prompt for image in latest.images[:2]] == prompts[:2]
    assert status.revision == latest.revision == other.revision + 1
    theirs, mine = wire.saves[:2]  # the other writer's save went through this client too
    assert theirs.if_match == mine.if_match == f'"{lecture.revision}"'
    assert json.loads(mine.body).get("merge", False) == follow_events
    assert await client.list_drafts(lecture.id) == []


async def test_a_dropped_save_is_sent_again(
    slow: tuple[AsyncTutopandaClient, SlowSaves], lecture: LectureSnapshot
) -> None:
    client, wire = slow
    wire.fail = 1
    async with EditorSession(client, lecture.id, debounce=DEBOUNCE, retry_seconds=0.3) as session:
        session.edit("summary", "Survives a dropped connection")
        failed = await until(session, lambda s: s.status == "error")
        assert failed.dirty == {"summary"}
        assert isinstance(failed.error, TransportError)
        await until(session, lambda s: s.status == "saved")
    assert len(wire.saves) == 2
    assert (await client.get_lecture(lecture.id)).summary == "Survives a dropped connection"


async def test_a_save_whose_answer_was_lost_is_answered_not_made_twice(
    slow: tuple[AsyncTutopandaClient, SlowSaves], lecture: LectureSnapshot
) -> None:
    """The save went through but its answer was lost: the session sends the same request with
    the same Idempotency-Key and gets the first answer (not a conflict with its own revision);
    what was typed meanwhile is saved after it."""
    client, wire = slow
    wire.lose = 1
    async with EditorSession(client, lecture.id, debounce=DEBOUNCE, retry_seconds=0.3) as session:
        session.edit("summary", "Saved once")
        failed = await until(session, lambda s: s.status == "error")
        assert isinstance(failed.error, TransportError)
        session.edit("title", "Typed while offline")
        await until(session, lambda s: s.status == "saved" and not s.dirty)
    first, again, after = wire.saves
    assert (again.key, again.body) == (first.key, first.body)
    assert after.key != first.key
    assert await revisions_after(client, lecture) == [lecture.revision + 1, lecture.revision + 2]
    assert await client.list_drafts(lecture.id) == []
    saved = await client.get_lecture(lecture.id)
    assert (saved.summary, saved.title) == ("Saved once", "Typed while offline")


async def test_edits_a_lecture_cannot_hold_are_refused_at_once(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    async with EditorSession(aclient, lecture.id, debounce=DEBOUNCE) as session:
        with pytest.raises(ValueError, match="unknown section"):
            session.edit("colour", "red")
        with pytest.raises(ValueError, match="not JSON"):
            session.edit("summary", float("nan"))
        session.edit("title", 42)  # JSON, but not a title: the server names the field
        failed = await until(session, lambda s: s.status == "error")
        assert isinstance(failed.error, ValidationFailed)
        assert failed.error.fields == ["payload.title"]
        session.edit("title", "Fixed")
        await until(session, lambda s: s.status == "saved")
    assert (await aclient.get_lecture(lecture.id)).title == "Fixed"


async def test_a_clean_session_pulls_another_writers_revision(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    pulled: list[LectureSnapshot] = []
    async with EditorSession(aclient, lecture.id, on_snapshot=pulled.append) as session:
        other = await aclient.save_lecture(
            lecture.id, {"summary": "From elsewhere"}, base_revision=lecture.revision
        )
        await until(session, lambda s: s.revision == other.revision)
        assert session.value("summary") == "From elsewhere"
    assert [snapshot.revision for snapshot in pulled] == [other.revision]


async def _clash(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot, session: EditorSession
) -> SessionStatus:
    """The session and another writer change the title differently; the other one first."""
    session.edit("title", "Mine")
    await aclient.save_lecture(lecture.id, {"title": "Theirs"}, base_revision=lecture.revision)
    return await until(session, lambda s: s.status in ("conflict", "saved") and not s.dirty)


async def test_a_true_conflict_is_reported_and_the_edit_kept(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    async with EditorSession(aclient, lecture.id, debounce=DEBOUNCE) as session:
        status = await _clash(aclient, lecture, session)
        report = status.conflict
        assert status.status == "conflict"
        assert report is not None
        assert (report.policy, report.pointers, report.sections) == (
            "merge",
            ["/title"],
            {"title": "Mine"},
        )
        assert report.draft_id is not None
        assert session.value("title") == "Mine"
        assert session.held == {"title": "Mine"}
        (draft,) = await aclient.list_drafts(lecture.id)
        assert (draft.id, draft.sections) == (report.draft_id, {"title": "Mine"})
        assert (await aclient.get_lecture(lecture.id)).title == "Theirs"

        session.edit("summary", "Other edits still save")
        await until(session, lambda s: not s.dirty and s.status == "conflict")
        await session.reapply()
        assert session.status.status == "saved"
        await until(session, lambda s: s.revision == s.server_revision and not s.dirty)
    latest = await aclient.get_lecture(lecture.id)
    assert (latest.title, latest.summary) == ("Mine", "Other edits still save")
    newest = (await aclient.list_history(lecture.id, limit=1)).items[0]
    assert (newest.changed_sections, newest.forced) == (["title"], True)
    assert await aclient.list_drafts(lecture.id) == []


async def test_reload_after_a_conflict_shows_theirs_and_keeps_the_draft(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    async with EditorSession(aclient, lecture.id, debounce=DEBOUNCE) as session:
        status = await _clash(aclient, lecture, session)
        assert status.conflict is not None
        await session.reload()
        assert session.value("title") == "Theirs"
        assert session.status.status == "idle"
    (draft,) = await aclient.list_drafts(lecture.id)
    assert (draft.id, draft.sections) == (status.conflict.draft_id, {"title": "Mine"})


async def test_the_reload_policy_takes_the_servers_snapshot(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    async with EditorSession(aclient, lecture.id, debounce=DEBOUNCE, policy="reload") as session:
        session.edit("summary", "Mine, on another section")
        other = await aclient.save_lecture(
            lecture.id, {"title": "Theirs"}, base_revision=lecture.revision
        )
        status = await until(
            session, lambda s: s.status == "conflict" and s.revision == other.revision
        )
        report = status.conflict
        assert report is not None
        assert (report.policy, report.sections) == (
            "reload",
            {"summary": "Mine, on another section"},
        )
        assert session.value("title") == "Theirs"
        assert session.value("summary") == lecture.summary
    assert report.draft_id is not None
    draft = await aclient.get_draft(lecture.id, report.draft_id)
    assert draft.sections == {"summary": "Mine, on another section"}


async def test_the_force_policy_overwrites_and_leaves_no_draft(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot
) -> None:
    async with EditorSession(aclient, lecture.id, debounce=DEBOUNCE, policy="force") as session:
        status = await _clash(aclient, lecture, session)
        assert (status.status, status.conflict) == ("saved", None)
    latest = await aclient.get_lecture(lecture.id)
    newest = (await aclient.list_history(lecture.id, limit=1)).items[0]
    assert (latest.title, newest.forced) == ("Mine", True)
    assert await aclient.list_drafts(lecture.id) == []


async def test_a_failing_callback_does_not_stop_auto_save(
    aclient: AsyncTutopandaClient, lecture: LectureSnapshot, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_status: SessionStatus) -> None:
        raise RuntimeError("the editor's own bug")

    async with EditorSession(aclient, lecture.id, debounce=DEBOUNCE, on_status=broken) as session:
        session.edit("summary", "Saved anyway")
        status = await until(session, lambda s: s.status == "saved")
    assert status.error is None
    assert (await aclient.get_lecture(lecture.id)).summary == "Saved anyway"
    assert "callback of an editor session failed" in caplog.text
