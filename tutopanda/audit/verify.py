"""Verify the history: each hash chain, each live lecture against its chain head, and (given a
signed checkpoint) that every checkpointed chain head is still in the history it heads.

Everything is read as the auditor role in one read-only REPEATABLE READ transaction, so the
checks see one consistent state. Verification speaks of chain heads (lecture, revision, hash,
rows) and the audit.history_chain and audit.chain_heads views, not of how rows are stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from tutopanda.audit.checkpoint import ChainHead, Checkpoint, new_checkpoint
from tutopanda.audit.errors import HistoryNotIntact
from tutopanda.db.connection import auditor_conninfo
from tutopanda.db.queries import query

VERIFY_TIMEOUT_SECONDS = 600.0

# Finding kinds (stable codes) and what each says about the history.
KINDS: dict[str, str] = {
    "row_edited": "the row does not match its hash (content, actor, source or time edited)",
    "revision_missing": "the revision before it is missing (rows deleted)",
    "link_broken": "it is not chained to the previous row (rows replaced or reordered)",
    "history_behind": "the lecture is at a later revision than its history records",
    "history_ahead": "the lecture was moved back to an earlier revision than its history",
    "live_differs": "the live lecture differs from its last history row (edited in place)",
    "no_history": "the lecture has no history at all",
    "lecture_gone": "the lecture was deleted but its history remains",
    "vanished": "the history in the checkpoint is gone",
    "truncated": "the history ends before the revision in the checkpoint (rows deleted)",
    "rewritten": "the history up to the checkpoint was rewritten (its chain head changed)",
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a lecture's history: its kind (a key of KINDS) and where."""

    lecture_id: int
    revision: int | None
    kind: str
    detail: str = ""

    @property
    def reason(self) -> str:
        return KINDS[self.kind] + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Verification:
    """The outcome of a verification run."""

    lectures: int
    revisions: int
    findings: list[Finding]
    checkpoint: Checkpoint | None = None

    @property
    def intact(self) -> bool:
        return not self.findings


def verify_history(
    url: str, lecture_id: int | None = None, checkpoint: Checkpoint | None = None
) -> Verification:
    """Check every lecture (or one) as the auditor role; compare with `checkpoint` if given."""
    with psycopg.connect(auditor_conninfo(url, VERIFY_TIMEOUT_SECONDS)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        return verify_on(conn, lecture_id, checkpoint)


def verify_on(
    conn: psycopg.Connection[Any], lecture_id: int | None, checkpoint: Checkpoint | None
) -> Verification:
    """verify_history on an open auditor connection, inside its current transaction."""
    params = {"lecture_id": lecture_id}
    findings = _chain_findings(conn, params) + _live_findings(conn, params)
    if checkpoint is not None:
        heads = [h for h in checkpoint.heads if lecture_id in (None, h.lecture_id)]
        findings += _checkpoint_findings(conn, heads)
    size = conn.execute(query("audit_chain_size"), params).fetchone()
    lectures, revisions = size if size is not None else (0, 0)
    findings.sort(key=lambda f: (f.lecture_id, f.revision if f.revision is not None else -1))
    return Verification(int(lectures), int(revisions), findings, checkpoint)


def take_checkpoint(url: str) -> tuple[Checkpoint, Verification]:
    """Verify the whole history, then record every chain head, in one snapshot of the database.

    A history that fails verification is not checkpointed (HistoryNotIntact): signing it would
    make the tampering part of the trusted record.
    """
    with psycopg.connect(auditor_conninfo(url, VERIFY_TIMEOUT_SECONDS)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        verification = verify_on(conn, None, None)
        if not verification.intact:
            raise HistoryNotIntact(
                "not_intact",
                f"the history is not intact ({len(verification.findings)} finding(s)): "
                "no checkpoint written; run tutopanda audit verify",
            )
        return new_checkpoint(chain_heads(conn)), verification


def chain_heads(conn: psycopg.Connection[Any]) -> list[ChainHead]:
    """The head of every lecture's history chain, in lecture order."""
    return [
        ChainHead(lecture_id=lecture, revision=revision, hash=hash_, revisions=rows)
        for lecture, revision, hash_, rows in conn.execute(query("audit_chain_heads"))
    ]


def _chain_findings(conn: psycopg.Connection[Any], params: dict[str, Any]) -> list[Finding]:
    """The first broken link of each lecture's chain (everything after it is suspect too)."""
    first: dict[int, Finding] = {}
    for lecture, revision, content, _link, sequence in conn.execute(
        query("audit_chain_breaks"), params
    ):
        # A missing row also breaks the rows rebuilt from it (deltas): name the cause first.
        kind = (
            "revision_missing" if not sequence else "row_edited" if not content else "link_broken"
        )
        first.setdefault(lecture, Finding(lecture, revision, kind))
    return list(first.values())


def _live_findings(conn: psycopg.Connection[Any], params: dict[str, Any]) -> list[Finding]:
    findings = []
    for lecture, head, live in conn.execute(query("audit_live_mismatches"), params):
        if live is None:
            findings.append(Finding(lecture, head, "lecture_gone"))
        elif head is None:
            findings.append(Finding(lecture, live, "no_history"))
        elif live != head:  # at the first revision that one side has and the other lacks
            kind = "history_behind" if live > head else "history_ahead"
            detail = f"history ends at revision {head}, lecture is at {live}"
            findings.append(Finding(lecture, min(live, head) + 1, kind, detail))
        else:
            findings.append(Finding(lecture, live, "live_differs"))
    return findings


def _checkpoint_findings(conn: psycopg.Connection[Any], heads: list[ChainHead]) -> list[Finding]:
    params = {
        "lecture_ids": [h.lecture_id for h in heads],
        "revisions": [h.revision for h in heads],
    }
    expected = {h.lecture_id: h for h in heads}
    findings = []
    for lecture, hash_now, rows_now, head_now in conn.execute(
        query("audit_checkpoint_state"), params
    ):
        signed = expected[lecture]
        if head_now is None:
            findings.append(Finding(lecture, signed.revision, "vanished"))
        elif hash_now is None and head_now < signed.revision:
            detail = f"ends at revision {head_now}, the checkpoint has {signed.revision}"
            findings.append(Finding(lecture, signed.revision, "truncated", detail))
        elif hash_now != signed.hash or rows_now != signed.revisions:
            detail = (
                f"revision {signed.revision}: {rows_now} row(s) up to it, {signed.revisions} signed"
            )
            findings.append(Finding(lecture, signed.revision, "rewritten", detail))
    return findings
