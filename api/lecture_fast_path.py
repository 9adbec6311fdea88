"""The editor's two hot routes, `GET` and `PATCH /lectures/{lectureId}`, served without Litestar's
per-request machinery (a Request, its kwargs, signature model, dependencies, DTO and Response):
about as much CPU as the call to the database itself.

It is the innermost middleware of those routes (api/controllers/lectures.py): the app's own layers
have run (request id, authentication, write rate, Idempotency-Key) and run on its answer (request
id, security headers, CORS); its errors are raised, and answered by the one mapping
(api/problems.py). The handlers behind it are the routes' contract (the OpenAPI document is made
from them) and serve every save this module does not: a body in any form but the editor's
(api/save_body.py), an `If-Match` missing or malformed. tests/api/test_lecture_fast_path.py checks
that both answer alike.
"""

from __future__ import annotations

import math
from typing import Any, cast

from litestar.exceptions import InternalServerException
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers import HTTPRouteHandler
from litestar.types import ASGIApp, HTTPScope, Receive, Scope, Send

from tutopanda.api.database import Connection, request_connection
from tutopanda.api.middleware import raw_header, replaying
from tutopanda.api.params import refuse_unknown_ids_of
from tutopanda.api.preconditions import etag, matched_revision, none_match
from tutopanda.api.problems import send_problem
from tutopanda.api.save_body import checked_save
from tutopanda.api.writes import saved_answer, went_through_answer
from tutopanda.store import lectures

CACHE_CONTROL = "private, no-cache"  # a read's answer: kept by the browser, asked again
_JSON = (b"content-type", b"application/json")
_NOT_CACHED = (b"cache-control", CACHE_CONTROL.encode())


def lecture_fast_path(app: ASGIApp) -> ASGIApp:
    """The middleware serving GET and the editor's PATCH of a lecture; the rest goes to `app`."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        method = cast("HTTPScope", scope)["method"]
        try:
            if method == "GET":
                await _read(scope, send)
                return
            if method == "PATCH":
                left = await _saved(scope, receive, send)
                if left is None:
                    return
                receive = left
        except Exception as error:  # nothing was sent: every answer is sent last
            await send_problem(scope, receive, send, error)
            return
        await app(scope, receive, send)

    return middleware


async def read_answer(
    conn: Connection, user_id: str, lecture_id: int, if_none_match: str | None
) -> tuple[int, str, bytes]:
    """A read's status, ETag and body (this module's and the GET handler's): the lecture's JSON
    text as the database made it, or 304 and no body for an `If-None-Match` it matches. Every
    read answer is sent with `Cache-Control: CACHE_CONTROL`."""
    read = await lectures.get_lecture_wire(conn, user_id, lecture_id)
    if none_match(if_none_match, read.revision):
        return 304, etag(read.revision), b""
    return 200, etag(read.revision), read.lecture.encode()


async def _read(scope: Scope, send: Send) -> None:
    lecture_id = _lecture_id(scope)
    if_none_match = raw_header(scope, b"if-none-match")
    async with request_connection(scope) as conn:
        status, tag, body = await read_answer(
            conn,
            str(scope["user"]),
            lecture_id,
            None if if_none_match is None else if_none_match.decode("latin-1"),
        )
    headers = [(b"etag", tag.encode()), _NOT_CACHED]
    if status == 200:
        headers += [_JSON, (b"content-length", str(len(body)).encode())]
    await _answer(send, status, headers, body)


async def _saved(scope: Scope, receive: Receive, send: Send) -> Receive | None:
    """Save a body in the editor's form on the `If-Match` revision: None once answered. Else
    what the handler is to receive the request with: `receive`, or the body read here again."""
    lecture_id = _lecture_id(scope)
    if_match = raw_header(scope, b"if-match")
    base = matched_revision(if_match.decode("latin-1")) if if_match is not None else None
    if base is None:
        return receive
    body = await _body(scope, receive)
    if body is None:
        return receive
    save = checked_save(body)
    if save is None:
        return replaying(body, receive)
    async with request_connection(scope) as conn:
        result = await lectures.save_sections(
            conn,
            str(scope["user"]),
            lecture_id,
            base,
            save.payload,
            merge=save.merge,
            force=save.force,
        )
    if isinstance(result, lectures.Saved):
        content, tag = went_through_answer(result)
    else:
        content, tag = saved_answer(result, base)
    headers = [(b"etag", tag.encode()), _JSON, (b"content-length", str(len(content)).encode())]
    await _answer(send, 200, headers, content)
    return None


async def _body(scope: Scope, receive: Receive) -> bytes | None:
    """The request's body, read as Litestar's Request reads it (the route's size limit: 413 on a
    `Content-Length` or on bytes beyond it) without building one (~25 us a save); None, with
    nothing read, for a `Content-Length` that is no number: the handler's to refuse (400)."""
    route: HTTPRouteHandler = scope["route_handler"]  # type: ignore[assignment] # PATCH: HTTP
    limit = route.resolve_request_max_body_size() or math.inf
    announced = raw_header(scope, b"content-length")
    if announced is not None:
        length = _number(announced)
        if length is None:
            return None
        if length > limit:
            raise RequestEntityTooLarge
    chunks: list[bytes] = []
    size = 0
    while True:
        event = await receive()
        if event["type"] == "http.disconnect":
            raise InternalServerException("client disconnected prematurely")  # as Litestar
        if event["type"] != "http.request":
            continue
        chunk: bytes = event.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise RequestEntityTooLarge
            chunks.append(chunk)
        if not event.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _number(digits: bytes) -> int | None:
    """The value of a header of decimal digits; None for anything else, or for more digits than
    int() reads (4,300: a ValueError, which Litestar's own read answers 400 too)."""
    if not digits.isdigit():
        return None
    try:
        return int(digits)
    except ValueError:
        return None


def _lecture_id(scope: Scope) -> int:
    """The path's lecture id; 404 when no row can have it (api/params.py)."""
    path_params: dict[str, Any] = scope["path_params"]
    refuse_unknown_ids_of(path_params)
    lecture_id: int = path_params["lecture_id"]
    return lecture_id


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
