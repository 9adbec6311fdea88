"""A position in a lecture's events: (revision, run event seq), written as an SSE id "R.S"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutopanda.models.base import MAX_SERIAL
from tutopanda.models.events import LectureEvent

_ID = re.compile(r"^(\d{1,10})\.(\d{1,10})$")


@dataclass(frozen=True, order=True)
class Cursor:
    """Everything up to revision `revision` and run event `seq` of a lecture has been seen."""

    revision: int
    seq: int

    def after(self, event: LectureEvent) -> Cursor:
        """The cursor once `event` has been seen as well."""
        seq = self.seq if event.seq is None else max(self.seq, event.seq)
        return Cursor(max(self.revision, event.revision), seq)

    def has_seen(self, event: LectureEvent) -> bool:
        """True when `event` is at or before this position."""
        if event.seq is None:
            return event.revision <= self.revision
        return event.seq <= self.seq

    def event_id(self) -> str:
        return f"{self.revision}.{self.seq}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        """The cursor of an SSE id, or None when it is not one of ours."""
        match = _ID.match(text.strip())
        if match is None:
            return None
        revision, seq = int(match.group(1)), int(match.group(2))
        if revision > MAX_SERIAL or seq > MAX_SERIAL:
            return None
        return cls(revision, seq)
