"""CORS (api/cors.py): browsers on TUTOPANDA_CORS_ORIGINS may use every method and header the
routes declare, other origins get no `Access-Control-Allow-Origin`, and without the setting no
answer carries a CORS header at all."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tests.api.helpers import new_lecture
from tests.support.databases import TestDatabase
from tutopanda.api.app import create_app
from tutopanda.api.cors import EXPOSED_HEADERS, MAX_AGE_SECONDS
from tutopanda.settings import Settings

Client = TestClient[Litestar]

ORIGIN = "http://localhost:3000"  # the Next.js front-end in development
SECOND_ORIGIN = "https://editor.example"
UNLISTED = "http://localhost:3001"
# What a browser's preflight asks for before discarding a draft with a key, resuming a stream.
REQUESTED_HEADERS = ("last-event-id", "idempotency-key", "if-match", "authorization")
# Response headers a script reads without being exposed (CORS-safelisted), and those that are
# for the browser itself (CORS, caches, the security headers of api/security_headers.py).
SAFELISTED = {
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
}
FOR_THE_BROWSER = {
    "vary",
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
}


@pytest.fixture
def cors_client(settings: Settings, database: TestDatabase) -> Iterator[Client]:
    """The app with two origins allowed (comma-separated, spaces around them ignored)."""
    listed = settings.model_copy(update={"cors_origins": f" {ORIGIN} , {SECOND_ORIGIN}"})
    with TestClient(create_app(listed, database.admin_url)) as test_client:
        yield test_client


def _listed(value: str) -> set[str]:
    return {item.strip().lower() for item in value.split(",") if item.strip()}


def _preflight(client: Client, origin: str, method: str, headers: str = "") -> httpx.Response:
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return client.options("/lectures/1/drafts/1", headers=asked)


def _cors_headers(response: httpx.Response) -> set[str]:
    return {name for name in response.headers if name.lower().startswith("access-control-")}


def test_every_method_and_header_parameter_of_the_routes_is_allowed(cors_client: Client) -> None:
    app = cors_client.app
    config = app.cors_config
    assert config is not None
    methods = {m for route in app.routes if isinstance(route, HTTPRoute) for m in route.methods}
    assert set(config.allow_methods) == methods | {"OPTIONS"}  # derived: nothing more, or less
    assert {"GET", "POST", "PATCH", "DELETE"} <= set(config.allow_methods)

    document = app.openapi_schema.to_schema()
    header_parameters = {
        parameter["name"].lower()
        for item in document["paths"].values()
        for operation in [item, *(op for op in item.values() if isinstance(op, dict))]
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "header"
    }
    assert {"if-match", "if-none-match", "last-event-id", "idempotency-key"} <= header_parameters
    assert header_parameters <= set(config.allow_headers)
    # Read by middleware, declared by no parameter.
    assert {"authorization", "content-type", "x-request-id"} <= set(config.allow_headers)
    assert config.allow_credentials is False
    assert config.max_age == MAX_AGE_SECONDS


@pytest.mark.parametrize("origin", [ORIGIN, SECOND_ORIGIN])
def test_a_preflight_from_a_listed_origin_allows_what_the_routes_take(
    cors_client: Client, origin: str
) -> None:
    response = _preflight(cors_client, origin, "DELETE", ", ".join(REQUESTED_HEADERS))
    assert response.status_code == 204, response.text
    headers = response.headers
    assert headers["access-control-allow-origin"] == origin
    assert "DELETE" in headers["access-control-allow-methods"].split(", ")
    assert set(REQUESTED_HEADERS) <= _listed(headers["access-control-allow-headers"])
    assert headers["access-control-max-age"] == str(MAX_AGE_SECONDS)
    assert "access-control-allow-credentials" not in headers
    assert "origin" in _listed(headers["vary"])


def test_a_preflight_for_what_no_route_takes_is_refused(cors_client: Client) -> None:
    app = cors_client.app
    methods = {m for route in app.routes if isinstance(route, HTTPRoute) for m in route.methods}
    unused = next(method for method in ("PUT", "TRACE") if method not in methods)
    for response in (
        _preflight(cors_client, ORIGIN, unused),
        _preflight(cors_client, ORIGIN, "GET", "if-match, x-nobody-reads-this"),
    ):
        # Litestar's answer: 400 text/plain naming what is disallowed, no CORS header at all.
        assert response.status_code == 400
        assert _cors_headers(response) == set()


def test_an_unlisted_origin_is_refused(cors_client: Client, auth: Headers) -> None:
    preflight = _preflight(cors_client, UNLISTED, "DELETE", "if-match")
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    # A request the browser sends without a preflight is answered, but not readable by the page.
    answer = cors_client.get("/projects", headers={**auth(), "Origin": UNLISTED})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


def test_answers_to_a_listed_origin_expose_every_header_a_script_needs(
    cors_client: Client, auth: Headers
) -> None:
    """Every header the routes send, on a run of writes and reads, is exposed or safelisted."""
    headers = {**auth(), "Origin": ORIGIN}
    keyed = {**headers, "Idempotency-Key": "cors-create-1"}
    created = cors_client.post("/projects", json={"prompt": "Roads"}, headers=keyed)
    replayed = cors_client.post("/projects", json={"prompt": "Roads"}, headers=keyed)
    assert (created.status_code, replayed.status_code) == (201, 201)
    assert replayed.headers["idempotent-replayed"] == "true"
    path = f"/lectures/{created.json()['lectureId']}"
    read = cors_client.get(path, headers=headers)
    etag = read.headers["etag"]
    unchanged = cors_client.get(path, headers={**headers, "If-None-Match": etag})
    save = {"payload": {"title": "Roads"}}
    saved = cors_client.patch(path, json=save, headers={**headers, "If-Match": etag})
    stale = cors_client.patch(path, json=save, headers={**headers, "If-Match": etag})
    unsigned = cors_client.get("/projects", headers={"Origin": ORIGIN})
    answers = [created, replayed, read, unchanged, saved, stale, unsigned]
    assert [a.status_code for a in answers] == [201, 201, 200, 304, 200, 409, 401]

    exposed = {name.lower() for name in EXPOSED_HEADERS}
    for answer in answers:
        assert answer.headers["access-control-allow-origin"] == ORIGIN
        assert _listed(answer.headers["access-control-expose-headers"]) == exposed
        sent = {name.lower() for name in answer.headers} - _cors_headers(answer)
        assert sent - SAFELISTED - FOR_THE_BROWSER <= exposed, answer.request.url


def test_without_origins_no_answer_carries_cors_headers(
    client: Client, auth: Headers, settings: Settings
) -> None:
    assert settings.cors_origins == ""
    assert client.app.cors_config is None
    preflight = _preflight(client, ORIGIN, "DELETE", ", ".join(REQUESTED_HEADERS))
    assert preflight.status_code == 204  # the app's own OPTIONS answer (api/openapi.py)
    assert preflight.headers["allow"] == "DELETE, GET, OPTIONS"
    lecture = new_lecture(client, auth())
    for response in (
        preflight,
        client.get("/health", headers={"Origin": ORIGIN}),
        client.get(f"/lectures/{lecture['lectureId']}", headers={**auth(), "Origin": ORIGIN}),
    ):
        assert _cors_headers(response) == set()
