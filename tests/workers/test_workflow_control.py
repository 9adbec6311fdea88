"""Workflow control on a real worker: resume, rerun from a step, single-asset regeneration with
review (accept, reject, expiry, races with the editor), settings snapshotted by runs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.databases import TestDatabase
from tests.support.factories import new_lecture
from tests.support.sql import test_query
from tests.support.worker import running_worker, wait_for_run, worker_settings
from tutopanda.errors import Conflict
from tutopanda.models.base import stored_json
from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import ProjectUpdate
from tutopanda.models.workflow import WorkflowRun
from tutopanda.store import lectures, projects, workflows
from tutopanda.workflows import ASSET_SECTIONS, LECTURE_GENERATION

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]
USER = "user-1"


async def history_revisions(admin: Conn, lecture_id: int) -> list[tuple[int, str | None]]:
    rows = await (
        await admin.execute(test_query("history_rows"), {"lecture_id": lecture_id})
    ).fetchall()
    return [(row[0], row[3]) for row in rows]


async def content(conn: Conn, lecture_id: int) -> dict[str, Any]:
    """The lecture as the editor reads it, in its JSON form."""
    lecture: dict[str, Any] = stored_json(await lectures.get_lecture(conn, USER, lecture_id))
    return lecture


async def generated_lecture(conn: Conn, database: TestDatabase) -> tuple[int, str]:
    """A lecture whose generation run has succeeded: (lecture id, run id)."""
    created = await new_lecture(conn, prompt="Volcanoes")
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(conn, USER, created.run_id)
    assert run.status == "succeeded"
    return created.lecture_id, created.run_id


async def proposal_for(
    conn: Conn, database: TestDatabase, lecture_id: int, kind: str, *, review_seconds: int = 1800
) -> tuple[WorkflowRun, dict[str, Any]]:
    """Regenerate the first `kind` asset of the lecture; the run once waiting for review."""
    asset = dict((await content(conn, lecture_id))[ASSET_SECTIONS[kind]][0])
    run_id = await workflows.regenerate_asset(
        conn, USER, lecture_id, kind, str(asset["id"]), review_seconds=review_seconds
    )
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(conn, USER, run_id, ("waiting_for_review", "failed"))
    assert run.status == "waiting_for_review", run.error
    return run, asset


def images_with(lecture_images: list[Any], asset_id: str, **changes: Any) -> LecturePatch:
    images = [
        {**image, **changes} if image["id"] == asset_id else dict(image) for image in lecture_images
    ]
    return LecturePatch.model_validate({"images": images})


async def test_resume_after_a_failure_at_each_step_writes_each_revision_once(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn, prompt="Glaciers")
    every_step_fails_once = ",".join(
        f"{name}=tests.support.generators:FailsFirstTime" for name in LECTURE_GENERATION.steps
    )
    settings = worker_settings(TUTOPANDA_GENERATORS=every_step_fails_once)
    failed_at = []
    async with running_worker(settings, database.admin_url):
        for _ in LECTURE_GENERATION.steps:
            run = await wait_for_run(aconn, USER, created.run_id)
            assert run.status == "failed"
            assert "refused the request" in str(run.error)
            failed_at.append(run.current_step + 1)
            assert await workflows.resume_run(aconn, USER, created.run_id) == "queued"
        run = await wait_for_run(aconn, USER, created.run_id)

    assert failed_at == [1, 2, 3, 4, 5, 6]
    assert (run.status, run.current_step, run.error, run.attempt) == ("succeeded", 6, None, 7)
    assert [s.revision for s in run.steps] == [1, 2, 3, 4, 5, 6]
    assert [s.attempts for s in run.steps] == [1] * 6
    assert await history_revisions(admin_aconn, created.lecture_id) == [
        (0, None),
        *[(revision, created.run_id) for revision in range(1, 7)],
    ]


async def test_resume_refuses_a_running_or_finished_run(
    database: TestDatabase, aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    with pytest.raises(Conflict, match="only a failed or cancelled run resumes"):
        await workflows.resume_run(aconn, USER, created.run_id)  # queued
    async with running_worker(worker_settings(), database.admin_url):
        await wait_for_run(aconn, USER, created.run_id)
    with pytest.raises(Conflict, match="succeeded"):
        await workflows.resume_run(aconn, USER, created.run_id)


async def test_resume_of_a_cancelled_run_continues_where_it_stopped(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    assert await workflows.cancel_run(aconn, USER, created.run_id) == "cancelled"
    other = await new_lecture(aconn, prompt="Something else")  # a different lecture: no clash
    assert await workflows.resume_run(aconn, USER, created.run_id) == "queued"
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, USER, created.run_id)
        await wait_for_run(aconn, USER, other.run_id)
    assert (run.status, [s.revision for s in run.steps], run.attempt) == (
        "succeeded",
        [1, 2, 3, 4, 5, 6],
        2,
    )


async def test_resume_keeps_the_one_active_run_rule(database: TestDatabase, aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await workflows.cancel_run(aconn, USER, created.run_id)
    await workflows.create_run(aconn, USER, created.lecture_id, LECTURE_GENERATION)
    with pytest.raises(Conflict, match="already has a workflow in progress"):
        await workflows.resume_run(aconn, USER, created.run_id)


async def test_rerun_from_a_step_with_force_repeats_only_those_steps(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, first_run = await generated_lecture(aconn, database)
    before = await content(aconn, lecture_id)
    rerun = await workflows.create_run(
        aconn, USER, lecture_id, LECTURE_GENERATION, from_step=3, force=True
    )
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, USER, rerun)
    after = await content(aconn, lecture_id)

    assert (run.status, run.original_run_id, run.attempt) == ("succeeded", first_run, 2)
    assert [s.name for s in run.steps] == ["narration", "music", "effects", "timeline"]
    assert (after["script"], after["images"]) == (before["script"], before["images"])
    assert [a["id"] for a in after["narration"]] != [a["id"] for a in before["narration"]]
    history = await history_revisions(admin_aconn, lecture_id)
    written = [revision for revision, run_id in history if run_id == rerun]
    assert written == sorted({s.revision for s in run.steps})  # each once (same content: none)


async def test_rerun_without_force_skips_steps_whose_output_exists(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, first_run = await generated_lecture(aconn, database)
    history_before = await history_revisions(admin_aconn, lecture_id)
    rerun = await workflows.create_run(aconn, USER, lecture_id, LECTURE_GENERATION, from_step=2)
    async with running_worker(worker_settings(), database.admin_url):
        run = await wait_for_run(aconn, USER, rerun)

    assert (run.status, run.original_run_id) == ("succeeded", first_run)
    skipped = [s.name for s in run.steps if s.output_summary.get("skipped")]
    assert skipped == ["image_prompts", "narration", "music", "effects"]
    assert [s.revision for s in run.steps] == [6, 6, 6, 6, 7]  # the timeline is always rebuilt
    assert await history_revisions(admin_aconn, lecture_id) == [*history_before, (7, rerun)]


async def test_rerun_checks_its_step_and_original(database: TestDatabase, aconn: Conn) -> None:
    created = await new_lecture(aconn)
    await workflows.cancel_run(aconn, USER, created.run_id)
    other = await new_lecture(aconn, prompt="Other")
    with pytest.raises(Exception, match="first step must be between 1 and 6"):
        await workflows.create_run(aconn, USER, created.lecture_id, LECTURE_GENERATION, from_step=7)
    with pytest.raises(Exception, match="is not a lecture_generation run of lecture"):
        await workflows.create_run(
            aconn, USER, created.lecture_id, LECTURE_GENERATION, original_run_id=other.run_id
        )


@pytest.mark.parametrize("kind", ["image", "narration", "music"])
async def test_regenerate_proposes_and_accept_applies_it_as_a_revision(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn, kind: str
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, asset = await proposal_for(aconn, database, lecture_id, kind)
    unchanged = await content(aconn, lecture_id)

    assert unchanged["revision"] == 6  # a proposal is not applied
    assert run.current_asset == asset
    assert run.proposal is not None
    assert (run.proposal["id"], run.proposal["status"]) == (asset["id"], "generated")
    assert run.proposal != asset
    assert run.proposal_revision == 6
    assert run.review_expires_at is not None

    outcome = await workflows.accept_proposal(aconn, USER, run.run_id)
    lecture = await content(aconn, lecture_id)
    accepted = await workflows.get_run(aconn, USER, run.run_id)

    assert (outcome.revision, outcome.merged_base) == (7, None)
    assert lecture[ASSET_SECTIONS[kind]][0] == run.proposal
    assert accepted.status == "succeeded"
    assert (await history_revisions(admin_aconn, lecture_id))[-1] == (7, run.run_id)
    with pytest.raises(Conflict, match="succeeded, not waiting for review"):
        await workflows.accept_proposal(aconn, USER, run.run_id)


async def test_reject_discards_the_proposal(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, _ = await proposal_for(aconn, database, lecture_id, "image")
    assert await workflows.reject_proposal(aconn, USER, run.run_id) == "rejected"
    assert (await content(aconn, lecture_id))["revision"] == 6
    assert len(await history_revisions(admin_aconn, lecture_id)) == 7
    with pytest.raises(Conflict, match="rejected"):
        await workflows.accept_proposal(aconn, USER, run.run_id)
    rejected = await workflows.get_run(aconn, USER, run.run_id)
    assert rejected.proposal is not None  # kept on the run for the record


async def test_an_unanswered_proposal_expires_on_the_clock_the_caller_gives(
    database: TestDatabase, aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, _ = await proposal_for(aconn, database, lecture_id, "music")
    assert run.review_expires_at is not None
    just_before = run.review_expires_at - timedelta(seconds=1)
    assert await workflows.expire_reviews(aconn, just_before) == 0
    assert await workflows.expire_reviews(aconn, run.review_expires_at) == 1
    expired = await workflows.get_run(aconn, USER, run.run_id)
    assert (expired.status, expired.error) == ("expired", "the proposal was not reviewed in time")
    with pytest.raises(Conflict, match="expired, not waiting for review"):
        await workflows.accept_proposal(aconn, USER, run.run_id)
    # the lecture is free again
    await workflows.create_run(aconn, USER, lecture_id, LECTURE_GENERATION)


async def test_accept_after_the_review_time_records_expiry(
    database: TestDatabase, aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, _ = await proposal_for(aconn, database, lecture_id, "image", review_seconds=1)
    assert run.review_expires_at is not None
    await asyncio.sleep(max(0.0, (run.review_expires_at - datetime.now(UTC)).total_seconds()))
    with pytest.raises(Conflict, match="not reviewed in time"):
        await workflows.accept_proposal(aconn, USER, run.run_id)
    assert (await workflows.get_run(aconn, USER, run.run_id)).status == "expired"  # committed
    assert (await content(aconn, lecture_id))["revision"] == 6


async def test_the_worker_expires_proposals_by_itself(database: TestDatabase, aconn: Conn) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, _ = await proposal_for(aconn, database, lecture_id, "image", review_seconds=1)
    async with running_worker(worker_settings(), database.admin_url):  # checks every second
        expired = await wait_for_run(aconn, USER, run.run_id, ("expired",), timeout=10)
    assert expired.error == "the proposal was not reviewed in time"


async def test_accept_refuses_when_the_editor_changed_the_same_asset(
    database: TestDatabase, aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, asset = await proposal_for(aconn, database, lecture_id, "image")
    lecture = await content(aconn, lecture_id)
    edit = images_with(lecture["images"], asset["id"], prompt="A volcano at dawn, edited by hand")
    saved = await lectures.save_draft(aconn, USER, lecture_id, lecture["revision"], edit)
    assert saved.status == "saved"

    with pytest.raises(Conflict, match="was edited after the proposal"):
        await workflows.accept_proposal(aconn, USER, run.run_id)
    kept = await content(aconn, lecture_id)
    assert kept["images"][0]["prompt"] == "A volcano at dawn, edited by hand"  # not overwritten
    assert (await workflows.get_run(aconn, USER, run.run_id)).status == "waiting_for_review"

    forced = await workflows.accept_proposal(aconn, USER, run.run_id, force=True)
    assert forced.revision == 8
    assert (await content(aconn, lecture_id))["images"][0] == run.proposal


async def test_accept_merges_with_edits_to_other_assets(
    database: TestDatabase, aconn: Conn, admin_aconn: Conn
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    run, _ = await proposal_for(aconn, database, lecture_id, "image")
    lecture = await content(aconn, lecture_id)
    other_id = lecture["images"][1]["id"]
    edit = images_with(lecture["images"], other_id, prompt="Another image, edited")
    title = LecturePatch.model_validate({"title": "Volcanoes, revised"})
    await lectures.save_draft(aconn, USER, lecture_id, lecture["revision"], edit)
    await lectures.save_draft(aconn, USER, lecture_id, lecture["revision"] + 1, title)

    outcome = await workflows.accept_proposal(aconn, USER, run.run_id)
    merged = await content(aconn, lecture_id)

    assert (outcome.revision, outcome.merged_base) == (9, 6)
    assert merged["images"][0] == run.proposal
    assert merged["images"][1]["prompt"] == "Another image, edited"
    assert merged["title"] == "Volcanoes, revised"
    merges = await (
        await admin_aconn.execute(test_query("history_merges"), {"lecture_id": lecture_id})
    ).fetchall()
    assert (9, 6) in [tuple(row[:2]) for row in merges]


@pytest.mark.parametrize(
    ("same_asset", "merge"),
    [(True, False), (True, True), (False, True)],
    ids=["same-asset-plain-save", "same-asset-merge", "other-asset-merge"],
)
async def test_accept_racing_an_editor_save_loses_nothing(
    database: TestDatabase, aconn: Conn, same_asset: bool, merge: bool
) -> None:
    lecture_id, _ = await generated_lecture(aconn, database)
    for attempt in range(4):
        run, asset = await proposal_for(aconn, database, lecture_id, "image")
        assert run.proposal is not None
        lecture = await content(aconn, lecture_id)
        target = asset["id"] if same_asset else lecture["images"][1]["id"]
        typed = f"hand edit {attempt}"
        edit = images_with(lecture["images"], target, prompt=typed)
        async with await AsyncConnection.connect(
            database.runtime_conninfo, autocommit=True
        ) as other:
            accept, save = await asyncio.gather(
                workflows.accept_proposal(aconn, USER, run.run_id),
                lectures.save_draft(
                    other, USER, lecture_id, lecture["revision"], edit, merge=merge
                ),
                return_exceptions=True,
            )
        final = await content(aconn, lecture_id)
        accepted = not isinstance(accept, BaseException)
        edited = not isinstance(save, BaseException) and save.status == "saved"
        if not accepted:
            assert isinstance(accept, Conflict), accept
            await workflows.reject_proposal(aconn, USER, run.run_id)
        image = next(i for i in final["images"] if i["id"] == target)
        if same_asset and not merge:
            # one wins, the other is told (409, its draft kept): never a silent overwrite
            assert accepted != edited
            assert image == (run.proposal if accepted else {**asset, "prompt": typed})
        elif same_asset:
            # path-level merge: the typed prompt and the regenerated fields both stand
            assert edited
            assert image["prompt"] == typed
            if accepted:
                assert {k: v for k, v in image.items() if k != "prompt"} == {
                    k: v for k, v in run.proposal.items() if k != "prompt"
                }
        else:
            assert (accepted, edited) == (True, True)  # different assets: both stand
            assert final["images"][0] == run.proposal
            assert image["prompt"] == typed


async def test_a_run_keeps_the_settings_it_started_with(
    database: TestDatabase, aconn: Conn
) -> None:
    created = await new_lecture(aconn, prompt="Deserts")
    project = await projects.get_project(aconn, USER, created.project_id)
    change = ProjectUpdate.model_validate({"settings": {"general": {"language": "fr"}}})
    updated = await projects.update_project(
        aconn, USER, created.project_id, change, base_revision=project.settings_revision
    )
    assert updated.settings_revision == 1
    async with running_worker(worker_settings(), database.admin_url):
        first = await wait_for_run(aconn, USER, created.run_id)
        narrated = await content(aconn, created.lecture_id)
        rerun = await workflows.create_run(
            aconn, USER, created.lecture_id, LECTURE_GENERATION, from_step=3, force=True
        )
        second = await wait_for_run(aconn, USER, rerun)
    lecture = await content(aconn, created.lecture_id)

    assert first.status == second.status == "succeeded"
    assert {a["language"] for a in narrated["narration"]} == {"en"}  # as the run began
    assert {a["language"] for a in lecture["narration"]} == {"fr"}  # the rerun began later
    assert first.context["settings"]["general"]["language"] == "en"  # type: ignore[index,call-overload]
    assert second.context["settings"]["general"]["language"] == "fr"  # type: ignore[index,call-overload]
