"""JSON value equality, shared by the audit diff and the three-way merge."""

from __future__ import annotations

from typing import Any, cast

_NUMBERS = (int, float)


def same_json(before: Any, after: Any) -> bool:
    """JSON equality: 1 and 1.0 are the same number, but true is not 1."""
    if before.__class__ is not after.__class__:
        return before.__class__ in _NUMBERS and after.__class__ in _NUMBERS and before == after
    if isinstance(before, dict | list):
        # Python's own == runs in C; it only confuses true with 1 and false with 0.
        return bool(before == after) and _types_agree(before, after)
    return bool(before == after)


def _types_agree(before: dict[str, Any] | list[Any], after: dict[str, Any] | list[Any]) -> bool:
    """Given before == after: no value of one is a boolean where the other has a number."""
    if isinstance(before, dict):
        pairs = zip(
            before.values(), map(cast(dict[str, Any], after).__getitem__, before), strict=True
        )
    else:
        pairs = zip(before, after, strict=True)
    for one, other in pairs:
        if one.__class__ is not other.__class__:
            if one.__class__ not in _NUMBERS or other.__class__ not in _NUMBERS:
                return False
        elif isinstance(one, dict | list) and not _types_agree(one, other):
            return False
    return True
