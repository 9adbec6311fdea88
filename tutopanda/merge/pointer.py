"""JSON Pointers (RFC 6901) whose array tokens are item ids, and their resolution."""

from __future__ import annotations

from typing import Any

from tutopanda.merge.values import ABSENT, Absent


def child(pointer: str, token: str) -> str:
    """`pointer` extended by one reference token, escaped (`~` as `~0`, `/` as `~1`)."""
    return f"{pointer}/{token.replace('~', '~0').replace('/', '~1')}"


def tokens(pointer: str) -> list[str]:
    """The unescaped reference tokens of `pointer` ("" is the whole document)."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError("a JSON Pointer is empty or starts with '/'")
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def resolve(document: Any, pointer: str) -> Any | Absent:
    """The value `pointer` names in `document`, or ABSENT.

    An object is entered by key and an array by the id of its item (the first whose `id` is
    the token): merge pointers never name an array item by its index.
    """
    value = document
    for token in tokens(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list):
            found = [item for item in value if isinstance(item, dict) and item.get("id") == token]
            if not found:
                return ABSENT
            value = found[0]
        else:
            return ABSENT
    return value


def covers(conflict: str, pointer: str) -> bool:
    """Whether `conflict` names `pointer` or one of its ancestors."""
    return pointer == conflict or pointer.startswith(conflict + "/")
