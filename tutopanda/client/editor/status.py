"""What an editor shows about its session: the save status, and a conflict to resolve."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from pydantic import JsonValue

from tutopanda.client.models import LectureSnapshot, MergeConflict

T = TypeVar("T")
logger = logging.getLogger("tutopanda.client")

# idle: nothing saved yet, or edits waiting for the debounce; saving: a save in flight;
# saved: every edit is saved; conflict: a save was refused (see `conflict`); error: it failed.
SaveStatus = Literal["idle", "saving", "saved", "conflict", "error"]
ConflictPolicy = Literal["merge", "reload", "force"]


@dataclass(frozen=True)
class ConflictReport:
    """A save the server refused, and what the session did with it (`policy`).

    `merge`: the sections are kept locally (`EditorSession.held`) until `reapply()` or
    `reload()`; `reload`: the session took the server's snapshot. Either way the refused
    sections are on the server as conflict draft `draft_id`, with the `conflicts` (JSON paths
    changed differently on both sides; empty for a plain stale base).
    """

    policy: ConflictPolicy
    draft_id: int | None
    sections: dict[str, JsonValue]
    conflicts: tuple[MergeConflict, ...]
    latest: LectureSnapshot | None

    @property
    def pointers(self) -> list[str]:
        """The JSON pointers of the conflicting paths."""
        return [conflict.pointer for conflict in self.conflicts]


@dataclass(frozen=True)
class SessionStatus:
    """A session's state at one moment: its save status, base revision (what the local
    snapshot is), the newest revision known on the server, the unsaved sections."""

    status: SaveStatus
    revision: int
    server_revision: int
    dirty: frozenset[str]
    conflict: ConflictReport | None = None
    error: Exception | None = field(default=None, compare=False)


def notify(callback: Callable[[T], None], value: T) -> None:
    """Call an editor's callback; its failure is logged, never the session's."""
    try:
        callback(value)
    except Exception:
        logger.exception("a callback of an editor session failed")


class StatusFeed:
    """Tells callbacks and async iterators about each change of status."""

    def __init__(self) -> None:
        self.callbacks: list[Callable[[SessionStatus], None]] = []
        self._queues: list[asyncio.Queue[SessionStatus | None]] = []
        self._last: SessionStatus | None = None

    def publish(self, status: SessionStatus) -> None:
        """Tell everyone, unless nothing changed since the last status."""
        if status == self._last:
            return
        self._last = status
        for callback in self.callbacks:
            notify(callback, status)
        for queue in self._queues:
            queue.put_nowait(status)

    def end(self) -> None:
        """End every iterator (the session closed)."""
        for queue in self._queues:
            queue.put_nowait(None)

    async def changes(self) -> AsyncIterator[SessionStatus]:
        """Each status from now on, until the session closes."""
        queue: asyncio.Queue[SessionStatus | None] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while (status := await queue.get()) is not None:
                yield status
        finally:
            self._queues.remove(queue)
