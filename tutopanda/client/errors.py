"""The API's problem+json answers as typed exceptions, one class per stable `code`."""

from __future__ import annotations

import json
from typing import Any, ClassVar

import httpx
from pydantic import ValidationError

from tutopanda.models.lecture import LectureSnapshot
from tutopanda.models.wire import FieldError, MergeConflict


class ClientError(Exception):
    """Base of everything the SDK raises."""


class TransportError(ClientError):
    """The request never got an HTTP answer: connection refused or dropped, timeout, bad TLS."""

    def __init__(self, message: str, *, cause: httpx.TransportError):
        super().__init__(message)
        self.cause = cause


class ProblemError(ClientError):
    """An HTTP error answer (RFC 9457 problem details); `problem` is the body as received.

    `code` is the API's stable machine-readable code (`not_found`, `revision_conflict`, …);
    `request_id` is what the server's logs quote.
    """

    codes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, status: int, problem: dict[str, Any], headers: httpx.Headers):
        self.status = status
        self.problem = problem
        self.headers = headers
        self.code = str(problem.get("code") or f"http_{status}")
        self.title = str(problem.get("title") or "")
        self.detail = str(problem.get("detail") or "")
        self.request_id = str(problem.get("requestId") or headers.get("x-request-id") or "")
        super().__init__(f"{status} {self.code}: {self.detail or self.title}")

    @property
    def retry_after(self) -> float | None:
        """Seconds the server suggests waiting (`Retry-After` of a 429 or 503), when it sent a
        number."""
        try:
            return float(self.headers.get("retry-after", ""))
        except ValueError:
            return None


class BadRequest(ProblemError):
    """400: the body is not JSON a lecture can hold (malformed, duplicate keys, NUL, …)."""

    codes = ("bad_request",)


class Unauthorized(ProblemError):
    """401: no bearer token, or one that is invalid or expired."""

    codes = ("unauthorized",)


class NotFound(ProblemError):
    """404: missing, or another user's (the API does not tell the two apart)."""

    codes = ("not_found",)


class Conflict(ProblemError):
    """409 other than a revision conflict: a run already active or finished, a review expired,
    a project's settings revision moved on."""

    codes = ("conflict",)


class RevisionConflict(Conflict):
    """409 `revision_conflict`: a save or restore lost the race; nothing was written.

    `lecture` is the latest snapshot, `draft_id` the server's conflict draft keeping the refused
    sections, `conflicts` the JSON paths changed differently on both sides (after a merge).
    """

    codes = ("revision_conflict",)

    def __init__(self, status: int, problem: dict[str, Any], headers: httpx.Headers):
        super().__init__(status, problem, headers)
        raw_lecture = problem.get("lecture")
        self.lecture = (
            LectureSnapshot.model_validate(raw_lecture) if isinstance(raw_lecture, dict) else None
        )
        draft_id = problem.get("draftId")
        self.draft_id = draft_id if isinstance(draft_id, int) else None
        self.conflicts = [
            MergeConflict.model_validate(item) for item in problem.get("conflicts") or []
        ]

    @property
    def pointers(self) -> list[str]:
        """The JSON pointers of the conflicting paths (empty for a plain stale base)."""
        return [conflict.pointer for conflict in self.conflicts]


class PayloadTooLarge(ProblemError):
    """413: the body is over the server's `TUTOPANDA_MAX_BODY_BYTES`."""

    codes = ("payload_too_large",)


class ValidationFailed(ProblemError):
    """422 `validation_failed`: the request breaks a rule of the API's OpenAPI document (a type,
    a bound, a pattern, a required or unknown field); `errors` name the fields as sent."""

    codes = ("validation_failed",)

    def __init__(self, status: int, problem: dict[str, Any], headers: httpx.Headers):
        super().__init__(status, problem, headers)
        self.errors = [FieldError.model_validate(item) for item in problem.get("errors") or []]

    @property
    def fields(self) -> list[str]:
        """The names of the invalid fields (dotted body paths, header or parameter names)."""
        return [error.field for error in self.errors]


class IdempotencyKeyReused(ValidationFailed):
    """422 `idempotency_key_reused`: the `Idempotency-Key` was sent before with another request
    (nothing was done): a new request needs a new key."""

    codes = ("idempotency_key_reused",)


class PreconditionFailed(ProblemError):
    """412: a precondition header did not hold."""

    codes = ("precondition_failed",)


class TooManyRequests(ProblemError):
    """429: slow down; `retry_after` is the server's hint in seconds."""

    codes = ("too_many_requests",)


class QuotaExceeded(TooManyRequests):
    """429 `quota_exceeded`: a per-user quota is used up and nothing was written. `quota` names
    it (`active_runs`, `projects_per_hour`, `writes_per_minute`) and `limit` is its size; the
    same request may pass after `retry_after` seconds."""

    codes = ("quota_exceeded",)

    def __init__(self, status: int, problem: dict[str, Any], headers: httpx.Headers):
        super().__init__(status, problem, headers)
        self.quota = str(problem.get("quota") or "")
        limit = problem.get("limit")
        self.limit = limit if isinstance(limit, int) else None


class ServiceUnavailable(ProblemError):
    """503: the database is away; `retry_after` is the server's hint in seconds."""

    codes = ("database_unavailable",)


class ServerError(ProblemError):
    """500 `internal_error` (quote `request_id`), or any other 5xx."""

    codes = ("internal_error",)


_BY_CODE: dict[str, type[ProblemError]] = {
    code: kind
    for kind in (
        BadRequest,
        Unauthorized,
        NotFound,
        Conflict,
        RevisionConflict,
        PayloadTooLarge,
        ValidationFailed,
        IdempotencyKeyReused,
        PreconditionFailed,
        TooManyRequests,
        QuotaExceeded,
        ServiceUnavailable,
        ServerError,
    )
    for code in kind.codes
}
_BY_STATUS: dict[int, type[ProblemError]] = {
    400: BadRequest,
    401: Unauthorized,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    413: PayloadTooLarge,
    422: ValidationFailed,
    429: TooManyRequests,
    503: ServiceUnavailable,
}


def _problem_body(response: httpx.Response) -> dict[str, Any]:
    """The problem object, or one made from whatever a proxy answered instead."""
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict):
        return body
    text = response.content[:500].decode("utf-8", "replace")
    return {"status": response.status_code, "title": response.reason_phrase, "detail": text}


def problem_error(response: httpx.Response) -> ProblemError:
    """The typed exception for an error answer: by `code`, else by status, else the base class."""
    problem = _problem_body(response)
    kind = _BY_CODE.get(str(problem.get("code")))
    if kind is None:
        kind = _BY_STATUS.get(response.status_code)
    if kind is None:
        kind = ServerError if response.status_code >= 500 else ProblemError
    try:
        return kind(response.status_code, problem, response.headers)
    except ValidationError:  # a body that claims a code but lacks its fields: keep it raw
        return ProblemError(response.status_code, problem, response.headers)


class UnexpectedResponse(ClientError):
    """A success answer whose body does not match the API's documented model."""

    def __init__(self, message: str, *, status: int, body: bytes):
        super().__init__(message)
        self.status = status
        self.body = body


class RunTimeout(ClientError, TimeoutError):
    """`wait_for_run` gave up: the run had not reached a wanted status in time."""

    def __init__(self, run_id: str, status: str):
        super().__init__(f"run {run_id} is still {status}")
        self.run_id = run_id
        self.status = status
