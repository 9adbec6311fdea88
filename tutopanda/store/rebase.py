"""The retry-and-merge policy: merge onto the latest revision, write there, again if beaten."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tutopanda.merge import MergeResult, three_way_merge

# THE limit of the policy in Python (docs/merge.md): how many merged writes one change gets, each
# onto the revision of the writer that came first; then the caller's `exhausted` decides.
MERGE_ATTEMPTS = 8

Answer = TypeVar("Answer")


@dataclass(frozen=True)
class Latest:
    """The revision a change is merged onto: its number and its sections as stored."""

    revision: int
    sections: Mapping[str, Any]


@dataclass(frozen=True)
class Written(Generic[Answer]):
    """What one write answered; `newer` is the revision that came first when the write lost."""

    answer: Answer
    newer: Latest | None = None


async def merge_until_written(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    latest: Latest,
    write: Callable[[MergeResult, int], Awaitable[Written[Answer]]],
    *,
    refused: Answer,
    on_conflicts: Callable[[Answer, MergeResult], Answer] | None,
    exhausted: Callable[[Answer], Answer],
) -> Answer:
    """Merge `mine` (the sections changed since `base`) onto `latest` and `write` the result
    exactly on that revision; when another writer came first, merge again onto its revision,
    MERGE_ATTEMPTS writes at most.

    `refused` is the answer that sent the change here (the last refusal, until a write answers
    another). A merge with conflicts ends in `on_conflicts(refusal, merged)`; without it, the
    merge is written as it is (theirs kept at the conflicting paths, which `write` may record).
    Out of attempts, `exhausted(last refusal)` answers or raises."""
    answer = refused
    for _ in range(MERGE_ATTEMPTS):
        merged = three_way_merge(base, mine, latest.sections)
        if merged.conflicts and on_conflicts is not None:
            return on_conflicts(answer, merged)
        written = await write(merged, latest.revision)
        if written.newer is None:
            return written.answer
        answer, latest = written.answer, written.newer
    return exhausted(answer)
