"""The role matrix: every route of the app (walked from `app.routes`, so a new route cannot be
forgotten) for an owner, an editor, a viewer, a stranger and a removed member."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import psycopg
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import new_lecture
from tests.support.databases import TestDatabase
from tutopanda.db.queries import query

Client = TestClient[Litestar]
Action = Literal["public", "signed_in", "read", "write", "share"]
ROLES = ("owner", "editor", "viewer", "stranger", "removed")
USERS = {"owner": "alice", "editor": "bob", "viewer": "carol", "stranger": "eve", "removed": "dave"}
# What each role may do (app.role_allows); a stranger and a removed member may do nothing.
ALLOWED: dict[str, set[Action]] = {
    "owner": {"read", "write", "share"},
    "editor": {"read", "write"},
    "viewer": {"read"},
}


@dataclass
class Project:
    """A shared project: its lecture (at revision 1, with an image `img1`) and its run."""

    client: Client
    auth: Headers
    project: int
    lecture: int
    run: str
    runtime_conninfo: str
    drafts: dict[str, int] = field(default_factory=dict)

    def draft_of(self, user: str) -> int:
        """A fresh unresolved conflict draft of `user` (alice's for those who cannot save)."""
        author = user if user in ("alice", "bob") else "alice"
        response = self.client.patch(
            f"/lectures/{self.lecture}",
            json={"payload": {"summary": f"draft of {author}"}},
            headers={**self.auth(author), "If-Match": '"0"'},
        )
        assert response.status_code == 409, response.text
        draft: int = response.json()["draftId"]
        return draft


@dataclass(frozen=True)
class Case:
    """A request on a route and the action it needs; `ok`: the statuses of a request allowed
    past the access rule (a write may still meet a conflict of state: 409)."""

    action: Action
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    query: str = ""
    ok: frozenset[int] = frozenset({200})


WRITE_OK = frozenset({200, 201, 202, 204, 409})
CASES: dict[tuple[str, str], Case] = {
    ("GET", "/health"): Case("public"),
    ("GET", "/ready"): Case("public"),
    ("GET", "/editor"): Case("public", ok=frozenset({200, 301, 302, 307, 308})),
    ("GET", "/editor/{file_path:path}"): Case("public"),
    ("HEAD", "/editor/{file_path:path}"): Case("public"),
    ("GET", "/editor/config.json"): Case("public"),
    ("GET", "/schema"): Case("public"),
    ("GET", "/schema/{path:str}"): Case("public", ok=frozenset({200, 404})),  # any file name
    ("GET", "/schema/openapi.json"): Case("public"),
    ("GET", "/schema/assets/{digest:str}/{name:str}"): Case("public", ok=frozenset({200, 404})),
    ("POST", "/projects"): Case("signed_in", body={"prompt": "Mine"}, ok=frozenset({201})),
    ("GET", "/projects"): Case("signed_in"),
    ("GET", "/projects/{project_id:int}"): Case("read"),
    ("PATCH", "/projects/{project_id:int}"): Case(
        "write", body={"name": "Renamed"}, headers={"If-Match": '"0"'}, ok=WRITE_OK
    ),
    ("GET", "/projects/{project_id:int}/members"): Case("read"),
    ("PUT", "/projects/{project_id:int}/members/{user_id:str}"): Case(
        "share", body={"role": "viewer"}, ok=WRITE_OK
    ),
    ("DELETE", "/projects/{project_id:int}/members/{user_id:str}"): Case("share", ok=WRITE_OK),
    ("GET", "/lectures/{lecture_id:int}"): Case("read"),
    ("PATCH", "/lectures/{lecture_id:int}"): Case(
        "write", body={"payload": {"title": "Edited"}}, headers={"If-Match": '"1"'}, ok=WRITE_OK
    ),
    ("GET", "/lectures/{lecture_id:int}/history"): Case("read"),
    ("GET", "/lectures/{lecture_id:int}/history/{revision:int}"): Case("read"),
    ("POST", "/lectures/{lecture_id:int}/history/{revision:int}/restore"): Case(
        "write", body={}, headers={"If-Match": '"1"'}, ok=WRITE_OK
    ),
    ("GET", "/lectures/{lecture_id:int}/diff"): Case("read", query="?from=0&to=1"),
    ("GET", "/lectures/{lecture_id:int}/drafts"): Case("write"),
    ("GET", "/lectures/{lecture_id:int}/drafts/{draft_id:int}"): Case("write"),
    ("DELETE", "/lectures/{lecture_id:int}/drafts/{draft_id:int}"): Case("write", ok=WRITE_OK),
    ("POST", "/lectures/{lecture_id:int}/drafts/{draft_id:int}/apply"): Case("write", ok=WRITE_OK),
    ("POST", "/lectures/{lecture_id:int}/workflows"): Case(
        "write", body={"kind": "timeline_resynthesis"}, ok=WRITE_OK
    ),
    ("GET", "/workflow-runs/{run_id:str}"): Case("read"),
    ("POST", "/workflow-runs/{run_id:str}/cancel"): Case("write", ok=WRITE_OK),
    ("POST", "/workflow-runs/{run_id:str}/resume"): Case("write", body={}, ok=WRITE_OK),
    ("POST", "/workflow-runs/{run_id:str}/accept"): Case("write", body={}, ok=WRITE_OK),
    ("POST", "/workflow-runs/{run_id:str}/reject"): Case("write", ok=WRITE_OK),
    ("POST", "/lectures/{lecture_id:int}/assets/{asset_kind:str}/{asset_id:str}/regenerate"): Case(
        "write", body={}, ok=WRITE_OK
    ),
    ("GET", "/lectures/{lecture_id:int}/events"): Case("read"),
    ("PUT", "/lectures/{lecture_id:int}/presence"): Case(
        "read", body={"focus": {"section": "timeline"}}, ok=frozenset({204})
    ),
}
PUBLIC_PATHS = {
    "{file_path:path}": "index.html",
    "{path:str}": "openapi.yaml",
    "{digest:str}": "x",
    "{name:str}": "x",
}


def app_routes(app: Litestar) -> set[tuple[str, str]]:
    """(method, path) of every route the app answers, but the automatic OPTIONS."""
    return {
        (method, route.path)
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for method in route.methods
        if method != "OPTIONS"
    }


def expected(role: str, case: Case) -> str:
    if case.action in ("public", "signed_in") or case.action in ALLOWED.get(role, set()):
        return "ok"
    return "403" if role in ALLOWED else "404"


@pytest.fixture
def shared(client: Client, auth: Headers, database: TestDatabase) -> Project:
    created = new_lecture(client, auth("alice"))
    project, lecture = created["projectId"], created["lectureId"]
    for user, role in (("bob", "editor"), ("carol", "viewer"), ("dave", "editor")):
        put = client.put(f"/projects/{project}/members/{user}", json={"role": role}, headers=auth())
        assert put.status_code == 200, put.text
    saved = client.patch(
        f"/lectures/{lecture}",
        json={"payload": {"title": "Shared", "images": [{"id": "img1", "prompt": "a road"}]}},
        headers={**auth("alice"), "If-Match": '"0"'},
    )
    assert saved.status_code == 200, saved.text
    removed = client.delete(f"/projects/{project}/members/dave", headers=auth())
    assert removed.status_code == 204, removed.text
    return Project(client, auth, project, lecture, created["runId"], database.runtime_conninfo)


def request_path(path: str, shared: Project, user: str) -> str:
    for placeholder, text in PUBLIC_PATHS.items():
        path = path.replace(placeholder, text)
    values: dict[str, Callable[[], object]] = {
        "{project_id:int}": lambda: shared.project,
        "{lecture_id:int}": lambda: shared.lecture,
        "{run_id:str}": lambda: shared.run,
        "{revision:int}": lambda: 0,
        "{user_id:str}": lambda: "frank",
        "{draft_id:int}": lambda: shared.draft_of(user),
        "{asset_kind:str}": lambda: "image",
        "{asset_id:str}": lambda: "img1",
    }
    for placeholder, value in values.items():
        if placeholder in path:
            path = path.replace(placeholder, str(value()))
    return path


def stream_opens(shared: Project, user: str) -> bool:
    """Does the event stream open for `user`? What the route asks first (api.lecture_stream_open),
    as the runtime role; a refusal is then sent over HTTP (it answers at once)."""
    with psycopg.connect(shared.runtime_conninfo) as conn:
        try:
            conn.execute(
                query("lecture_stream_open"), {"user_id": user, "lecture_id": shared.lecture}
            )
        except psycopg.Error as error:
            if error.sqlstate in ("PT403", "PT404"):
                return False
            raise
    return True


def send(shared: Project, method: str, path: str, case: Case, user: str) -> int:
    client, url = shared.client, request_path(path, shared, user) + case.query
    headers = {**shared.auth(user), **case.headers}
    if method == "DELETE" and "/members/" in path:  # someone to remove, each time
        client.put(url, json={"role": "viewer"}, headers=shared.auth("alice"))
    if path.endswith("/events") and stream_opens(shared, user):
        return 200  # an open stream never ends under the TestClient: its opening is the check
    response = client.request(method, url, json=case.body, headers=headers)
    return response.status_code


def test_every_route_is_in_the_matrix(app_routes_of_client: set[tuple[str, str]]) -> None:
    assert app_routes_of_client == set(CASES), (
        "routes missing from (+) or gone from (-) the role matrix: "
        f"+{sorted(app_routes_of_client - set(CASES))} -{sorted(set(CASES) - app_routes_of_client)}"
    )


@pytest.fixture
def app_routes_of_client(client: Client) -> set[tuple[str, str]]:
    app = client.app
    assert isinstance(app, Litestar)
    return app_routes(app)


def test_each_role_gets_what_the_rules_give_on_every_route(
    shared: Project, app_routes_of_client: set[tuple[str, str]]
) -> None:
    wrong = []
    for method, path in sorted(app_routes_of_client):
        case = CASES[(method, path)]
        for role in ROLES:
            status = send(shared, method, path, case, USERS[role])
            want = expected(role, case)
            got = "ok" if status in case.ok else str(status)
            if got != want:
                wrong.append(f"{role:8} {method:6} {path}: {status}, expected {want}")
    assert not wrong, "\n".join(wrong)


def test_every_route_that_refuses_a_role_documents_it(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    undocumented = []
    for (method, path), case in CASES.items():
        if case.action in ("public", "signed_in") or method == "HEAD":
            continue
        wire = path.replace(":int", "").replace(":str", "")
        responses = document["paths"][wire][method.lower()]["responses"]
        needed = {"404"} if case.action == "read" else {"403", "404"}
        if missing := needed - set(responses):
            undocumented.append(f"{method} {wire}: {sorted(missing)}")
    assert not undocumented, "\n".join(undocumented)
