"""Presence on a lecture: what a member announces they are working on (ephemeral, not stored)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import Field

from tutopanda.models.base import CheckedModel, WireModel
from tutopanda.models.lecture import SECTION_NAMES

if TYPE_CHECKING:
    SectionName = str
else:
    SectionName = Literal[SECTION_NAMES]  # the lecture's sections, as the wire names them

# A clip, segment or asset id inside the section: an id of the content, never NUL.
ItemId = Annotated[str, Field(min_length=1, max_length=200, pattern="^[^\\u0000]*$")]


class Focus(WireModel):
    """A section of the lecture, and the item inside it (null: the section as a whole)."""

    section: SectionName
    item_id: ItemId | None = None


class PresenceUpdate(CheckedModel):
    """What I am working on now (null: nothing in particular)."""

    focus: Focus | None


def focus_json(update: PresenceUpdate) -> dict[str, Any] | None:
    """The focus as presence events carry it (`{"section", "itemId"}`), or None."""
    if update.focus is None:
        return None
    return {"section": update.focus.section, "itemId": update.focus.item_id}
