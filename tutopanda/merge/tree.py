"""The three-way merge of one JSON value, recursively: objects by key, arrays of items by id."""

from __future__ import annotations

from itertools import chain
from typing import Any

from tutopanda.jsonvalue import same_json
from tutopanda.merge.order import arrange, shared_order
from tutopanda.merge.pointer import child
from tutopanda.merge.values import ABSENT, Conflict, ConflictKind


def merge_value(base: Any, mine: Any, theirs: Any, pointer: str, conflicts: list[Conflict]) -> Any:
    """The merged value at `pointer` (ABSENT if removed); conflicts are appended, keeping theirs."""
    if same_json(mine, base):
        return theirs
    if same_json(theirs, base) or same_json(mine, theirs):
        return mine
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        return _merge_objects(base, mine, theirs, pointer, conflicts)
    if isinstance(base, list) and isinstance(mine, list) and isinstance(theirs, list):
        items = _merge_items(base, mine, theirs, pointer, conflicts)
        if items is not None:
            return items
    conflicts.append(Conflict(pointer, _kind(base, mine, theirs), base, mine, theirs))
    return theirs


def _kind(base: Any, mine: Any, theirs: Any) -> ConflictKind:
    if base is ABSENT:
        return "insert"
    if mine is ABSENT or theirs is ABSENT:
        return "delete"
    return "edit"


def _merge_objects(
    base: dict[str, Any],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    pointer: str,
    conflicts: list[Conflict],
) -> dict[str, Any]:
    """Each key merged on its own: theirs' keys first, then the keys only mine has."""
    merged: dict[str, Any] = {}
    keys = chain(theirs, (key for key in mine if key not in theirs))
    for key in keys:
        value = merge_value(
            base.get(key, ABSENT),
            mine.get(key, ABSENT),
            theirs.get(key, ABSENT),
            child(pointer, key),
            conflicts,
        )
        if value is not ABSENT:
            merged[key] = value
    return merged


def by_id(items: list[Any]) -> dict[str, dict[str, Any]] | None:
    """The items of an array by their id, in order: None unless every item is an object with a
    string `id` and no id repeats (such arrays are merged as one value)."""
    found: dict[str, dict[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict):
            return None
        ident = item.get("id")
        if not isinstance(ident, str) or ident in found:
            return None
        found[ident] = item
    return found


def _merge_items(
    base: list[Any], mine: list[Any], theirs: list[Any], pointer: str, conflicts: list[Conflict]
) -> list[Any] | None:
    """Each item merged on its own, matched by id, then ordered (see tutopanda.merge.order);
    None when the arrays are not all arrays of items with ids."""
    base_items, mine_items, their_items = by_id(base), by_id(mine), by_id(theirs)
    if base_items is None or mine_items is None or their_items is None:
        return None
    shared = shared_order(list(base_items), list(mine_items), list(their_items))
    if shared is None:
        conflicts.append(Conflict(pointer, "order", base, mine, theirs))
        return theirs
    merged: dict[str, Any] = {}
    for ident in chain(their_items, (ident for ident in mine_items if ident not in their_items)):
        value = merge_value(
            base_items.get(ident, ABSENT),
            mine_items.get(ident, ABSENT),
            their_items.get(ident, ABSENT),
            child(pointer, ident),
            conflicts,
        )
        if value is not ABSENT:
            merged[ident] = value
    order = arrange(shared, list(mine_items), list(their_items), merged)
    return [merged[ident] for ident in order]
