"""The one place that turns PostgreSQL errors (SQLSTATEs) into domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tutopanda.errors import Conflict, DomainError, InvalidInput, NotFound, Unavailable

# Our own codes, raised by the api.* functions, then the server's codes that bad input can cause.
SQLSTATE_ERRORS: dict[str, type[DomainError]] = {
    "PT404": NotFound,
    "PT409": Conflict,
    "PT422": InvalidInput,
    "22P05": InvalidInput,  # untranslatable character (e.g. \u0000 in JSON)
    "22021": InvalidInput,  # character not in repertoire (NUL in text)
    "22P02": InvalidInput,  # invalid text representation
    "22003": InvalidInput,  # numeric value out of range
    "54000": InvalidInput,  # program limit exceeded (a value too large to store)
    "54001": InvalidInput,  # statement too complex (nesting too deep)
    "57014": Unavailable,  # query cancelled (statement timeout)
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
    return kind(message, detail=diag.message_detail, hint=diag.message_hint)


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
