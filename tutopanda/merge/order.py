"""The order of a merged id-matched array: one agreed order of the shared items, runs in gaps."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def shared_order(
    base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]
) -> list[str] | None:
    """The order of the ids both sides keep, or None when the two sides order them differently.

    Equal orders agree. Otherwise the side that kept the base order yields to the side that
    reordered; both reordering (or an id both sides added, placed differently) is a conflict.
    """
    in_mine, in_theirs = set(mine), set(theirs)
    mine_shared = [ident for ident in mine if ident in in_theirs]
    theirs_shared = [ident for ident in theirs if ident in in_mine]
    if mine_shared == theirs_shared:
        return mine_shared
    in_base = set(base)
    if not in_base.issuperset(mine_shared):
        return None
    base_shared = [ident for ident in base if ident in in_mine and ident in in_theirs]
    if theirs_shared == base_shared:
        return mine_shared
    if mine_shared == base_shared:
        return theirs_shared
    return None


def _runs(
    side: Sequence[str], shared: Collection[str], kept: Collection[str]
) -> dict[str | None, list[str]]:
    """The kept ids of one side that are not shared, grouped by the shared id before them."""
    runs: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for ident in side:
        if ident in shared:
            anchor = ident
        elif ident in kept:
            runs.setdefault(anchor, []).append(ident)
    return runs


def arrange(
    shared: Sequence[str], mine: Sequence[str], theirs: Sequence[str], kept: Collection[str]
) -> list[str]:
    """The merged order: the shared ids in their agreed order, each side's other kept ids after
    the shared id that precedes them on that side (at the start when none does). When both sides
    put items in the same gap, the run whose first id sorts first comes first, so the order does
    not depend on which side is "mine"."""
    in_shared = set(shared)
    mine_runs, their_runs = _runs(mine, in_shared, kept), _runs(theirs, in_shared, kept)
    order: list[str] = []
    for anchor in [None, *shared]:
        if anchor is not None:
            order.append(anchor)
        first, second = mine_runs.get(anchor, []), their_runs.get(anchor, [])
        if first and second and second[0] < first[0]:
            first, second = second, first
        order += first + second
    return order
