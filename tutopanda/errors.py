"""Domain errors: what went wrong in terms a caller can act on, independent of HTTP or SQL."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """Base of the errors the store raises; `code` is stable and machine-readable."""

    code: ClassVar[str] = "error"

    def __init__(self, message: str, *, detail: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint


class NotFound(DomainError):
    """The thing does not exist, or belongs to someone else (the two look the same)."""

    code = "not_found"


class Forbidden(DomainError):
    """The user is a member of the project, but their role does not allow this (a viewer who
    writes, an editor who shares)."""

    code = "forbidden"


class Conflict(DomainError):
    """The request clashes with the current state (a finished run, a run in progress, …)."""

    code = "conflict"


class LastOwner(Conflict):
    """The change would leave a project without an owner: make another member an owner first."""

    code = "last_owner"


class InvalidInput(DomainError):
    """The input cannot be stored as given."""

    code = "invalid_input"


class IdempotencyKeyReused(InvalidInput):
    """The user sent this idempotency key before with another request: a new request needs a
    new key."""

    code = "idempotency_key_reused"


class QuotaExceeded(DomainError):
    """A per-user quota is used up: `quota` names it (tutopanda.quotas.QuotaName), `limit` is its
    size, and a retry may pass after `retry_after` seconds (an estimate when no one can know)."""

    code = "quota_exceeded"

    def __init__(
        self, message: str, *, quota: str, limit: int, retry_after: int, hint: str | None = None
    ):
        super().__init__(message, hint=hint)
        self.quota = quota
        self.limit = limit
        self.retry_after = retry_after


class Unavailable(DomainError):
    """The database cannot be reached right now; retrying later may work."""

    code = "database_unavailable"


class DeadlineExceeded(Unavailable):
    """The database work outlasted its deadline and was cancelled; retrying later may work."""

    code = "deadline_exceeded"


class CommitUnconfirmed(Unavailable):
    """A write committed on the primary, but no synchronous standby confirmed it before the
    deadline: it is visible now, and lost if the primary fails before a standby has it."""

    code = "commit_unconfirmed"
