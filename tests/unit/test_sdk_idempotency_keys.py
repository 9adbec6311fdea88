"""The SDK sends an Idempotency-Key with every write (fresh per call, or the one given), and
none with a read."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tutopanda.client import TutopandaClient

RUN = "0" * 8 + "-0000-0000-0000-" + "0" * 12
SAVED = {
    "status": "saved",
    "revision": 1,
    "updatedAt": "2026-01-01T00:00:00Z",
    "changedSections": [],
}
RUN_STATUS = {"runId": RUN, "status": "queued"}
WRITES: dict[str, tuple[Callable[..., Any], Any]] = {
    "create_project": (
        lambda c, **k: c.create_project("p", **k),
        {"projectId": 1, "lectureId": 1, "runId": RUN},
    ),
    "save_lecture": (lambda c, **k: c.save_lecture(1, {"title": "t"}, base_revision=0, **k), SAVED),
    "restore_revision": (lambda c, **k: c.restore_revision(1, 0, base_revision=1, **k), SAVED),
    "apply_draft": (lambda c, **k: c.apply_draft(1, 1, **k), SAVED),
    "delete_draft": (lambda c, **k: c.delete_draft(1, 1, **k), None),
    "start_workflow": (lambda c, **k: c.start_workflow(1, "timeline_resynthesis", **k), RUN_STATUS),
    "cancel_run": (lambda c, **k: c.cancel_run(RUN, **k), RUN_STATUS),
    "resume_run": (lambda c, **k: c.resume_run(RUN, **k), RUN_STATUS),
    "reject_run": (lambda c, **k: c.reject_run(RUN, **k), RUN_STATUS),
    "regenerate_asset": (lambda c, **k: c.regenerate_asset(1, "image", "a", **k), RUN_STATUS),
}


def _client(answer: Any, seen: list[httpx.Request]) -> TutopandaClient:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        path, method = request.url.path, request.method
        status = 200
        if method == "DELETE":
            status = 204
        elif method == "POST" and path == "/projects":
            status = 201
        elif method == "POST" and path.endswith(("/workflows", "/resume", "/regenerate")):
            status = 202
        body = b"" if answer is None else json.dumps(answer).encode()
        return httpx.Response(status, content=body, headers={"content-type": "application/json"})

    return TutopandaClient("http://api", "token", transport=httpx.MockTransport(handle))


@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_sends_a_fresh_key_or_the_one_given(name: str) -> None:
    write, answer = WRITES[name]
    seen: list[httpx.Request] = []
    with _client(answer, seen) as client:
        write(client)
        write(client)
        write(client, idempotency_key="mine-1")
    keys = [request.headers.get("idempotency-key") for request in seen]
    assert None not in keys
    assert keys[0] != keys[1]
    assert keys[2] == "mine-1"


def test_a_read_sends_no_key() -> None:
    seen: list[httpx.Request] = []
    with _client({"items": [], "nextBefore": None}, seen) as client:
        client.list_projects()
    assert "idempotency-key" not in seen[0].headers
