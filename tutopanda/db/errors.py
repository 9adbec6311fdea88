"""The one place that turns PostgreSQL errors (SQLSTATEs) into domain errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.errors import Diagnostic

from tutopanda.errors import (
    CommitUnconfirmed,
    Conflict,
    DeadlineExceeded,
    DomainError,
    Forbidden,
    InvalidInput,
    LastOwner,
    NotFound,
    QuotaExceeded,
    Unavailable,
)

# Our own codes, raised by the api.* functions, then the server's codes that bad input can cause.
SQLSTATE_ERRORS: dict[str, type[DomainError]] = {
    "PT403": Forbidden,  # a member whose role does not allow it (app.project_allows)
    "PT404": NotFound,
    "PT409": Conflict,
    "PT422": InvalidInput,
    "PTOWN": LastOwner,  # a project would have no owner (app.project_last_owner_refuse)
    "PT429": QuotaExceeded,  # a per-user quota (sql/schema/250_quotas.sql)
    "22P05": InvalidInput,  # untranslatable character (e.g. \u0000 in JSON)
    "22021": InvalidInput,  # character not in repertoire (NUL in text)
    "22P02": InvalidInput,  # invalid text representation
    "22003": InvalidInput,  # numeric value out of range
    "54000": InvalidInput,  # program limit exceeded (a value too large to store)
    "54001": InvalidInput,  # statement too complex (nesting too deep)
    "57014": DeadlineExceeded,  # query cancelled: a deadline (tutopanda.db.deadline) or a timeout
    "57P01": Unavailable,  # admin shutdown
    "57P03": Unavailable,  # cannot connect now (starting up)
    "53300": Unavailable,  # too many connections
}


def domain_error(error: psycopg.Error) -> DomainError | None:
    """The domain error for a database error, or None when it is a bug to surface as is."""
    sqlstate = error.sqlstate or ""
    kind = SQLSTATE_ERRORS.get(sqlstate)
    if kind is None and (isinstance(error, psycopg.OperationalError) or sqlstate.startswith("08")):
        kind = Unavailable
    if kind is None:
        return None
    diag = error.diag
    message = diag.message_primary or str(error).strip().splitlines()[0]
    if kind is QuotaExceeded:
        return _quota_exceeded(message, diag)
    return kind(message, detail=diag.message_detail, hint=diag.message_hint)


def _quota_exceeded(message: str, diag: Diagnostic) -> QuotaExceeded:
    """PT429 carries its quota, limit and retry delay as JSON in DETAIL (app.quota_refuse)."""
    facts = json.loads(diag.message_detail or "{}")
    return QuotaExceeded(
        message,
        quota=str(facts["quota"]),
        limit=int(facts["limit"]),
        retry_after=int(facts["retryAfter"]),
        hint=diag.message_hint,
    )


# The WARNING a statement succeeds with when a cancel ended its wait for a synchronous standby
# (syncrep.c: "canceling wait for synchronous replication"; the commit stays, on this server only).
UNCONFIRMED_COMMIT_WARNING = "01000"


def deadline_exceeded(
    seconds: float, *, sent: bool = True, answered: bool = True
) -> DeadlineExceeded:
    """A statement cancelled by its deadline (tutopanda.db.deadline), or never sent after it."""
    if not sent:
        return DeadlineExceeded(
            f"the database work passed its deadline ({seconds:g} s); the rest was not sent"
        )
    if not answered:
        return DeadlineExceeded(
            f"the database did not finish within the deadline ({seconds:g} s) nor answer its "
            "cancel: whether the last statement took effect is unknown; read before writing again"
        )
    return DeadlineExceeded(
        f"the database did not finish within the deadline ({seconds:g} s): the statement was "
        "cancelled and wrote nothing"
    )


def is_unconfirmed_commit(diag: Diagnostic) -> bool:
    """Is this notice the warning of a cancelled wait for a synchronous standby? (Read it in the
    notice handler: a Diagnostic is empty once its handler has returned.)"""
    return diag.severity_nonlocalized == "WARNING" and diag.sqlstate == UNCONFIRMED_COMMIT_WARNING


def commit_unconfirmed(seconds: float) -> CommitUnconfirmed:
    """A statement that succeeded after its deadline's cancel, with is_unconfirmed_commit's
    warning: committed here, but no synchronous standby confirmed it."""
    return CommitUnconfirmed(
        f"the write committed on the primary, but no synchronous standby confirmed it within the "
        f"deadline ({seconds:g} s): it is visible, and lost if the primary fails before a "
        "standby has it",
        hint="keep the change as unsaved and send it again later: reading it back proves nothing",
    )


@contextmanager
def translated_errors() -> Iterator[None]:
    """Raise domain errors instead of the database errors they stand for."""
    try:
        yield
    except psycopg.Error as error:
        mapped = domain_error(error)
        if mapped is None:
            raise
        raise mapped from error
