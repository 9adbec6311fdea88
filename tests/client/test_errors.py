"""The API's problems as the SDK's typed exceptions, from real answers of a real server."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import SECRET
from tests.client.conftest import generated_lecture
from tests.support.processes import free_port
from tutopanda.client import (
    AsyncTutopandaClient,
    Conflict,
    IdempotencyKeyReused,
    NotFound,
    PayloadTooLarge,
    ProblemError,
    QuotaExceeded,
    RevisionConflict,
    ServerError,
    ServiceUnavailable,
    TooManyRequests,
    TransportError,
    TutopandaClient,
    Unauthorized,
    ValidationFailed,
)
from tutopanda.client.errors import problem_error
from tutopanda.client.routes import Call
from tutopanda.tokens import issue_token


def test_a_bad_token_is_unauthorized(base_url: str) -> None:
    with TutopandaClient(base_url, "not-a-jwt") as stranger, pytest.raises(Unauthorized) as error:
        stranger.list_projects()
    assert (error.value.status, error.value.code) == (401, "unauthorized")
    assert len(error.value.request_id) == 32
    assert error.value.problem["instance"] == "/projects"


def test_another_users_lecture_is_not_found(client: TutopandaClient, base_url: str) -> None:
    created = client.create_project("Private")
    with TutopandaClient(base_url, issue_token(SECRET, "sdk-someone-else")) as bob:
        with pytest.raises(NotFound) as theirs:
            bob.get_lecture(created.lecture_id)
        with pytest.raises(NotFound):
            bob.get_run(created.run_id)
    assert theirs.value.code == "not_found"
    with pytest.raises(NotFound) as error:
        client.get_lecture(2_000_000_000)
    assert error.value.code == "not_found"
    with pytest.raises(NotFound):
        client.get_run("not-a-uuid")


def test_a_stale_save_is_a_revision_conflict_with_the_latest_snapshot(
    client: TutopandaClient,
) -> None:
    lecture_id = generated_lecture(client)
    base = client.get_lecture(lecture_id).revision
    client.save_lecture(lecture_id, {"title": "Theirs"}, base_revision=base)
    with pytest.raises(RevisionConflict) as stale:
        client.save_lecture(lecture_id, {"title": "Mine"}, base_revision=base)
    assert stale.value.status == 409
    assert stale.value.lecture is not None
    assert (stale.value.lecture.revision, stale.value.lecture.title) == (base + 1, "Theirs")
    assert stale.value.draft_id is not None
    assert stale.value.conflicts == []
    with pytest.raises(RevisionConflict) as clash:
        client.save_lecture(lecture_id, {"title": "Mine"}, base_revision=base, merge=True)
    assert clash.value.pointers == ["/title"]
    (conflict,) = clash.value.conflicts
    assert (conflict.mine, conflict.theirs) == ("Mine", "Theirs")
    assert isinstance(clash.value, Conflict)


def test_a_second_active_run_is_a_plain_conflict(idle_base_url: str, token: str) -> None:
    with TutopandaClient(idle_base_url, token) as idle:
        created = idle.create_project("Busy")
        with pytest.raises(Conflict) as busy:
            idle.start_workflow(created.lecture_id, "timeline_resynthesis")
    assert busy.value.code == "conflict"
    assert not isinstance(busy.value, RevisionConflict)


def test_the_sixth_active_run_is_quota_exceeded(idle_base_url: str, token: str) -> None:
    with TutopandaClient(idle_base_url, token) as idle:
        created = [idle.create_project(f"Run {n}") for n in range(5)]  # queued: no worker
        with pytest.raises(QuotaExceeded) as full:
            idle.create_project("Sixth")
        idle.cancel_run(created[0].run_id)
        idle.create_project("Sixth")  # a finished run freed its slot
    assert isinstance(full.value, TooManyRequests)
    assert (full.value.status, full.value.code) == (429, "quota_exceeded")
    assert (full.value.quota, full.value.limit, full.value.retry_after) == ("active_runs", 5, 30.0)


def test_invalid_input_names_the_fields(client: TutopandaClient) -> None:
    created = client.create_project("Fields")
    with pytest.raises(ValidationFailed) as invalid:
        client.save_lecture(created.lecture_id, {"title": 42}, base_revision=0)
    assert invalid.value.fields == ["payload.title"]
    with pytest.raises(ValidationFailed) as unknown:
        client.update_project(
            created.project_id, base_revision=0, settings={"general": {"colour": "red"}}
        )
    assert unknown.value.fields
    assert unknown.value.fields[0].startswith("settings.general")


def test_a_write_without_its_revision_is_validation_failed_naming_if_match(
    client: TutopandaClient,
) -> None:
    created = client.create_project("No base")
    no_base = Call(
        "PATCH", f"/lectures/{created.lecture_id}", lambda _: None, body={"payload": {"title": "x"}}
    )
    with pytest.raises(ValidationFailed) as error:
        client.send(no_base)
    assert (error.value.status, error.value.code) == (422, "validation_failed")
    assert error.value.fields == ["If-Match"]


def test_a_key_sent_with_another_request_is_idempotency_key_reused(
    client: TutopandaClient,
) -> None:
    lecture = client.create_project("Keys").lecture_id
    client.save_lecture(lecture, {"title": "A"}, base_revision=0, idempotency_key="key-1")
    with pytest.raises(IdempotencyKeyReused) as reused:
        client.save_lecture(lecture, {"title": "B"}, base_revision=1, idempotency_key="key-1")
    assert (reused.value.status, reused.value.code) == (422, "idempotency_key_reused")
    assert reused.value.fields == ["Idempotency-Key"]
    assert isinstance(reused.value, ValidationFailed)


def test_an_oversized_body_is_payload_too_large(client: TutopandaClient) -> None:
    created = client.create_project("Big")
    with pytest.raises(PayloadTooLarge):
        client.save_lecture(created.lecture_id, {"summary": "x" * 3_000_000}, base_revision=0)


def test_no_server_is_a_transport_error() -> None:
    nowhere = TutopandaClient(f"http://127.0.0.1:{free_port()}", "t")
    with nowhere, pytest.raises(TransportError) as error:
        nowhere.list_projects()
    assert isinstance(error.value.cause, httpx.ConnectError)


@pytest.mark.asyncio
async def test_the_async_client_raises_the_same_types(aclient: AsyncTutopandaClient) -> None:
    with pytest.raises(NotFound):
        await aclient.get_lecture(2_000_000_000)
    created = await aclient.create_project("Async errors")
    with pytest.raises(ValidationFailed):
        await aclient.save_lecture(created.lecture_id, {"images": "none"}, base_revision=0)
    async with AsyncTutopandaClient(f"http://127.0.0.1:{free_port()}", "t") as nowhere:
        with pytest.raises(TransportError):
            await nowhere.list_projects()


def _answer(status: int, content: bytes, **headers: str) -> httpx.Response:
    request = httpx.Request("GET", "http://proxy.test/lectures/1")
    return httpx.Response(status, content=content, headers=headers, request=request)


def test_answers_that_are_not_problems_still_get_a_type() -> None:
    html = problem_error(_answer(502, b"<html>Bad gateway</html>"))
    assert type(html) is ServerError
    assert (html.status, html.code, html.detail) == (502, "http_502", "<html>Bad gateway</html>")
    away = problem_error(_answer(503, b'{"code": "database_unavailable"}', **{"Retry-After": "5"}))
    assert isinstance(away, ServiceUnavailable)
    assert away.retry_after == 5.0
    slow_down = problem_error(_answer(429, b"Too Many Requests", **{"Retry-After": "7"}))
    assert type(slow_down) is TooManyRequests
    assert slow_down.retry_after == 7.0
    teapot = problem_error(_answer(418, b"[]"))
    assert type(teapot) is ProblemError
    assert teapot.status == 418
