"""GET and PATCH /lectures/{id} with the fast path (api/lecture_fast_path.py) and the app's
shortcut to their route (api/hot_routes.py), and without either: the same requests, sent to both
apps on one database, answer alike.

The second app is the product with `LectureController.middleware` emptied while it is built
(Litestar builds each route's middleware stack then) and `hot_routes` off, so that Litestar's own
layers and its handlers, the routes' contract, serve everything. Each test gives each app
lectures of its own, created alike, sends both the same requests and compares each pair of
answers: status, headers and JSON body, once what differs by nature is set aside (request ids,
timestamps, the ids of lectures, projects and drafts). Both lectures then hold the same content,
history and drafts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import BODY_CAP, SECRET
from tests.api.helpers import new_lecture
from tests.support.databases import cloned_database
from tests.support.polling import TEST_EVENT_POLL
from tests.support.server import TestServer
from tutopanda.api.app import create_app
from tutopanda.api.controllers.lectures import LectureController
from tutopanda.api.save_body import checked_save
from tutopanda.settings import load_settings
from tutopanda.tokens import issue_token

Client = TestClient[Litestar]
FAST_PATH = "lecture_fast_path.<locals>.middleware"
DROPPED = frozenset({"requestId", "updatedAt", "createdAt"})  # anywhere in a body
ID_IN_TEXT = re.compile(r"(/lectures/|/projects/|lecture |project )(\d+)")
UNCOMPARED_HEADERS = frozenset({"x-request-id", "content-length"})
MAX_SERIAL = 2147483647
JSON = "application/json"


def bearer(user_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(SECRET, user_id)}"}


def middleware_chain(app: Litestar, method: str) -> list[str]:
    """The names of the ASGI apps a request to /lectures/1 passes through, outermost first."""
    chain: list[str] = []
    current: Any = app.asgi_router.handle_routing("/lectures/1", method)[0]
    while current is not None and len(chain) < 50:
        chain.append(getattr(current, "__qualname__", type(current).__qualname__))
        inner = getattr(current, "app", None)
        if inner is None:  # a middleware function: the app it wraps is its callable cell
            cells = [cell.cell_contents for cell in getattr(current, "__closure__", None) or ()]
            inner = next((cell for cell in cells if callable(cell)), None)
        current = inner
    return chain


@dataclass(frozen=True)
class Side:
    """One app: its client, this test's lectures there (alice's, shared with carol as a viewer;
    bob's) and the placeholders their ids are compared as."""

    name: str
    client: Client
    lecture: int
    other: int
    lectures: dict[int, str]
    projects: dict[int, str]

    @classmethod
    def start(cls, name: str, client: Client) -> Side:
        mine, theirs = new_lecture(client, bearer("alice")), new_lecture(client, bearer("bob"))
        shared = client.put(
            f"/projects/{mine['projectId']}/members/carol",
            json={"role": "viewer"},
            headers=bearer("alice"),
        )
        assert shared.status_code == 200, shared.text
        read = client.get(f"/lectures/{mine['lectureId']}", headers=bearer("alice"))
        # Both lectures start at revision 0: their ETags are compared as they are.
        assert read.headers["etag"] == '"0"'
        return cls(
            name,
            client,
            mine["lectureId"],
            theirs["lectureId"],
            {mine["lectureId"]: "<lecture>", theirs["lectureId"]: "<other lecture>"},
            {mine["projectId"]: "<project>", theirs["projectId"]: "<other project>"},
        )

    def normal(self, value: Any) -> Any:
        """`value` without what differs by nature: request ids, timestamps, ids (a draft id's
        presence is kept)."""
        if isinstance(value, dict):
            return {
                key: self._id(value, key, self.normal(item))
                for key, item in value.items()
                if key not in DROPPED
            }
        if isinstance(value, list):
            return [self.normal(item) for item in value]
        if isinstance(value, str):  # a detail, an instance
            return ID_IN_TEXT.sub(self._id_in_text, value)
        return value

    def _id(self, parent: dict[str, Any], key: str, value: Any) -> Any:
        if key == "draftId" or (key == "id" and "sections" in parent):  # a conflict draft
            return "<draft>"
        if key == "lectureId" or (key == "id" and "projectId" in parent):  # a lecture
            return self.lectures.get(value, value)
        if key == "projectId":
            return self.projects.get(value, value)
        return value

    def _id_in_text(self, match: re.Match[str]) -> str:
        ids = self.lectures if match[1].startswith(("/lectures", "lecture")) else self.projects
        return match[1] + ids.get(int(match[2]), match[2])


@dataclass(frozen=True)
class Pair:
    """The product (`fast`) and the same app without its fast path (`slow`)."""

    fast: Side
    slow: Side

    def send(
        self,
        method: str,
        path: str,
        *,
        user: str | None = "alice",
        body: bytes | None = None,
        headers: list[tuple[str, str]] | None = None,
        content_type: str | None = JSON,
        key: str | None = None,
    ) -> tuple[Response, Response]:
        """The same request to both apps (`{lecture}`, `{other}`: each app's own lecture; the
        Idempotency-Key `key` made each app's own: alice is one user on the one database; no
        bearer token for no `user`), and their answers, once checked alike."""
        answers = []
        for side in (self.fast, self.slow):
            sent = [*(bearer(user).items() if user is not None else ()), *(headers or [])]
            if body is not None and content_type is not None:
                sent.append(("Content-Type", content_type))
            if key is not None:
                sent.append(("Idempotency-Key", f"{side.name}-{side.lecture}-{key}"))
            path_here = path.format(lecture=side.lecture, other=side.other)
            answers.append(side.client.request(method, path_here, content=body, headers=sent))
        fast, slow = answers
        request = f"{method} {path} {headers or ''} {content_type} {(body or b'')[:100]!r}"
        self.assert_alike(request, fast, slow)
        return fast, slow

    def assert_alike(self, request: str, fast: Response, slow: Response) -> None:
        assert fast.status_code == slow.status_code, (request, fast.text, slow.text)
        fast_body, slow_body = self._body(self.fast, fast), self._body(self.slow, slow)
        assert fast_body == slow_body, (request, fast.text, slow.text)
        fast_headers, slow_headers = _headers(fast), _headers(slow)
        assert fast_headers.keys() == slow_headers.keys(), (request, fast_headers, slow_headers)
        for name in fast_headers.keys() - UNCOMPARED_HEADERS:
            assert fast_headers[name] == slow_headers[name], (request, name)
        if fast.content == slow.content:
            assert fast_headers.get("content-length") == slow_headers.get("content-length")

    @staticmethod
    def _body(side: Side, response: Response) -> Any:
        if not response.content:
            return None
        assert "json" in response.headers["content-type"], response.text
        return side.normal(response.json())


def _headers(response: Response) -> dict[str, list[str]]:
    """The answer's headers by lowercase name."""
    headers: dict[str, list[str]] = {}
    for name, value in response.headers.multi_items():
        headers.setdefault(name.lower(), []).append(value)
    return headers


def compact(value: Any) -> bytes:
    """JSON as the editor writes it: compact, camelCase keys as given."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def on(revision: int) -> list[tuple[str, str]]:
    return [("If-Match", f'"{revision}"')]


def revision_of(answers: tuple[Response, Response]) -> int:
    """The revision both saves made."""
    fast, _ = answers
    assert fast.status_code == 200, fast.text
    revision: int = fast.json()["revision"]
    return revision


@pytest.fixture(scope="module")
def apps(
    pg_server: TestServer, template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Client, Client]]:
    """The product and the same app without the fast path, on one database of this module's."""
    settings = load_settings(
        {
            "TUTOPANDA_HOME": str(tmp_path_factory.mktemp("fast-path")),
            "TUTOPANDA_JWT_SECRET": SECRET,
            "TUTOPANDA_MAX_BODY_BYTES": str(BODY_CAP),
            "TUTOPANDA_CONNECT_TIMEOUT": "1",
            # Each test makes projects, whose generation runs wait: no worker runs here.
            "TUTOPANDA_MAX_ACTIVE_RUNS": "10000",
            "TUTOPANDA_MAX_PROJECTS_PER_HOUR": "100000",
            "TUTOPANDA_WRITES_PER_MINUTE": "100000",
            **TEST_EVENT_POLL,
        }
    )
    with cloned_database(pg_server, template_db) as database:
        fast_app = create_app(settings, database.admin_url)
        fast_path = LectureController.middleware
        LectureController.middleware = []
        try:
            slow_app = create_app(settings, database.admin_url)
        finally:
            LectureController.middleware = fast_path
        slow_app.hot_routes = False  # type: ignore[attr-defined] # a TutopandaApp
        for method in ("GET", "PATCH"):
            assert FAST_PATH in middleware_chain(fast_app, method)
            assert FAST_PATH not in middleware_chain(slow_app, method)
            assert middleware_chain(slow_app, method)[-1] == "HTTPRoute.handle"
        with TestClient(fast_app) as fast, TestClient(slow_app) as slow:
            yield fast, slow


@pytest.fixture
def pair(apps: tuple[Client, Client]) -> Pair:
    """This test's lectures, alike on both apps, at revision 0."""
    fast, slow = apps
    return Pair(Side.start("fast", fast), Side.start("slow", slow))


def assert_same_lecture(pair: Pair) -> None:
    """Both lectures hold the same content, with the same history and the same drafts."""
    for suffix in ("", "/history", "/drafts"):
        fast, slow = pair.send("GET", "/lectures/{lecture}" + suffix)
        assert fast.status_code == 200, fast.text
        if suffix == "/history":
            assert len(fast.json()["items"]) == len(slow.json()["items"])


# The editor's saves: compact JSON, camelCase keys, each decided by api/save_body.py.
TITLE = compact({"payload": {"title": "Roads"}})
TIMELINE = compact(
    {
        "payload": {
            "timeline": {
                "id": "timeline",
                "name": "Timeline",
                "duration": 99,  # recomputed: 7.5
                "tracks": {
                    "visual": [
                        {"id": "k1", "name": "Forum", "kind": "kenBurns", "startTime": 0,
                         "duration": 4.5},
                        {"id": "k2", "name": "Arch", "kind": "kenBurns", "startTime": 4.5,
                         "duration": 3, "endScale": 1.5, "imageUrl": "https://x/a.png"},
                    ],
                    "voice": [
                        {"id": "v1", "name": "Intro", "kind": "voice", "startTime": 0,
                         "duration": 7, "volume": 0.8},
                    ],
                },
            }
        }
    }
)  # fmt: skip
SCRIPT = compact(
    {
        "payload": {
            "script": {
                "segments": [
                    {"narration": "Roads: é€😀 \"quoted\"", "backgroundMusic": "drums",
                     "effect": "hooves"},
                    {"narration": "Bridges.", "backgroundMusic": "strings", "effect": "water"},
                ]
            }
        }
    }
)  # fmt: skip
MERGED = compact({"merge": True, "payload": {"summary": "Stone and time"}})
CLASH = compact({"merge": True, "payload": {"title": "Bridges"}})
FORCED = compact({"force": True, "payload": {"title": "Aqueducts"}})
STALE = compact({"payload": {"summary": "Late"}})
IMAGES = compact(
    {"merge": False, "force": False, "payload": {"images": [{"id": "i", "prompt": "p"}]}}
)
CLEARED = compact({"payload": {"summary": None, "timeline": None}})
SPACED = b'{ "payload" : { "title" : "Spaced: out" } }\n'
EDITOR_FORM = (TITLE, TIMELINE, SCRIPT, MERGED, CLASH, FORCED, STALE, IMAGES, CLEARED, SPACED)

# Saves the fast path hands to the handler: api/save_body.py leaves them to pydantic.
VOICE = {"id": "v1", "name": "Intro", "kind": "voice", "startTime": 0, "duration": 2}
SNAKE = compact({"payload": {"timeline": {"tracks": {"voice": [{**VOICE, "start_time": 1}]}}}})
SNAKE_SECTION = compact({"payload": {"timeline": {"tracks": {"sound_effects": []}}}})
UNKNOWN_KEY = compact(
    {"payload": {"timeline": {"tracks": {"voice": [{**VOICE, "editorPin": {"locked": True}}]}}}}
)
DUPLICATE = b'{"payload":{"title":"x","summary":"s","title":"y"}}'
NUL = b'{"payload":{"title":"a\\u0000b"}}'
ESCAPED = b'{"payload":{"title":"caf\\u00e9"}}'
NULL_TITLE = b'{"payload":{"title":null}}'
WRONG_TYPE = b'{"force":"yes","payload":{"title":"x"}}'
EMPTY = b'{"payload":{}}'
INVALID = b'{"payload":'
HANDED_OVER = (
    SNAKE,
    SNAKE_SECTION,
    UNKNOWN_KEY,
    DUPLICATE,
    NUL,
    ESCAPED,
    NULL_TITLE,
    WRONG_TYPE,
    EMPTY,
    INVALID,
    b"",
)
# In the editor's form but over TUTOPANDA_MAX_BODY_BYTES: 413 from the fast path itself.
SEGMENT = {"narration": "x" * 90_000, "backgroundMusic": "m", "effect": "e"}
OVERSIZED = compact({"payload": {"script": {"segments": [SEGMENT] * 3}}})


def test_each_body_is_in_the_form_its_test_means() -> None:
    assert all(checked_save(body) is not None for body in EDITOR_FORM)
    assert all(checked_save(body) is None for body in HANDED_OVER)
    assert len(OVERSIZED) > BODY_CAP
    assert checked_save(OVERSIZED) is not None  # refused for its size alone


def test_reads_answer_alike(pair: Pair) -> None:
    fast, _ = pair.send("GET", "/lectures/{lecture}")
    assert (fast.status_code, fast.headers["etag"]) == (200, '"0"')
    for if_none_match, status in [
        ('"0"', 304),
        ('"7"', 200),
        ("*", 304),
        ('W/"0"', 304),
        ('W/"1"', 200),
        ('"3", W/"0"', 304),
        ('"3","4"', 200),
        ("", 200),
        ("garbage", 200),
    ]:
        headers = [("If-None-Match", if_none_match)]
        fast, _ = pair.send("GET", "/lectures/{lecture}", headers=headers)
        assert fast.status_code == status, if_none_match
        assert (fast.content == b"") is (status == 304), if_none_match
    for path in ("/lectures/0", f"/lectures/{MAX_SERIAL + 1}", "/lectures/{other}"):
        fast, _ = pair.send("GET", path)
        assert fast.status_code == 404, path
    fast, _ = pair.send("GET", "/lectures/{other}", headers=[("If-None-Match", "*")])
    assert fast.status_code == 404, fast.text  # no 304 for a lecture one may not read
    fast, _ = pair.send("GET", "/lectures/{lecture}", user="carol")  # a viewer
    assert fast.status_code == 200, fast.text
    fast, _ = pair.send("GET", "/lectures/{lecture}", user="eve")  # a stranger
    assert fast.status_code == 404, fast.text
    fast, _ = pair.send("GET", "/lectures/{lecture}?fields=title")  # an unknown query
    assert fast.status_code == 200, fast.text


def test_editor_saves_answer_alike(pair: Pair) -> None:
    lecture = "/lectures/{lecture}"
    assert revision_of(pair.send("PATCH", lecture, body=TITLE, headers=on(0))) == 1
    assert revision_of(pair.send("PATCH", lecture, body=TIMELINE, headers=on(1))) == 2
    timeline = pair.send("GET", lecture)[0].json()["timeline"]
    assert timeline["duration"] == 7.5
    assert timeline["tracks"]["visual"][0]["startScale"] == 1  # a default, filled
    assert revision_of(pair.send("PATCH", lecture, body=SCRIPT, headers=on(2))) == 3
    # On revision 2, merged onto 3: the summary did not change since.
    merged, _ = pair.send("PATCH", lecture, body=MERGED, headers=on(2))
    assert (merged.status_code, merged.json()["mergedOnto"]) == (200, 3)
    clash, _ = pair.send("PATCH", lecture, body=CLASH, headers=on(0))
    assert clash.status_code == 409, clash.text
    assert [conflict["pointer"] for conflict in clash.json()["conflicts"]] == ["/title"]
    assert revision_of(pair.send("PATCH", lecture, body=FORCED, headers=on(1))) == 5
    stale, _ = pair.send("PATCH", lecture, body=STALE, headers=on(4))
    assert (stale.status_code, stale.json()["code"]) == (409, "revision_conflict")
    assert (stale.json()["lecture"]["revision"], "draftId" in stale.json()) == (5, True)
    assert revision_of(pair.send("PATCH", lecture, body=IMAGES, headers=on(5))) == 6
    assert revision_of(pair.send("PATCH", lecture, body=CLEARED, headers=on(6))) == 7
    assert revision_of(pair.send("PATCH", lecture, body=SPACED, headers=on(7))) == 8
    same = pair.send("PATCH", lecture, body=SPACED, headers=on(8))  # changes nothing
    assert same[0].status_code == 200, same[0].text
    for content_type in ("text/plain", None):  # the body is JSON whatever it is said to be
        pair.send("PATCH", lecture, body=TITLE, headers=on(0), content_type=content_type)
    viewer, _ = pair.send("PATCH", lecture, user="carol", body=TITLE, headers=on(8))
    assert viewer.status_code == 403, viewer.text
    stranger, _ = pair.send("PATCH", lecture, user="eve", body=TITLE, headers=on(8))
    assert stranger.status_code == 404, stranger.text
    theirs, _ = pair.send("PATCH", "/lectures/{other}", body=TITLE, headers=on(0))
    assert theirs.status_code == 404, theirs.text
    # An id no row can have: 404 before the body is read (so not 413 for one over the limit).
    for path in ("/lectures/0", f"/lectures/{MAX_SERIAL + 1}"):
        for body in (TITLE, OVERSIZED):
            fast, _ = pair.send("PATCH", path, body=body, headers=on(0))
            assert fast.status_code == 404, (path, fast.text)
    assert_same_lecture(pair)


def test_saves_handed_to_the_handler_answer_alike(pair: Pair) -> None:
    lecture = "/lectures/{lecture}"
    revision = revision_of(pair.send("PATCH", lecture, body=TITLE, headers=on(0)))
    fast, _ = pair.send("PATCH", lecture, body=TITLE)  # no If-Match
    assert fast.status_code == 422, fast.text
    for if_match in (f'W/"{revision}"', f'"0{revision}"', "*", f'"{revision}", "2"', ""):
        fast, _ = pair.send("PATCH", lecture, body=TITLE, headers=[("If-Match", if_match)])
        assert fast.status_code == 422, (if_match, fast.text)
    for body in HANDED_OVER:
        fast, _ = pair.send("PATCH", lecture, body=body, headers=on(revision))
        assert fast.status_code in (200, 400, 422), (body, fast.text)
        if fast.status_code == 200:
            revision = fast.json()["revision"]
    fast, _ = pair.send("PATCH", lecture, body=OVERSIZED, headers=on(revision))
    assert fast.status_code == 413, fast.text
    # A Content-Length that is no number (over HTTP, httptools refuses it first): 400 alike, and
    # one too long for int() was a 500 of the fast path's own read.
    for length in ("12a", "9" * 5000):
        headers = [*on(revision), ("Content-Length", length)]
        fast, _ = pair.send("PATCH", lecture, body=TITLE, headers=headers)
        assert fast.status_code == 400, (length[:10], fast.text)
    stored = pair.send("GET", lecture)[0].json()
    assert stored["title"] == "café"
    assert stored["timeline"]["tracks"]["voice"][0]["editorPin"] == {"locked": True}
    assert_same_lecture(pair)


def test_idempotency_keys_answer_alike(pair: Pair) -> None:
    lecture = "/lectures/{lecture}"
    first = pair.send("PATCH", lecture, body=TITLE, headers=on(0), key="save")
    again = pair.send("PATCH", lecture, body=TITLE, headers=on(0), key="save")
    for before, after in zip(first, again, strict=True):
        assert (before.status_code, after.status_code) == (200, 200), after.text
        assert "idempotent-replayed" not in before.headers
        assert after.headers["idempotent-replayed"] == "true"
        assert after.content == before.content
    first = pair.send("PATCH", lecture, body=STALE, headers=on(0), key="stale")
    again = pair.send("PATCH", lecture, body=STALE, headers=on(0), key="stale")
    for before, after in zip(first, again, strict=True):
        assert (before.status_code, after.status_code) == (409, 409), after.text
        assert after.headers["idempotent-replayed"] == "true"
        assert after.json()["draftId"] == before.json()["draftId"]
    # The key of another request: refused alike, and nothing written.
    reused, _ = pair.send("PATCH", lecture, body=SCRIPT, headers=on(1), key="save")
    assert reused.status_code == 422, reused.text
    # A keyed request the fast path hands over, and one it refuses: nothing kept, alike.
    for body, status in ((SNAKE_SECTION, 200), (TITLE, 404)):
        path = lecture if status == 200 else "/lectures/{other}"
        fast, _ = pair.send("PATCH", path, body=body, headers=on(1), key=f"k{status}")
        assert fast.status_code == status, fast.text
        again = pair.send("PATCH", path, body=body, headers=on(1), key=f"k{status}")
        assert ("idempotent-replayed" in again[0].headers) is (status == 200)
    assert_same_lecture(pair)


def test_reads_and_saves_leave_both_lectures_alike(pair: Pair) -> None:
    """One editor session end to end, then the lectures compared as a whole."""
    lecture = "/lectures/{lecture}"
    revision = 0
    for body in (TITLE, TIMELINE, UNKNOWN_KEY, SCRIPT, SNAKE_SECTION, IMAGES, ESCAPED):
        revision = revision_of(pair.send("PATCH", lecture, body=body, headers=on(revision)))
        pair.send("GET", lecture, headers=[("If-None-Match", f'"{revision}"')])
    pair.send("PATCH", lecture, body=MERGED, headers=on(revision - 1))
    pair.send("PATCH", lecture, body=STALE, headers=on(0))
    assert_same_lecture(pair)


def test_what_the_shortcut_to_the_route_leaves_out_answers_alike(pair: Pair) -> None:
    """Requests around api/hot_routes.py: those it takes (refused by the route's middleware, or
    with a Host or Origin it lets through) and those it leaves to Litestar's router."""
    lecture = "/lectures/{lecture}"
    token = bearer("alice")["Authorization"].removeprefix("Bearer ")
    refused = ["", "Bearer nope", "Basic YTpi", f"Bearer {token} x", f"Token {token}"]
    for method, body in (("GET", None), ("PATCH", TITLE)):
        for authorization in refused:
            headers = [*on(0), ("Authorization", authorization)]
            fast, _ = pair.send(method, lecture, user=None, body=body, headers=headers)
            assert fast.status_code == 401, (authorization, fast.text)
        fast, _ = pair.send(method, lecture, user=None, body=body, headers=on(0))  # no token
        assert fast.status_code == 401, fast.text
    headers = [*on(0), ("Authorization", f"bearer {token}")]  # the scheme in any case
    revision = revision_of(pair.send("PATCH", lecture, user=None, body=TITLE, headers=headers))
    for host in ("example.org:8080", "[::1]:80", "", "exa_mple.org", "a b", "ex%41mple.org", "x/y"):
        fast, _ = pair.send("GET", lecture, headers=[("Host", host)])
        assert fast.status_code in (200, 400), (host, fast.text)
        answers = pair.send("PATCH", lecture, body=SCRIPT, headers=[*on(revision), ("Host", host)])
        if answers[0].status_code == 200:
            revision = revision_of(answers)
    fast, _ = pair.send("GET", lecture, headers=[("Origin", "https://elsewhere.example")])
    assert fast.status_code == 200, fast.text  # no CORS configured: no CORS headers either
    odd_paths = ["/lectures/01", "/lectures/1/", "//lectures/1", "/lectures/+1", "/lectures/1.0"]
    odd_paths += ["/lectures/" + "9" * 19, "/lectures/" + "9" * 30, "/lectures/{lecture}/"]
    for path in odd_paths:
        fast, _ = pair.send("GET", path)
        assert fast.status_code in (200, 404), (path, fast.text)
        answers = pair.send("PATCH", path, body=TITLE, headers=on(revision))
        assert answers[0].status_code in (200, 404, 409), (path, answers[0].text)
        if answers[0].status_code == 200:
            revision = revision_of(answers)
    assert_same_lecture(pair)
