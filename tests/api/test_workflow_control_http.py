"""Workflow control and conflict drafts over real HTTP: `tutopanda serve` with its worker.

The README's curl walk-throughs, as a client runs them: regenerate → preview → accept/reject,
resume, rerun from a step, project settings, and a refused save kept as a draft, applied.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.conftest import SECRET
from tests.api.helpers import assert_problem, server_env
from tests.support.databases import cloned_database
from tests.support.processes import finished_run, serving
from tests.support.server import TestServer
from tutopanda.tokens import issue_token

Http = httpx.Client


@pytest.fixture(scope="module")
def server(
    pg_server: TestServer, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One server with its worker for the module (each start costs ~2.5 s of CPU): every test
    makes projects and lectures of its own, on a database of the module's own."""
    with cloned_database(pg_server, template_db) as database:
        env = server_env(
            database.admin_url,
            tmp_path_factory.mktemp("workflow-control"),
            TUTOPANDA_WORKER_POLL_SECONDS="0.2",
            TUTOPANDA_STALLED_AFTER_SECONDS="2",
            TUTOPANDA_WORKER_HEARTBEAT_SECONDS="0.5",
            TUTOPANDA_REVIEW_TIMEOUT_SECONDS="3",
            # The module's tests are one user's: their projects and runs add up.
            TUTOPANDA_MAX_PROJECTS_PER_HOUR="100000",
            TUTOPANDA_MAX_ACTIVE_RUNS="10000",
            TUTOPANDA_WRITES_PER_MINUTE="100000",
        )
        with serving(env=env) as base:
            yield base


@pytest.fixture
def http(server: str) -> Iterator[Http]:
    alice = {"Authorization": f"Bearer {issue_token(SECRET, 'alice')}"}
    with httpx.Client(base_url=server, headers=alice, timeout=10) as client:
        yield client


def wait_for(http: Http, run_id: str, *statuses: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = http.get(f"/workflow-runs/{run_id}").json()
        if run["status"] in statuses:
            return run
        assert time.monotonic() < deadline, f"run still {run['status']}"
        time.sleep(0.1)


def generated(http: Http) -> dict[str, Any]:
    created: dict[str, Any] = http.post(
        "/projects", json={"prompt": "How rivers shape valleys"}
    ).json()
    assert wait_for(http, created["runId"], "succeeded", "failed")["status"] == "succeeded"
    return created


def test_regenerate_preview_accept_over_http(http: Http) -> None:
    created = generated(http)
    lecture = f"/lectures/{created['lectureId']}"
    image = http.get(lecture).json()["images"][0]
    started = http.post(
        f"{lecture}/assets/image/{image['id']}/regenerate", json={"prompt": "A river delta"}
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["runId"]
    assert started.headers["location"] == f"/workflow-runs/{run_id}"

    review = wait_for(http, run_id, "waiting_for_review")
    assert review["currentAsset"] == image
    assert (review["proposal"]["id"], review["proposal"]["prompt"]) == (
        image["id"],
        "A river delta",
    )
    assert http.get(lecture).json()["revision"] == 6  # not applied

    accepted = http.post(f"/workflow-runs/{run_id}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {
        "runId": run_id,
        "status": "succeeded",
        "revision": 7,
        "mergedBase": None,
    }
    assert http.get(lecture).json()["images"][0] == review["proposal"]
    assert_problem(http.post(f"/workflow-runs/{run_id}/accept"), 409, "conflict")


def test_reject_and_expiry_over_http(http: Http) -> None:
    created = generated(http)
    lecture = f"/lectures/{created['lectureId']}"
    music = http.get(lecture).json()["music"][0]
    first = http.post(f"{lecture}/assets/music/{music['id']}/regenerate").json()["runId"]
    wait_for(http, first, "waiting_for_review")
    assert http.post(f"/workflow-runs/{first}/reject").json() == {
        "runId": first,
        "status": "rejected",
    }
    second = http.post(f"{lecture}/assets/music/{music['id']}/regenerate").json()["runId"]
    wait_for(http, second, "waiting_for_review")
    expired = wait_for(http, second, "expired", timeout=15)  # TUTOPANDA_REVIEW_TIMEOUT_SECONDS=3
    assert expired["error"] is not None
    assert_problem(http.post(f"/workflow-runs/{second}/accept"), 409, "conflict")
    assert http.get(lecture).json()["revision"] == 6


def test_regenerate_refuses_unknown_kinds_and_assets(http: Http) -> None:
    created = generated(http)
    lecture = f"/lectures/{created['lectureId']}"
    kind = assert_problem(
        http.post(f"{lecture}/assets/timeline/x/regenerate"), 422, "validation_failed"
    )
    assert "asset_kind" in [e["field"] for e in kind["errors"]]
    assert_problem(http.post(f"{lecture}/assets/image/no-such-image/regenerate"), 404, "not_found")
    assert_problem(
        http.post(f"{lecture}/assets/image/x/regenerate", json={"prompt": ""}),
        422,
        "validation_failed",
    )


def test_resume_and_rerun_over_http(http: Http) -> None:
    created = generated(http)
    lecture = f"/lectures/{created['lectureId']}"
    assert_problem(http.post(f"/workflow-runs/{created['runId']}/resume"), 409, "conflict")
    rerun = http.post(
        f"{lecture}/workflows", json={"kind": "lecture_generation", "fromStep": 5, "force": True}
    )
    assert rerun.status_code == 202, rerun.text
    run = wait_for(http, rerun.json()["runId"], "succeeded", "failed")
    assert (run["status"], run["originalRunId"], run["attempt"]) == (
        "succeeded",
        created["runId"],
        2,
    )
    assert [s["name"] for s in run["steps"]] == ["effects", "timeline"]
    for bad in ({"kind": "lecture_generation", "fromStep": 0}, {"kind": "asset_regeneration"}):
        assert_problem(http.post(f"{lecture}/workflows", json=bad), 422, "validation_failed")


def test_project_settings_over_http(http: Http) -> None:
    created = http.post("/projects", json={"prompt": "Clouds"}).json()
    project = f"/projects/{created['projectId']}"
    read = http.get(project)
    assert (read.status_code, read.headers["etag"]) == (200, '"0"')
    changed = http.patch(
        project,
        json={"settings": {"general": {"language": "es"}}},
        headers={"If-Match": read.headers["etag"]},
    )
    assert (changed.status_code, changed.headers["etag"]) == (200, '"1"')
    assert changed.json()["settings"]["general"]["language"] == "es"
    assert changed.json()["settings"]["general"]["audience"] == "Adults"
    stale = http.patch(project, json={"name": "late"}, headers={"If-Match": '"0"'})
    assert_problem(stale, 409, "conflict")
    unconditional = assert_problem(
        http.patch(project, json={"name": "x"}), 422, "validation_failed"
    )
    assert [error["field"] for error in unconditional["errors"]] == ["If-Match"]
    unknown = http.patch(
        project, json={"settings": {"general": {"x": 1}}}, headers={"If-Match": '"1"'}
    )
    assert_problem(unknown, 422, "validation_failed")
    bob = {"Authorization": f"Bearer {issue_token(SECRET, 'bob')}"}
    assert_problem(http.get(project, headers=bob), 404, "not_found")


def quiet_lecture(http: Http, prompt: str) -> tuple[str, dict[str, Any]]:
    """A new lecture whose generation run was cancelled (or had already finished): its path and
    its snapshot once nothing but the test writes to it."""
    created = http.post("/projects", json={"prompt": prompt}).json()
    http.post(f"/workflow-runs/{created['runId']}/cancel")  # 409 when the worker was quicker
    finished_run(http, created["runId"])
    lecture = f"/lectures/{created['lectureId']}"
    snapshot: dict[str, Any] = http.get(lecture).json()
    return lecture, snapshot


def test_a_refused_save_is_kept_as_a_draft_and_applied(http: Http) -> None:
    lecture, start = quiet_lecture(http, "Tides")
    base = start["revision"]
    assert http.patch(
        lecture, json={"payload": {"title": "Tides"}}, headers={"If-Match": f'"{base}"'}
    ).is_success
    refused = http.patch(
        lecture,
        json={"payload": {"summary": "Why the sea rises twice a day"}},
        headers={"If-Match": f'"{base}"'},
    )
    body = assert_problem(refused, 409, "revision_conflict")
    draft_id = body["draftId"]
    drafts = http.get(f"{lecture}/drafts").json()
    assert [(d["id"], d["baseRevision"], d["sections"]) for d in drafts] == [
        (draft_id, base, {"summary": "Why the sea rises twice a day"})
    ]
    applied = http.post(f"{lecture}/drafts/{draft_id}/apply")
    assert applied.status_code == 200, applied.text
    assert (applied.json()["revision"], applied.json()["mergedOnto"]) == (base + 2, base + 1)
    assert http.get(f"{lecture}/drafts").json() == []
    assert_problem(http.post(f"{lecture}/drafts/{draft_id}/apply"), 404, "not_found")


def test_a_merge_conflict_names_the_paths_and_the_draft_can_be_discarded(http: Http) -> None:
    lecture, start = quiet_lecture(http, "Dunes")
    base = start["revision"]
    assert http.patch(
        lecture, json={"payload": {"title": "Dunes"}}, headers={"If-Match": f'"{base}"'}
    ).is_success
    clash = http.patch(
        lecture,
        json={"payload": {"title": "Sand"}, "merge": True},
        headers={"If-Match": f'"{base}"'},
    )
    body = assert_problem(clash, 409, "revision_conflict")
    assert body["conflicts"] == [
        {
            "pointer": "/title",
            "kind": "edit",
            "base": start["title"],
            "mine": "Sand",
            "theirs": "Dunes",
        }
    ]
    draft = f"{lecture}/drafts/{body['draftId']}"
    assert http.get(draft).json()["sections"] == {"title": "Sand"}
    assert http.delete(draft).status_code == 204
    assert_problem(http.get(draft), 404, "not_found")
    merged = http.patch(
        lecture,
        json={"payload": {"summary": "Wind"}, "merge": True},
        headers={"If-Match": f'"{base}"'},
    )
    assert (merged.status_code, merged.json()["mergedOnto"]) == (200, base + 1)
