"""HTTP clients that ride out a database failover and record what they were told: editors saving
a lecture again and again, and a follower of a lecture's event stream that reconnects."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

import httpx

from tests.support.sse import Event, aevents
from tutopanda.events.cursor import Cursor

PAUSE = 0.02  # between an editor's saves, and before a client tries again after a failure


@dataclass(frozen=True)
class Ack:
    """A save the service acknowledged: its revision and what it saved, and when (monotonic)."""

    lecture_id: int
    revision: int
    summary: str
    at: float


@dataclass
class Editor:
    """An editor auto-saving the summary of one lecture on the last revision it knows.

    A failed save (an error status, or no answer) may still have committed: the editor keeps
    its base, and the 409 that follows, if it did, tells it the latest revision.
    """

    name: str
    lecture_id: int
    acknowledged: list[Ack] = field(default_factory=list)
    failures: list[tuple[float, str]] = field(default_factory=list)  # (when, what)
    conflicts: int = 0
    slowest: float = 0.0  # seconds, the longest any save waited for its answer

    def first_ack_after(self, moment: float) -> float | None:
        """Seconds from `moment` to the first save acknowledged after it."""
        return next((ack.at - moment for ack in self.acknowledged if ack.at > moment), None)

    async def edit(self, http: httpx.AsyncClient, base: int, stop: asyncio.Event) -> None:
        """Save until `stop` is set (the save in flight then finishes)."""
        count = 0
        while not stop.is_set():
            count += 1
            summary = f"{self.name} save {count}"
            body = {"payload": {"summary": summary}}
            sent = time.monotonic()
            try:
                response = await http.patch(
                    f"/lectures/{self.lecture_id}", json=body, headers={"If-Match": f'"{base}"'}
                )
            except httpx.TransportError as error:
                self.failures.append((time.monotonic(), type(error).__name__))
            else:
                self.slowest = max(self.slowest, time.monotonic() - sent)
                if response.status_code == 200:
                    base = int(response.json()["revision"])
                    self.acknowledged.append(Ack(self.lecture_id, base, summary, time.monotonic()))
                elif response.status_code == 409:
                    base = int(response.json()["lecture"]["revision"])
                    self.conflicts += 1
                else:
                    code = response.json().get("code")
                    self.failures.append((time.monotonic(), f"{response.status_code} {code}"))
            await asyncio.sleep(PAUSE)


@dataclass
class Follower:
    """A subscriber of a lecture's event stream that reconnects with `Last-Event-ID`, as a
    browser's EventSource does, until it has seen the position `until`."""

    lecture_id: int
    events: list[Event] = field(default_factory=list)  # every event, openings included
    interruptions: list[tuple[float, str]] = field(default_factory=list)  # (when, why)
    until: Cursor | None = None

    @property
    def last_id(self) -> str | None:
        return self.events[-1].id if self.events else None

    async def follow(self, http: httpx.AsyncClient) -> None:
        """Follow the stream until `until` is reached (set it, then await `wait`)."""
        while not self._reached():
            headers = {"Last-Event-ID": self.last_id} if self.last_id else {}
            try:
                async with http.stream(
                    "GET", f"/lectures/{self.lecture_id}/events", headers=headers
                ) as response:
                    if response.status_code != 200:
                        self._interrupted(f"{response.status_code} on reconnecting")
                        await asyncio.sleep(PAUSE)
                        continue
                    async for event in aevents(response):
                        self.events.append(event)
                        if event.event == "disconnect":
                            self._interrupted(f"disconnect: {event.data['reason']}")
                            break
                        if self._reached():
                            return
            except httpx.TransportError as error:
                self._interrupted(type(error).__name__)
            await asyncio.sleep(PAUSE)

    async def wait(self, until: Cursor, task: asyncio.Task[None], timeout: float) -> None:
        """Let the follower (running as `task`) read up to `until`, at most `timeout` seconds
        more; then stop it."""
        self.until = until
        deadline = time.monotonic() + timeout
        while not self._reached() and not task.done() and time.monotonic() < deadline:
            await asyncio.sleep(PAUSE)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    def _reached(self) -> bool:
        """Has it seen everything up to `until` (both the revision and the run event)?"""
        if self.until is None or self.last_id is None:
            return False
        position = Cursor.parse(self.last_id)
        return (
            position is not None
            and position.revision >= self.until.revision
            and position.seq >= self.until.seq
        )

    def _interrupted(self, why: str) -> None:
        self.interruptions.append((time.monotonic(), why))
