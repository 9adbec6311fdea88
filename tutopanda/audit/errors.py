"""Errors of the audit tools, each with a stable code and a one-line message."""

from __future__ import annotations


class AuditError(ValueError):
    """Base of the audit tools' errors; `code` is stable and machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class QueryRefused(AuditError):
    """The auditor's query may not run, or failed as written; the message says why.

    Codes: `syntax` (not one valid SELECT), `statement` (writes, locks, several statements),
    `lexical` (a construct the guard does not pass through, e.g. E'' strings), `relation`
    (anything but audit.* views), `function` (a function not on the allow-list), `limit`
    (a bad row limit), `timeout`, `too_complex` (nesting or size beyond the server's limits),
    `failed` (the database refused the query as written).
    """


class CheckpointInvalid(AuditError):
    """A checkpoint file cannot be trusted: unreadable, malformed, or its signature is wrong.

    Codes: `unreadable`, `malformed`, `signature`, `no_key`.
    """


class HistoryNotIntact(AuditError):
    """The history failed verification, so it must not be signed into a checkpoint."""
