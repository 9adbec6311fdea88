"""Workflow routes: start a run on a lecture, read a run, cancel it."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import assert_problem, new_lecture

Client = TestClient[Litestar]


def test_cancel_then_start_another_workflow(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    lecture = f"/lectures/{created['lectureId']}"
    busy = client.post(
        f"{lecture}/workflows", json={"kind": "timeline_resynthesis"}, headers=auth()
    )
    assert_problem(busy, 409, "conflict")
    cancelled = client.post(f"/workflow-runs/{created['runId']}/cancel", headers=auth())
    assert cancelled.json() == {"runId": created["runId"], "status": "cancelled"}
    started = client.post(
        f"{lecture}/workflows", json={"kind": "timeline_resynthesis"}, headers=auth()
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["runId"]
    assert started.headers["location"] == f"/workflow-runs/{run_id}"
    run = client.get(f"/workflow-runs/{run_id}", headers=auth()).json()
    assert (run["kind"], run["status"], run["currentStep"], run["totalSteps"], run["steps"]) == (
        "timeline_resynthesis",
        "queued",
        0,
        1,
        [],
    )


def test_runs_of_others_and_bad_ids_are_404(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth("alice"))
    for path in (
        f"/workflow-runs/{created['runId']}",
        "/workflow-runs/not-a-uuid",
        "/workflow-runs/00000000-0000-0000-0000-000000000000",
    ):
        assert_problem(client.get(path, headers=auth("bob")), 404, "not_found")
    assert_problem(
        client.post(f"/workflow-runs/{created['runId']}/cancel", headers=auth("bob")),
        404,
        "not_found",
    )
    assert_problem(
        client.post(
            f"/lectures/{created['lectureId']}/workflows",
            json={"kind": "timeline_resynthesis"},
            headers=auth("bob"),
        ),
        404,
        "not_found",
    )


def test_unknown_workflow_kind_is_422(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    response = client.post(
        f"/lectures/{created['lectureId']}/workflows", json={"kind": "make_coffee"}, headers=auth()
    )
    assert_problem(response, 422, "validation_failed")


def test_a_finished_run_cannot_be_cancelled(client: Client, auth: Headers) -> None:
    created = new_lecture(client, auth())
    client.post(f"/workflow-runs/{created['runId']}/cancel", headers=auth())
    again = client.post(f"/workflow-runs/{created['runId']}/cancel", headers=auth())
    assert again.json()["status"] == "cancelled"  # idempotent
