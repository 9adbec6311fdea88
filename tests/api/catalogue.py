"""A catalogue of malformed requests: for each route, the bodies, headers and parameters a hostile
or broken client may send, each with the problem it must get (status and code)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from tests.api.conftest import BODY_CAP, SECRET


@dataclass(frozen=True)
class Route:
    """A route of the API; `body` names the kind of JSON body it reads (None: no body)."""

    method: str
    path: str  # with {lecture}, {revision}, {run}, {project} and {draft} placeholders
    body: str | None = None


@dataclass(frozen=True)
class Bad:
    """One malformed request and the answer it must get."""

    label: str
    status: int
    code: str
    content: bytes | None = None
    headers: dict[str, str | bytes] = field(default_factory=dict)
    path: str | None = None  # replaces the route's path (parameters out of range)


ROUTES = [
    Route("POST", "/projects", "project"),
    Route("GET", "/projects"),
    Route("GET", "/lectures/{lecture}"),
    Route("PATCH", "/lectures/{lecture}", "save"),
    Route("GET", "/lectures/{lecture}/history"),
    Route("GET", "/lectures/{lecture}/history/{revision}"),
    Route("POST", "/lectures/{lecture}/history/{revision}/restore", "restore"),
    Route("GET", "/lectures/{lecture}/diff?from=0&to=0"),
    Route("POST", "/lectures/{lecture}/workflows", "workflow"),
    Route("GET", "/workflow-runs/{run}"),
    Route("POST", "/workflow-runs/{run}/cancel"),
    Route("POST", "/workflow-runs/{run}/resume"),
    Route("POST", "/workflow-runs/{run}/accept", "accept"),
    Route("POST", "/workflow-runs/{run}/reject"),
    Route("POST", "/lectures/{lecture}/assets/image/x/regenerate", "regenerate"),
    Route("GET", "/lectures/{lecture}/drafts"),
    Route("GET", "/lectures/{lecture}/drafts/{draft}"),
    Route("DELETE", "/lectures/{lecture}/drafts/{draft}"),
    Route("POST", "/lectures/{lecture}/drafts/{draft}/apply"),
    Route("GET", "/projects/{project}"),
    Route("PATCH", "/projects/{project}", "project_update"),
    Route("GET", "/lectures/{lecture}/events"),  # only refused requests: a stream never ends
    Route("PUT", "/lectures/{lecture}/presence", "presence"),
    Route("GET", "/projects/{project}/members"),
    Route("PUT", "/projects/{project}/members/guest-1", "member"),
    Route("DELETE", "/projects/{project}/members/guest-1"),
]
OPTIONAL_BODIES = {"accept", "regenerate", "restore"}  # no body at all is fine there
# A write on a revision names it in If-Match: every request of the catalogue to one carries this
# valid header, unless the case is about the header.
ON_A_REVISION = {"save", "restore", "project_update"}
VALID_IF_MATCH = '"0"'

# A valid body per kind, with `@` where a JSON string's content goes and `%` where a JSON value
# goes inside a passthrough object (extra keys there are kept as sent).
_TEMPLATES = {
    "project": (b'{"prompt":"@"}', b'{"prompt":"p","settings":{"general":{"x":%}}}'),
    "save": (
        b'{"payload":{"title":"@"}}',
        b'{"payload":{"images":[{"id":"i","prompt":"p","x":%}]}}',
    ),
    "restore": (b'{"force":false,"@":0}', b'{"force":false,"x":%}'),
    "workflow": (b'{"kind":"@"}', b'{"kind":"timeline_resynthesis","x":%}'),
    "accept": (b'{"force":false,"@":1}', b'{"force":false,"x":%}'),
    "regenerate": (b'{"prompt":"@"}', b'{"prompt":"p","x":%}'),
    "project_update": (b'{"name":"@"}', b'{"settings":{"general":{"x":%}}}'),
    "presence": (b'{"focus":{"section":"timeline","itemId":"@"}}', b'{"focus":null,"x":%}'),
    "member": (b'{"role":"@"}', b'{"role":"viewer","x":%}'),
}
_VALID: dict[str, dict[str, Any]] = {
    "project": {"prompt": "Rome"},
    "save": {"payload": {"title": "x"}},
    "restore": {"force": False},
    "workflow": {"kind": "timeline_resynthesis"},
    "accept": {"force": False},
    "regenerate": {"prompt": "p"},
    "project_update": {"name": "n"},
    "presence": {"focus": {"section": "timeline"}},
    "member": {"role": "viewer"},
}
# Wrong JSON types (and values out of range) for the fields of each body: 422 naming the field.
_WRONG: dict[str, dict[tuple[str, ...], list[Any]]] = {
    "project": {
        ("prompt",): [5, None, [], {}, True],
        ("name",): [5, [], False],
        ("settings",): ["x", [], 5],
        ("settings", "general", "duration"): [60, None],
        ("settings", "general", "useVideo"): ["yes", 1],
        ("settings", "image", "imagesPerSegment"): ["1", True, 1.5, 3],
        ("settings", "research", "model"): [5, ""],
    },
    "save": {
        ("baseRevision",): [0],  # the revision is If-Match's, not the body's
        ("force",): ["yes", 1, None],
        ("merge",): ["no", 0],
        ("payload",): [[], "x", None, 5, {}],
        ("payload", "title"): [5, None, "", True],
        ("payload", "images"): [{}, "x", [5], [{"id": 5, "prompt": "p"}], [{"id": "i"}]],
        ("payload", "timeline"): [[], {"tracks": {"voice": [{"id": "v", "kind": "voice"}]}}],
        ("payload", "script"): [{"segments": "x"}, {"segments": []}],
        ("surprise",): [1],
    },
    "restore": {
        ("baseRevision",): [0],
        ("force",): ["yes", 0],
        ("surprise",): [1],
    },
    "workflow": {
        ("kind",): ["other", "asset_regeneration", 5, None, []],
        ("fromStep",): [0, 2, 101, "1", 1.5, None],  # timeline_resynthesis has one step
        ("force",): ["yes", 1],
        ("originalRunId",): [5, "", "x", "00000000-0000-0000-0000-00000000000A"],
        ("surprise",): [1],
    },
    "accept": {("force",): ["yes", 1, None], ("surprise",): [1]},
    "regenerate": {("prompt",): [5, "", [], {}, "x" * 10_001], ("surprise",): [1]},
    "project_update": {
        ("baseRevision",): [0],
        ("name",): [5, "", []],
        ("settings",): ["x", [], 5],
        ("settings", "general"): [None, "x", []],
        ("settings", "general", "duration"): [60, None, "45"],
        ("settings", "general", "colour"): ["red"],
        ("settings", "lighting"): [{}],
        ("settings", "image", "imagesPerSegment"): ["1", True, 3],
        ("surprise",): [1],
    },
    "presence": {
        ("focus",): ["timeline", 5, [], True],
        ("focus", "section"): [5, "nope", None, ""],
        ("focus", "itemId"): [5, "", "x" * 201, []],
        ("surprise",): [1],
    },
    "member": {("role",): ["admin", 5, None, "", "Owner"], ("surprise",): [1]},
}
_NOW = datetime.now(UTC)
_LATER = _NOW + timedelta(hours=1)


def encoded(headers: dict[str, str | bytes]) -> list[tuple[bytes, bytes]]:
    """Headers as bytes: some values of the catalogue are not text."""
    return [
        (name.encode(), value if isinstance(value, bytes) else value.encode())
        for name, value in headers.items()
    ]


def _token(claims: dict[str, Any], algorithm: str = "HS256", secret: str = SECRET) -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def _set(document: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    copy: dict[str, Any] = json.loads(json.dumps(document))
    target = copy
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return copy


def body_cases(kind: str) -> list[Bad]:
    """Malformed JSON, encodings, NUL, duplicates, nesting, numbers, size and wrong types."""
    text, extra = _TEMPLATES[kind]

    def in_text(raw: bytes) -> bytes:
        return text.replace(b"@", raw)

    def in_extra(raw: bytes) -> bytes:
        return extra.replace(b"%", raw)

    first_key = next(iter(_VALID[kind]))
    valid = json.dumps(_VALID[kind]).encode()
    malformed = [b"{", b'{"a":', b"{'a': 1}", b'{"a" 1}', b'{"a":1,}', b"{} {}", b"\xef\xbb\xbf{}"]
    cases = [Bad(f"malformed {raw!r}", 400, "bad_request", raw) for raw in malformed]
    cases += [
        Bad(f"not an object {raw!r}", 422, "validation_failed", raw)
        for raw in (b"[]", b"null", b'"x"', b"123", b"true")
    ]
    if kind not in OPTIONAL_BODIES:
        cases.append(Bad("empty body", 422, "validation_failed", b""))
    cases += [
        Bad("invalid UTF-8", 400, "bad_request", in_text(b"a\xffb")),
        Bad("overlong UTF-8", 400, "bad_request", in_text(b"\xc0\xaf")),
        Bad("UTF-8 encoded surrogate", 400, "bad_request", in_text(b"\xed\xa0\x80")),
        Bad("Latin-1 text", 400, "bad_request", in_text(b"caf\xe9")),
        Bad("lone surrogate escape", 400, "bad_request", in_text(b"\\ud800")),
        Bad("lone low surrogate escape", 400, "bad_request", in_text(b"\\udc00x")),
        Bad("escaped NUL", 400, "bad_request", in_text(b"a\\u0000b")),
        Bad("raw NUL", 400, "bad_request", in_text(b"a\x00b")),
        Bad("control character", 400, "bad_request", in_text(b"a\x01b")),
        Bad("escaped NUL in a key", 400, "bad_request", in_extra(b'{"k\\u0000":1}')),
        Bad("escaped NUL in a passthrough value", 400, "bad_request", in_extra(b'"\\u0000"')),
        Bad("duplicate key", 400, "bad_request", b"{" + valid[1:-1] + b"," + valid[1:]),
        Bad("duplicate nested key", 400, "bad_request", in_extra(b'{"a":1,"a":2}')),
        Bad("deep nesting", 400, "bad_request", b"[" * 100_000 + b"]" * 100_000),
        Bad("deep passthrough", 400, "bad_request", in_extra(b'{"a":' * 300 + b"1" + b"}" * 300)),
        Bad("NaN", 400, "bad_request", in_extra(b"NaN")),
        Bad("Infinity", 400, "bad_request", in_extra(b"-Infinity")),
        Bad("number beyond a double", 422, "validation_failed", in_extra(b"1e400")),
        Bad("integer beyond Python's digits", 400, "bad_request", in_extra(b"9" * 5000)),
        Bad("over the size cap", 413, "payload_too_large", in_text(b"x" * (BODY_CAP + 1))),
        Bad("form body", 400, "bad_request", f"{first_key}=x".encode()),
    ]
    for path, values in _WRONG[kind].items():
        for value in values:
            content = json.dumps(_set(_VALID[kind], path, value)).encode()
            label = f"{'.'.join(path)}={value!r}"[:80]
            cases.append(Bad(label, 422, "validation_failed", content))
    return cases


def auth_cases() -> list[Bad]:
    """Missing, malformed, foreign, expired or unusable tokens, and other schemes: 401."""
    alice = _token({"sub": "alice", "exp": _LATER})
    headers: list[tuple[str, str | bytes]] = [
        ("no scheme", alice),
        ("Basic", "Basic YWxpY2U6c2VjcmV0"),
        ("Token scheme", f"Token {alice}"),
        ("JWT scheme", f"JWT {alice}"),
        ("no token", "Bearer"),
        ("garbage", "Bearer not.a.jwt"),
        ("two tokens", f"Bearer {alice} {alice}"),
        ("non-ASCII bytes", b"Bearer \xff\xfe"),
        ("other secret", "Bearer " + _token({"sub": "alice", "exp": _LATER}, secret="o" * 40)),
        ("HS512", "Bearer " + _token({"sub": "alice", "exp": _LATER}, "HS512", SECRET * 2)),
        ("alg none", "Bearer " + _token({"sub": "alice", "exp": _LATER}, "none", "")),
        ("no exp", "Bearer " + _token({"sub": "alice"})),
        ("no sub", "Bearer " + _token({"exp": _LATER})),
        ("expired", "Bearer " + _token({"sub": "alice", "exp": _NOW - timedelta(minutes=5)})),
        ("not yet valid", "Bearer " + _token({"sub": "alice", "exp": _LATER, "nbf": _LATER})),
        ("exp not a number", "Bearer " + _token({"sub": "alice", "exp": "tomorrow"})),
        ("sub a number", "Bearer " + _token({"sub": 42, "exp": _LATER})),
        ("sub empty", "Bearer " + _token({"sub": "", "exp": _LATER})),
        ("sub too long", "Bearer " + _token({"sub": "a" * 201, "exp": _LATER})),
        ("sub lone surrogate", "Bearer " + _token({"sub": "\ud800", "iat": _NOW, "exp": _LATER})),
        ("sub C1 control", "Bearer " + _token({"sub": "al\u0085ice", "exp": _LATER})),
        ("sub C0 control", "Bearer " + _token({"sub": "al\x1bice", "exp": _LATER})),
        ("sub NUL", "Bearer " + _token({"sub": "al\x00ice", "exp": _LATER})),
        ("huge", "Bearer " + "x" * 20_000),
    ]
    cases = [Bad("no Authorization", 401, "unauthorized", headers={"Authorization": ""})]
    cases += [
        Bad(f"token: {label}", 401, "unauthorized", headers={"Authorization": value})
        for label, value in headers
    ]
    return cases


def if_match_cases() -> list[Bad]:
    """Preconditions that name no revision, or none at all: 422 naming If-Match."""
    values: list[str | bytes] = [
        "",
        '"01"',
        '"9999999999"',
        '"2147483648"',
        '"99999999999999999999"',
        "*",
        'W/"0"',
        '"-1"',
        '"0", "1"',
        '"a"',
        "0",
        '"' + "9" * 1000 + '"',
        b'"\xff"',
    ]
    return [
        Bad(f"If-Match {value!r}"[:60], 422, "validation_failed", headers={"If-Match": value})
        for value in values
    ]


def lecture_path_cases(route: Route) -> list[Bad]:
    """Lecture ids that cannot name a lecture: 404 like a missing one."""
    ids = ["0", "-1", "2147483648", "9" * 30, "9" * 5000, "abc", "1.5", "1e3", "%00", "1%00"]
    return [
        Bad(
            f"lecture id {value[:20]}",
            404,
            "not_found",
            path=route.path.replace("{lecture}", value),
        )
        for value in ids
    ]


def run_path_cases(route: Route) -> list[Bad]:
    """Run ids that are not lowercase UUIDs: 404."""
    ids = ["x", "%00", "a" * 5000, "00000000-0000-0000-0000-00000000000G", "..%2f..%2fetc"]
    return [
        Bad(f"run id {value[:20]}", 404, "not_found", path=route.path.replace("{run}", value))
        for value in ids
    ]


def project_path_cases(route: Route) -> list[Bad]:
    """Project ids that cannot name a project: 404 like a missing one."""
    ids = ["0", "-1", "2147483648", "9" * 30, "abc", "1.5"]
    return [
        Bad(f"project id {v[:20]}", 404, "not_found", path=route.path.replace("{project}", v))
        for v in ids
    ]


def draft_path_cases(route: Route) -> list[Bad]:
    """Draft ids that cannot name a draft: 404 like a missing one."""
    ids = ["0", "-1", str(2**63), "9" * 30, "abc", "1.5", "999"]
    return [
        Bad(f"draft id {v[:20]}", 404, "not_found", path=route.path.replace("{draft}", v))
        for v in ids
    ]


def revision_path_cases(route: Route) -> list[Bad]:
    """Revisions out of range or of the wrong type."""
    cases = [
        Bad(
            f"revision {value}",
            422,
            "validation_failed",
            path=route.path.replace("{revision}", value),
        )
        for value in ("-1", "2147483648", "9" * 30)
    ]
    return [
        *cases,
        Bad("revision abc", 404, "not_found", path=route.path.replace("{revision}", "abc")),
    ]


QUERY_CASES = {
    "/lectures/{lecture}/history": [
        "?limit=0",
        "?limit=501",
        "?limit=abc",
        "?limit=1.5",
        "?limit=",
        "?limit=99999999999999999999",
        "?before=-1",
        "?before=2147483648",
        "?before=x",
    ],
    "/lectures/{lecture}/diff?from=0&to=0": [
        "?from=0",
        "?to=0",
        "?from=-1&to=0",
        "?from=0&to=2147483648",
        "?from=a&to=0",
        "?from=0&to=0.5",
        "?from=0&to=99999999999999999999999",
    ],
}


def query_cases(route: Route) -> list[Bad]:
    """Query parameters missing, out of range or of the wrong type: 422 naming them."""
    base = route.path.split("?")[0]
    return [
        Bad(f"query {query}", 422, "validation_failed", path=base + query)
        for query in QUERY_CASES.get(route.path, [])
    ]
