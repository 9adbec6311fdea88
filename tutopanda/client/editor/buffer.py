"""The local copy of a lecture: the server snapshot it is based on, and the edits on top.

Edits move through layers: `pending` (dirty, waiting for the debounce) → `inflight` (in the
save being sent) → back to the snapshot (saved on its base), or `applied` (saved by a merge onto
a newer revision: the base snapshot has not caught up yet), or `held` (refused in a conflict,
kept locally until resolved). The view is the snapshot with the layers on top, newest last.
The base revision only moves when the snapshot is exactly the server's content at it, so an edit
is always sent on the revision it was made on.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import JsonValue

from tutopanda.client.models import SECTION_NAMES, LectureSnapshot
from tutopanda.models.lecture import ARRAY_SECTIONS


def _document(snapshot: LectureSnapshot) -> dict[str, Any]:
    return snapshot.model_dump(mode="json", by_alias=True, exclude_unset=True)


class EditBuffer:
    """A lecture's snapshot and the edits made on it, section by section."""

    def __init__(self, snapshot: LectureSnapshot):
        self.snapshot = snapshot
        self._document = _document(snapshot)
        self.pending: dict[str, JsonValue] = {}
        self.inflight: dict[str, JsonValue] = {}
        self.applied: dict[str, JsonValue] = {}
        self.held: dict[str, JsonValue] = {}
        self.edits = 0  # how many edits ever: tells a pull whether the user typed meanwhile

    @property
    def base_revision(self) -> int:
        return self.snapshot.revision

    @property
    def clean(self) -> bool:
        """No edit waiting, being sent or held: the snapshot may be replaced by a newer one."""
        return not (self.pending or self.inflight or self.held)

    def value(self, section: str) -> JsonValue:
        """The section as the user sees it."""
        for layer in (self.pending, self.inflight, self.held, self.applied):
            if section in layer:
                return layer[section]
        value: JsonValue = self._document.get(section)
        if value is None and section in ARRAY_SECTIONS:
            return []
        return value

    def content(self) -> dict[str, JsonValue]:
        """Every section as the user sees it."""
        return {section: self.value(section) for section in SECTION_NAMES}

    def edit(self, section: str, value: JsonValue) -> None:
        """Replace a section; ValueError for an unknown section or a value JSON cannot carry
        (the server validates the rest, and answers 422 naming the field)."""
        if section not in SECTION_NAMES:
            raise ValueError(f"unknown section {section!r}; one of {', '.join(SECTION_NAMES)}")
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise ValueError(f"section {section!r} is not JSON: {error}") from None
        self.pending[section] = value
        self.held.pop(section, None)  # edited again: it is a normal edit once more
        self.edits += 1

    def take(self) -> dict[str, JsonValue]:
        """Move the dirty sections into the save about to be sent."""
        self.inflight, self.pending = self.pending, {}
        return dict(self.inflight)

    def saved_on_base(self, revision: int, updated_at: datetime) -> None:
        """The save went through on the base itself: the snapshot is base + sent sections."""
        document = {**self._document, **self.inflight}
        document.update(revision=revision, updatedAt=updated_at.isoformat())
        self.snapshot = LectureSnapshot.model_validate(document)
        self._document = _document(self.snapshot)
        self.inflight = {}

    def saved_elsewhere(self) -> None:
        """The save was merged onto (or forced over) a newer revision than the base."""
        self.applied.update(self.inflight)
        self.inflight = {}

    def failed(self) -> None:
        """The save did not happen: its sections are dirty again (newer edits win)."""
        self.pending = {**self.inflight, **self.pending}
        self.inflight = {}

    def hold(self) -> None:
        """The save was refused as a conflict: keep its sections, but do not resend them."""
        self.held.update({k: v for k, v in self.inflight.items() if k not in self.pending})
        self.inflight = {}

    def drop(self) -> dict[str, JsonValue]:
        """The save was refused and the server's version wins: forget its sections."""
        dropped, self.inflight = self.inflight, {}
        return dropped

    def release_held(self) -> dict[str, JsonValue]:
        released, self.held = self.held, {}
        return released

    def adopt(self, snapshot: LectureSnapshot) -> None:
        """A newer server snapshot (only while clean): it includes everything applied."""
        self.snapshot = snapshot
        self._document = _document(snapshot)
        self.applied = {}
