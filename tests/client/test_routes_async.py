"""`AsyncTutopandaClient`: every route against a real server, as the sync client's tests do."""

from __future__ import annotations

import pytest

from tests.client.conftest import agenerated_lecture
from tutopanda.client import AsyncTutopandaClient, RevisionConflict

pytestmark = pytest.mark.asyncio


async def test_projects_and_settings(aclient: AsyncTutopandaClient) -> None:
    assert await aclient.health() is True
    assert await aclient.ready() is True
    created = await aclient.create_project("Deserts", name="Dry lands")
    (project,) = (await aclient.list_projects()).items
    assert (project.id, project.name) == (created.project_id, "Dry lands")
    detail = await aclient.get_project(created.project_id)
    updated = await aclient.update_project(
        created.project_id,
        base_revision=detail.settings_revision,
        settings={"image": {"style": "Watercolor"}},
    )
    image = updated.settings["image"]
    assert isinstance(image, dict)
    assert image["style"] == "Watercolor"


async def test_lecture_history_drafts_and_workflows(aclient: AsyncTutopandaClient) -> None:
    lecture = await agenerated_lecture(aclient)
    lecture_id, base = lecture.id, lecture.revision
    assert await aclient.get_lecture_if_changed(lecture_id, base) is None
    saved = await aclient.save_lecture(lecture_id, {"title": "Tides"}, base_revision=base)
    assert (saved.revision, saved.changed_sections) == (base + 1, ["title"])
    with pytest.raises(RevisionConflict) as refused:
        await aclient.save_lecture(lecture_id, {"summary": "Moon"}, base_revision=base)
    draft_id = refused.value.draft_id
    assert draft_id is not None
    assert [d.id for d in await aclient.list_drafts(lecture_id)] == [draft_id]
    assert (await aclient.get_draft(lecture_id, draft_id)).sections == {"summary": "Moon"}
    merged = await aclient.apply_draft(lecture_id, draft_id)
    assert merged.merged_onto == base + 1

    page = await aclient.list_history(lecture_id, limit=3)
    assert [item.revision for item in page.items] == [base + 2, base + 1, base]
    assert (await aclient.get_revision(lecture_id, base + 1)).data.title == "Tides"
    diff = await aclient.diff(lecture_id, base + 1, base + 2)
    assert list(diff.sections) == ["summary"]
    restored = await aclient.restore_revision(lecture_id, base, base_revision=base + 2)
    assert restored.revision == base + 3
    assert (await aclient.get_lecture(lecture_id)).title == lecture.title

    await aclient.save_lecture(lecture_id, {"title": "Again"}, base_revision=base + 3)
    with pytest.raises(RevisionConflict) as lost:
        await aclient.save_lecture(lecture_id, {"title": "Lost"}, base_revision=base + 3)
    assert lost.value.draft_id is not None
    await aclient.delete_draft(lecture_id, lost.value.draft_id)
    assert await aclient.list_drafts(lecture_id) == []

    started = await aclient.start_workflow(lecture_id, "timeline_resynthesis")
    run = await aclient.wait_for_run(started.run_id, timeout=30)
    assert (run.status, run.kind) == ("succeeded", "timeline_resynthesis")

    image = lecture.images[0]
    review = await aclient.regenerate_asset(lecture_id, "image", image.id, prompt="Low tide")
    waiting = await aclient.wait_for_run(review.run_id, timeout=30)
    assert waiting.status == "waiting_for_review"
    assert (await aclient.accept_run(review.run_id, force=True)).status == "succeeded"
    again = await aclient.regenerate_asset(lecture_id, "image", image.id)
    await aclient.wait_for_run(again.run_id, timeout=30)
    assert (await aclient.reject_run(again.run_id)).status == "rejected"


async def test_cancel_and_resume(idle_base_url: str, token: str) -> None:
    async with AsyncTutopandaClient(idle_base_url, token) as idle:
        created = await idle.create_project("Caves")
        assert (await idle.cancel_run(created.run_id)).status == "cancelled"
        assert (await idle.resume_run(created.run_id)).status == "queued"
        assert (await idle.get_run(created.run_id)).attempt == 2
