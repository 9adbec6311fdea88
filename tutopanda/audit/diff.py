"""The difference between two lecture revisions as JSON Patch (RFC 6902), per section."""

from __future__ import annotations

from typing import Any

from tutopanda.jsonvalue import same_json
from tutopanda.models.lecture import SECTION_NAMES

Operation = dict[str, Any]


def _pointer(path: str, key: str | int) -> str:
    """Append one reference token to a JSON Pointer (RFC 6901 escaping)."""
    return f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"


def json_patch(before: Any, after: Any, path: str = "") -> list[Operation]:
    """Operations (add, remove, replace) that turn `before` into `after`, applied in order."""
    if same_json(before, after):
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        operations = [
            {"op": "remove", "path": _pointer(path, key)} for key in before if key not in after
        ]
        for key, value in after.items():
            if key in before:
                operations += json_patch(before[key], value, _pointer(path, key))
            else:
                operations.append({"op": "add", "path": _pointer(path, key), "value": value})
        return operations
    if isinstance(before, list) and isinstance(after, list):
        common = min(len(before), len(after))
        operations = []
        for index in range(common):
            operations += json_patch(before[index], after[index], _pointer(path, index))
        for index in range(common, len(after)):
            operations.append({"op": "add", "path": _pointer(path, index), "value": after[index]})
        for index in reversed(range(common, len(before))):
            operations.append({"op": "remove", "path": _pointer(path, index)})
        return operations
    return [{"op": "replace", "path": path, "value": after}]


def section_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Operation]]:
    """For each section that differs, the patch that turns its old value into its new one."""
    diff: dict[str, list[Operation]] = {}
    for section in SECTION_NAMES:
        operations = json_patch(before.get(section), after.get(section))
        if operations:
            diff[section] = operations
    return diff
