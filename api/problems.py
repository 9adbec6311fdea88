"""The one mapping from exceptions to HTTP problems (RFC 9457), and the handler that answers."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import psycopg
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import ParameterKwarg
from litestar.types import Receive, Scope, Send
from psycopg_pool import PoolTimeout
from pydantic import ValidationError

from tutopanda.api.bodies import MalformedBody
from tutopanda.api.middleware import REQUEST_ID_HEADER, request_id_of
from tutopanda.db.errors import domain_error
from tutopanda.errors import (
    Conflict,
    DomainError,
    Forbidden,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    QuotaExceeded,
    Unavailable,
)
from tutopanda.models.lecture import LectureSnapshot
from tutopanda.models.wire import FieldError, MergeConflict, Problem

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger("tutopanda.api")

# A subclass answers as its base: DeadlineExceeded and CommitUnconfirmed are Unavailable (503),
# LastOwner is a Conflict (409).
_DOMAIN_STATUS: dict[type[DomainError], int] = {
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 422,
    QuotaExceeded: 429,
    Unavailable: 503,
}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
}


# Litestar reports a missing parameter as text only; the field name is in it.
_MISSING = re.compile(r"^Missing required (?P<kind>\w+) parameter '(?P<name>[^']+)'")


class RevisionConflict(Exception):
    """A save or restore lost the race: answer 409 with the latest snapshot, the draft that
    keeps the refused sections and, after a merge, the conflicting paths."""

    def __init__(
        self,
        lecture: LectureSnapshot,
        base_revision: int | None,
        *,
        draft_id: int | None = None,
        conflicts: list[MergeConflict] | None = None,
    ):
        message = f"lecture {lecture.id} is at revision {lecture.revision}"
        if base_revision is not None:
            message += f", not {base_revision}"
        if conflicts:
            message += f"; {len(conflicts)} path(s) changed differently on both sides"
        super().__init__(message)
        self.lecture = lecture
        self.draft_id = draft_id
        self.conflicts = conflicts


class InvalidField(Exception):
    """One request field (a header, a parameter) is invalid: 422 naming it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass
class _Answer:
    status: int
    code: str
    detail: str
    errors: list[FieldError] | None = None
    lecture: LectureSnapshot | None = None
    draft_id: int | None = None
    conflicts: list[MergeConflict] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    quota: QuotaExceeded | None = None


def _answer(exc: Exception, names: dict[str, str]) -> _Answer:  # noqa: PLR0911
    """Decide status, code and detail for an exception, one branch per kind of error; none of it
    reveals internals.

    422 has two codes, one per kind: `validation_failed`, the request breaks a rule of the
    OpenAPI document (a type, a bound, a pattern, a required or unknown field; the database
    checks them again), `errors` naming each field as sent; `idempotency_key_reused`, a
    well-formed request whose `Idempotency-Key` was sent before with another request.
    """
    if isinstance(exc, psycopg.Error):
        exc = domain_error(exc) or exc
    if isinstance(exc, RevisionConflict):
        return _Answer(
            409,
            "revision_conflict",
            str(exc),
            lecture=exc.lecture,
            draft_id=exc.draft_id,
            conflicts=exc.conflicts,
        )
    if isinstance(exc, MalformedBody):
        return _Answer(400, "bad_request", str(exc))
    if isinstance(exc, IdempotencyKeyReused):
        reused = FieldError(field="Idempotency-Key", message=f"{exc.message} ({exc.hint})")
        return _Answer(422, exc.code, reused.message, errors=[reused])
    if (errors := _invalid_fields(exc, names)) is not None:
        return _Answer(422, "validation_failed", "the request is invalid", errors=errors)
    if isinstance(exc, DomainError):
        status = next((s for kind, s in _DOMAIN_STATUS.items() if isinstance(exc, kind)), 500)
        detail = exc.message if exc.hint is None else f"{exc.message} ({exc.hint})"
        if isinstance(exc, QuotaExceeded):
            retry = {"Retry-After": str(exc.retry_after)}
            return _Answer(status, exc.code, detail, headers=retry, quota=exc)
        headers = {"Retry-After": "5"} if status == 503 else {}
        return _Answer(status, exc.code, detail, headers=headers)
    if isinstance(exc, PoolTimeout | psycopg.OperationalError):
        return _Answer(
            503,
            "database_unavailable",
            "the database is unavailable, retry shortly",
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, NotAuthorizedException):
        return _Answer(
            401,
            "unauthorized",
            "a valid bearer token is required",
            headers={"WWW-Authenticate": 'Bearer realm="tutopanda"'},
        )
    if isinstance(exc, HTTPException):
        status = exc.status_code
        return _Answer(
            status,
            _HTTP_CODES.get(status, "http_error"),
            str(exc.detail),
            headers=dict(exc.headers or {}),
        )
    return _Answer(500, "internal_error", "an unexpected error occurred; quote the request id")


# Body fields that moved elsewhere: their unknown-field message says where.
_MOVED: dict[tuple[int | str, ...], str] = {
    ("baseRevision",): 'not read: the revision a write builds on is its If-Match header, like "5"',
}


def _invalid_fields(exc: Exception, names: dict[str, str]) -> list[FieldError] | None:
    """The invalid fields a validation error names (body, header, path or query), else None;
    a parameter by the name the client sent (`names`: Python name -> name on the wire)."""
    if isinstance(exc, ValidationError):
        return [
            FieldError(
                field=".".join(str(part) for part in line["loc"]) or "body",
                message=_MOVED.get(line["loc"], str(line["msg"]))
                if line["type"] == "extra_forbidden"
                else str(line["msg"]),
            )
            for line in exc.errors(include_url=False)
        ]
    if isinstance(exc, InvalidField):
        return [FieldError(field=exc.field, message=exc.message)]
    if isinstance(exc, InvalidInput):  # the database refused a value of the body
        return [FieldError(field="body", message=exc.message)]
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        read = [item for item in exc.extra if not _unread(item)] or exc.extra
        return [_field_error(item, names) for item in read]
    if isinstance(exc, ValidationException) and (missing := _MISSING.match(str(exc.detail))):
        return [FieldError(field=missing["name"], message=f"missing {missing['kind']} parameter")]
    return None


def _unread(item: Any) -> bool:
    """Beside a bad parameter Litestar lists a value it did not read yet (`'data'`, the body)."""
    return isinstance(item, dict) and item.get("message") == f"'{item.get('key')}'"


def _field_error(item: Any, names: dict[str, str]) -> FieldError:
    if isinstance(item, dict):
        key = str(item.get("key") or item.get("source") or "body")
        return FieldError(field=names.get(key, key), message=str(item.get("message", "invalid")))
    return FieldError(field="body", message=str(item))


def _wire_names(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The route's parameters named otherwise on the wire than in Python (`from`, `If-Match`)."""
    handler = request.scope.get("route_handler")
    if handler is None:  # no route matched
        return {}
    return {
        name: parameter.kwarg_definition.name
        for name, parameter in handler.parsed_fn_signature.parameters.items()
        if isinstance(parameter.kwarg_definition, ParameterKwarg)
        and parameter.kwarg_definition.name
    }


def problem_response(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Exception handler of the app: every error leaves as application/problem+json."""
    answer = _answer(exc, _wire_names(request))
    request_id = request_id_of(request.scope)
    if answer.status >= 500 and answer.code == "internal_error":
        logger.error("request %s failed", request_id, exc_info=exc)
    elif answer.status >= 500:
        logger.warning("request %s: %s (%s)", request_id, answer.code, exc)
    problem = Problem(
        type=f"urn:tutopanda:problem:{answer.code}",
        title=HTTPStatus(answer.status).phrase,
        status=answer.status,
        detail=answer.detail,
        code=answer.code,
        instance=request.url.path,
        request_id=request_id,
        errors=answer.errors,
        lecture=answer.lecture,
        draft_id=answer.draft_id,
        conflicts=answer.conflicts,
        quota=None if answer.quota is None else answer.quota.quota,
        limit=None if answer.quota is None else answer.quota.limit,
    )
    body = problem.model_dump(mode="json", by_alias=True)
    if answer.conflicts is not None:  # a side without a value at a path has no key there
        body["conflicts"] = [
            c.model_dump(mode="json", by_alias=True, exclude_unset=True) for c in answer.conflicts
        ]
    for optional in ("errors", "lecture", "draftId", "conflicts", "quota", "limit"):
        if body[optional] is None:
            del body[optional]
    return Response(
        body,
        status_code=answer.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers={**answer.headers, REQUEST_ID_HEADER: request_id},
    )


async def send_problem(scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
    """Answer `exc` from ASGI code that no handler runs (api/lecture_fast_path.py) as the app's
    exception handler would, inside the middleware of its route: an Idempotency-Key keeps it."""
    request = Request[Any, Any, Any](scope, receive)
    await problem_response(request, exc).to_asgi_response(None, request)(scope, receive, send)


# What a 503 says on every route that lists it.
_UNAVAILABLE = (
    "Service Unavailable (application/problem+json, with `Retry-After`: seconds to wait before "
    "retrying): the database is away (`database_unavailable`); or the request's database work "
    "outlasted its deadline, TUTOPANDA_REQUEST_DEADLINE_SECONDS (15 s by default), and was "
    "cancelled, writing nothing (`deadline_exceeded`); or a write committed but no synchronous "
    "standby confirmed it within the deadline, so a failover may still lose it "
    "(`commit_unconfirmed`: keep the change as unsaved and send it again later); or the server "
    "process has TUTOPANDA_MAX_CONCURRENT_REQUESTS requests in flight (`server_busy`, on any route)"
)


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI documentation of the problems a route can answer with (400 on every route)."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            description=(
                _UNAVAILABLE
                if status == 503
                else f"{HTTPStatus(status).phrase} (application/problem+json)"
            ),
            media_type=PROBLEM_MEDIA_TYPE,
            generate_examples=False,
        )
        for status in sorted({400, *statuses})
    }
