"""`TutopandaClient`: every route against a real server, answers as the API's models."""

from __future__ import annotations

import pytest

from tests.client.conftest import generated_lecture
from tutopanda.client import TutopandaClient
from tutopanda.client.models import LectureConfig


def test_projects_create_list_get_and_update_settings(client: TutopandaClient) -> None:
    assert client.health() is True
    assert client.ready() is True
    created = client.create_project("Volcanoes", name="Geology")
    (project,) = client.list_projects().items
    assert (project.id, project.name, [lecture.id for lecture in project.lectures]) == (
        created.project_id,
        "Geology",
        [created.lecture_id],
    )
    detail = client.get_project(created.project_id)
    updated = client.update_project(
        created.project_id,
        base_revision=detail.settings_revision,
        name="Earth science",
        settings={"general": {"language": "fr"}},
    )
    assert updated.name == "Earth science"
    assert updated.settings_revision == detail.settings_revision + 1
    assert LectureConfig.model_validate(updated.settings).general.language == "fr"


def test_lecture_save_history_diff_restore(client: TutopandaClient) -> None:
    lecture_id = generated_lecture(client)
    lecture = client.get_lecture(lecture_id)
    assert lecture.images
    assert lecture.timeline is not None
    assert client.get_lecture_if_changed(lecture_id, lecture.revision) is None
    saved = client.save_lecture(lecture_id, {"title": "Rivers"}, base_revision=lecture.revision)
    assert (saved.status, saved.revision, saved.changed_sections, saved.merged_onto) == (
        "saved",
        lecture.revision + 1,
        ["title"],
        None,
    )
    changed = client.get_lecture_if_changed(lecture_id, lecture.revision)
    assert changed is not None
    assert changed.title == "Rivers"

    page = client.list_history(lecture_id, limit=2)
    assert [item.revision for item in page.items] == [saved.revision, lecture.revision]
    assert page.next_before == lecture.revision
    assert page.items[0].source == "app"
    older = client.list_history(lecture_id, before=page.next_before, limit=100)
    assert older.items[0].revision == lecture.revision - 1
    revision = client.get_revision(lecture_id, lecture.revision)
    assert revision.data.title == lecture.title

    diff = client.diff(lecture_id, lecture.revision, saved.revision)
    assert [(op.op, op.path, op.value) for op in diff.sections["title"]] == [
        ("replace", "", "Rivers")
    ]
    restored = client.restore_revision(lecture_id, lecture.revision, base_revision=saved.revision)
    assert client.get_lecture(lecture_id).title == lecture.title
    assert client.list_history(lecture_id, limit=1).items[0].restored_from == lecture.revision
    assert restored.revision == saved.revision + 1


def test_drafts_list_get_apply_and_delete(client: TutopandaClient) -> None:
    lecture_id = generated_lecture(client)
    base = client.get_lecture(lecture_id).revision
    client.save_lecture(lecture_id, {"title": "Theirs"}, base_revision=base)
    with pytest.raises(Exception, match="revision_conflict"):
        client.save_lecture(lecture_id, {"summary": "Mine"}, base_revision=base)
    (draft,) = client.list_drafts(lecture_id)
    detail = client.get_draft(lecture_id, draft.id)
    assert (detail.sections, detail.base_revision, detail.conflict_revision) == (
        {"summary": "Mine"},
        base,
        base + 1,
    )
    applied = client.apply_draft(lecture_id, draft.id)
    assert applied.merged_onto == base + 1
    after = client.get_lecture(lecture_id)
    assert (after.title, after.summary) == ("Theirs", "Mine")
    assert client.list_drafts(lecture_id) == []

    client.save_lecture(lecture_id, {"title": "Again"}, base_revision=after.revision)
    with pytest.raises(Exception, match="revision_conflict"):
        client.save_lecture(lecture_id, {"title": "Lost"}, base_revision=after.revision)
    (draft,) = client.list_drafts(lecture_id)
    client.delete_draft(lecture_id, draft.id)
    assert client.list_drafts(lecture_id) == []


def test_workflows_start_and_rerun(client: TutopandaClient) -> None:
    lecture_id = generated_lecture(client)
    first = client.get_lecture(lecture_id)
    started = client.start_workflow(lecture_id, "timeline_resynthesis")
    assert started.status == "queued"
    done = client.wait_for_run(started.run_id, timeout=30)
    assert (done.status, done.kind, done.lecture_id) == (
        "succeeded",
        "timeline_resynthesis",
        lecture_id,
    )
    rerun = client.start_workflow(lecture_id, "lecture_generation", from_step=5, force=True)
    finished = client.wait_for_run(rerun.run_id, timeout=30)
    assert (finished.status, finished.attempt) == ("succeeded", 2)
    assert [step.name for step in finished.steps] == ["effects", "timeline"]
    assert client.get_lecture(lecture_id).revision > first.revision


def test_cancel_and_resume_a_queued_run(idle_base_url: str, token: str) -> None:
    with TutopandaClient(idle_base_url, token) as idle:
        created = idle.create_project("Glaciers")
        assert idle.cancel_run(created.run_id).status == "cancelled"
        assert idle.get_run(created.run_id).status == "cancelled"
        assert idle.resume_run(created.run_id).status == "queued"
        assert idle.get_run(created.run_id).attempt == 2


def test_regenerate_an_image_then_accept_and_reject(client: TutopandaClient) -> None:
    lecture_id = generated_lecture(client)
    image = client.get_lecture(lecture_id).images[0]
    run = client.regenerate_asset(lecture_id, "image", image.id, prompt="A delta at dawn")
    review = client.wait_for_run(run.run_id, timeout=30)
    assert review.status == "waiting_for_review"
    assert review.proposal is not None
    assert review.proposal["prompt"] == "A delta at dawn"
    accepted = client.accept_run(run.run_id)
    assert accepted.status == "succeeded"
    assert client.get_lecture(lecture_id).images[0].prompt == "A delta at dawn"

    again = client.regenerate_asset(lecture_id, "image", image.id, prompt="At dusk")
    client.wait_for_run(again.run_id, timeout=30)
    assert client.reject_run(again.run_id).status == "rejected"
    assert client.get_lecture(lecture_id).images[0].prompt == "A delta at dawn"
