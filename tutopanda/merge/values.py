"""What a merge works with: JSON values, the absent marker, and the conflicts it reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal


class Absent(Enum):
    """A key or array item that is not there (deleted, or never added): not the same as null."""

    ABSENT = "absent"


ABSENT = Absent.ABSENT

ConflictKind = Literal[
    "edit",  # both sides changed the value, differently
    "delete",  # one side removed the key or item, the other changed it
    "insert",  # both sides added the key or item (same id), with different values
    "order",  # both sides reordered an id-matched array, differently
]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One path that both sides changed differently, with the three values (ABSENT if none)."""

    pointer: str
    kind: ConflictKind
    base: Any
    mine: Any
    theirs: Any

    def as_json(self) -> dict[str, Any]:
        """The conflict in camelCase JSON; a side that has no value there has no key."""
        sides = {"base": self.base, "mine": self.mine, "theirs": self.theirs}
        present = {side: value for side, value in sides.items() if value is not ABSENT}
        return {"pointer": self.pointer, "kind": self.kind, **present}
