"""The retry-and-merge policy (tutopanda.store.rebase): merged again onto each newer revision, a
conflict handled as its caller says, and never more than MERGE_ATTEMPTS writes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tutopanda.merge import MergeResult
from tutopanda.store.rebase import MERGE_ATTEMPTS, Latest, Written, merge_until_written

pytestmark = pytest.mark.asyncio
BASE = {"title": "Dunes", "summary": "Sand"}
MINE = {"title": "Dunes and deserts"}


@dataclass
class Writes:
    """A database stand-in: the first `losses` writes find a newer revision (another summary)."""

    losses: int
    onto: list[int] = field(default_factory=list)
    written: list[dict[str, Any]] = field(default_factory=list)

    async def __call__(self, merged: MergeResult, onto: int) -> Written[str]:
        self.onto.append(onto)
        self.written.append(merged.document)
        if len(self.onto) > self.losses:
            return Written(f"saved on {onto}")
        newer = onto + 1
        return Written(f"refused on {onto}", Latest(newer, {**BASE, "summary": f"Sand {newer}"}))


def out_of_attempts(refusal: str) -> str:
    return f"out of attempts after {refusal!r}"


async def write_with(
    writes: Writes,
    latest: Latest,
    *,
    on_conflicts: Callable[[str, MergeResult], str] | None = None,
    exhausted: Callable[[str], str] = out_of_attempts,
) -> str:
    return await merge_until_written(
        BASE,
        MINE,
        latest,
        writes,
        refused="refused on 3",
        on_conflicts=on_conflicts,
        exhausted=exhausted,
    )


async def test_a_change_that_keeps_losing_is_written_merge_attempts_times_then_given_up() -> None:
    writes = Writes(losses=MERGE_ATTEMPTS + 5)
    answer = await write_with(writes, Latest(4, {**BASE, "summary": "Sand 4"}))
    assert writes.onto == list(range(4, 4 + MERGE_ATTEMPTS))
    assert answer == f"out of attempts after 'refused on {3 + MERGE_ATTEMPTS}'"


async def test_each_lost_race_merges_again_onto_the_newer_revision() -> None:
    writes = Writes(losses=2)
    answer = await write_with(writes, Latest(4, {**BASE, "summary": "Sand 4"}))
    assert answer == "saved on 6"
    assert [doc["summary"] for doc in writes.written] == ["Sand 4", "Sand 5", "Sand 6"]
    assert {doc["title"] for doc in writes.written} == {"Dunes and deserts"}


async def test_the_last_attempt_may_win() -> None:
    writes = Writes(losses=MERGE_ATTEMPTS - 1)
    assert await write_with(writes, Latest(4, BASE)) == f"saved on {3 + MERGE_ATTEMPTS}"


async def test_a_caller_that_stops_at_conflicts_writes_nothing() -> None:
    writes = Writes(losses=0)
    theirs = Latest(4, {**BASE, "title": "Deserts"})

    def naming(refusal: str, merged: MergeResult) -> str:
        return f"{refusal}: {merged.pointers}"

    answer = await write_with(writes, theirs, on_conflicts=naming)
    assert (answer, writes.onto) == ("refused on 3: ['/title']", [])


async def test_a_caller_that_keeps_theirs_writes_the_merge_with_its_conflicts() -> None:
    writes = Writes(losses=0)
    answer = await write_with(writes, Latest(4, {**BASE, "title": "Deserts"}))
    assert answer == "saved on 4"
    assert [doc["title"] for doc in writes.written] == ["Deserts"]  # theirs, where both changed


async def test_exhausted_may_raise() -> None:
    def give_up(refusal: str) -> str:
        raise RuntimeError(refusal)

    with pytest.raises(RuntimeError) as raised:
        await write_with(Writes(losses=MERGE_ATTEMPTS), Latest(4, BASE), exhausted=give_up)
    assert raised.value.args == (f"refused on {3 + MERGE_ATTEMPTS}",)
