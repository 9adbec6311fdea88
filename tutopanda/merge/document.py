"""The three-way merge of lecture content: section by section, then derived fields recomputed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tutopanda.jsonvalue import same_json
from tutopanda.merge.pointer import child
from tutopanda.merge.tree import merge_value
from tutopanda.merge.values import Conflict
from tutopanda.models.lecture import ARRAY_SECTIONS, SECTION_NAMES
from tutopanda.models.timeline import Timeline

TIMELINE = "timeline"  # its `duration` is derived: left out of the merge, then recomputed


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The outcome of a merge.

    `sections` holds the merged sections that differ from theirs: what a save writes on top of
    theirs. `document` is every section after the merge. Where there is a conflict both hold
    theirs' value, so a result with conflicts must not be written. Unchanged parts share
    objects with the inputs: treat the result as read-only.
    """

    sections: dict[str, Any]
    document: dict[str, Any]
    conflicts: tuple[Conflict, ...]

    @property
    def pointers(self) -> list[str]:
        """The JSON Pointers of the conflicts, in document order."""
        return [conflict.pointer for conflict in self.conflicts]


def three_way_merge(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> MergeResult:
    """Merge the sections `mine` changed since `base` into `theirs` (stored camelCase JSON).

    `base` and `theirs` are whole documents (an absent section is null); `mine` holds only
    the sections its writer sent, the others are unchanged from `base`.
    """
    unknown = sorted(set(mine) - set(SECTION_NAMES))
    if unknown:
        raise ValueError(f"not lecture sections: {', '.join(unknown)}")
    conflicts: list[Conflict] = []
    document: dict[str, Any] = {}
    for name in SECTION_NAMES:
        base_value = _section(base, name)
        theirs_value = _section(theirs, name)
        mine_value = _section(mine, name) if name in mine else base_value
        document[name] = _merge_section(name, base_value, mine_value, theirs_value, conflicts)
    sections = {
        name: value
        for name, value in document.items()
        if not same_json(value, _section(theirs, name))
    }
    return MergeResult(sections, document, tuple(conflicts))


def _section(document: Mapping[str, Any], name: str) -> Any:
    """A section's value: absent is null, and null is the empty list in an array section."""
    value = document.get(name)
    if value is None and name in ARRAY_SECTIONS:
        return []
    return value


def _merge_section(name: str, base: Any, mine: Any, theirs: Any, conflicts: list[Conflict]) -> Any:
    if same_json(mine, base):
        return theirs
    if name != TIMELINE:
        return merge_value(base, mine, theirs, child("", name), conflicts)
    base, mine, theirs = (_without_duration(value) for value in (base, mine, theirs))
    merged = merge_value(base, mine, theirs, child("", name), conflicts)
    if isinstance(merged, dict):
        merged["duration"] = Timeline.model_validate(merged).duration
    return merged


def _without_duration(timeline: Any) -> Any:
    if isinstance(timeline, dict):
        return {key: value for key, value in timeline.items() if key != "duration"}
    return timeline
