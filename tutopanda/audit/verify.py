"""Recompute the history hash chain and report the first broken link of each lecture."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from tutopanda.db.connection import auditor_conninfo
from tutopanda.db.queries import query

VERIFY_TIMEOUT_SECONDS = 600.0


@dataclass(frozen=True)
class BrokenLink:
    """Where a lecture's history stops being trustworthy, and why."""

    lecture_id: int
    revision: int
    reason: str


@dataclass(frozen=True)
class Verification:
    """The outcome of a verification run."""

    lectures: int
    revisions: int
    broken: list[BrokenLink]

    @property
    def intact(self) -> bool:
        return not self.broken


def _reason(content: bool, link: bool, sequence: bool) -> str:
    if not sequence:  # a missing row also breaks the rows rebuilt from it: say the cause
        return "the revision before it is missing (rows deleted)"
    if not content:
        return "the row does not match its hash (content, actor, source or time edited)"
    if not link:
        return "it is not chained to the previous row (rows replaced or reordered)"
    return "unknown"


def verify_history(url: str, lecture_id: int | None = None) -> Verification:
    """Check every history row (or one lecture's) as the auditor role."""
    params = {"lecture_id": lecture_id}
    with psycopg.connect(auditor_conninfo(url, VERIFY_TIMEOUT_SECONDS)) as conn:
        conn.read_only = True
        first_breaks: dict[int, BrokenLink] = {}
        for lecture, revision, content, link, sequence in conn.execute(
            query("audit_chain_breaks"), params
        ):
            first_breaks.setdefault(
                lecture, BrokenLink(lecture, revision, _reason(content, link, sequence))
            )
        for lecture, current, last in conn.execute(query("audit_chain_ends"), params):
            if lecture not in first_breaks:
                first_breaks[lecture] = BrokenLink(
                    lecture,
                    (last or -1) + 1,
                    f"the history ends at revision {last} but the lecture is at {current}",
                )
        size = conn.execute(query("audit_chain_size"), params).fetchone()
    lectures, revisions = size if size is not None else (0, 0)
    return Verification(
        int(lectures), int(revisions), [first_breaks[key] for key in sorted(first_breaks)]
    )
