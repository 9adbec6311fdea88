"""Lecture content as a flat map of JSON Pointers (array items named by id), to diff revisions."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from tutopanda.jsonvalue import same_json
from tutopanda.models.lecture import ARRAY_SECTIONS, SECTION_NAMES

ABSENT: Any = object()  # a pointer that one document has and the other has not
DERIVED = frozenset({"/timeline/duration"})  # recomputed from the clips on every write


def flatten(document: Mapping[str, Any], sections: Iterable[str] = SECTION_NAMES) -> dict[str, Any]:
    """Every leaf of some sections by pointer, independently of the merge under test.

    Objects are walked key by key. An array whose items are objects with distinct string ids is
    walked item by item under `<array>/<id>`, and the array's own pointer holds its order (the
    tuple of ids); any other array, an empty object and a scalar are one leaf. A null array
    section is the empty array; derived fields are left out.
    """
    flat: dict[str, Any] = {}
    for name in sections:
        value = document.get(name)
        _walk([] if value is None and name in ARRAY_SECTIONS else value, "/" + _token(name), flat)
    for pointer in DERIVED:
        flat.pop(pointer, None)
    return flat


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    """The pointers whose value differs between two flattened documents (JSON equality)."""
    return {
        pointer
        for pointer in before.keys() | after.keys()
        if not same_json(before.get(pointer, ABSENT), after.get(pointer, ABSENT))
    }


def covered(pointer: str, owned: Collection[str]) -> bool:
    """Is `pointer` one of `owned` or inside one of them?"""
    return any(pointer == own or pointer.startswith(own + "/") for own in owned)


def _walk(value: Any, pointer: str, flat: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _walk(item, f"{pointer}/{_token(key)}", flat)
    elif isinstance(value, list) and _ids(value):
        flat[pointer] = tuple(_ids(value))
        for item in value:
            _walk(item, f"{pointer}/{_token(item['id'])}", flat)
    else:
        flat[pointer] = value


def _ids(items: list[Any]) -> list[str]:
    """The ids of a non-empty array of objects with distinct string ids, else nothing."""
    ids = [item.get("id") for item in items if isinstance(item, dict)]
    names = [i for i in ids if isinstance(i, str)]
    if names and len(names) == len(items) and len(set(names)) == len(names):
        return names
    return []


def _token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
