"""Presence: who has a lecture's event stream open, and what each is working on, across every API
process. Ephemeral: nothing of it is stored, in the history or anywhere.

Each process keeps a board of every session it knows: its own (an open event stream here) and the
others' (learnt from their announcements). Every change is announced on one notification channel
(`tutopanda_presence`, sent from an autocommit connection that writes nothing: no NOTIFY in a
writing transaction) and applied when it comes back, on every process alike, its own included:

- `join` / `leave`: a stream opened or ended here;
- `focus`: what a user works on (PUT /lectures/{id}/presence, any process): the latest focus of a
  user on a lecture is sent at most every `focus_seconds` (a client sending 1,000 a second costs
  ten notifications);
- `beat`: every `beat_seconds`, the ids of this process's sessions: a session not heard of for
  `expire_seconds` (its process was killed) has left;
- `sync`: a process that (re)connected asks the others to announce their sessions again.

Subscribers see people, not sessions: `joined` when a user's first session on the lecture appears,
`left` when their last one ends, `focus` when their focus changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger("tutopanda.presence")

CHANNEL = "tutopanda_presence"
# The `kind` of a presence event a stream receives (`state` first: api/controllers/events.py).
EVENT_KINDS = frozenset({"state", "joined", "focus", "left"})
MAX_PAYLOAD = 7000  # PostgreSQL's limit is 8000 bytes
Focus = dict[str, Any] | None  # {"section": …, "itemId": …} or None
Announce = Callable[[str], Awaitable[None]]
Listener = Callable[[dict[str, Any]], None]


@dataclass
class _Session:
    lecture_id: int
    user_id: str
    name: str
    process: str
    heard: float


@dataclass
class _PendingFocus:
    focus: Focus
    sent_at: float = 0.0
    timer: asyncio.TimerHandle | None = None


@dataclass
class PresenceBoard:
    """One process's view of everyone present, and its announcements (see the module)."""

    announce: Announce
    focus_seconds: float = 0.1
    beat_seconds: float = 10.0
    expire_seconds: float = 30.0
    clock: Callable[[], float] = time.monotonic
    process: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    _sessions: dict[str, _Session] = field(default_factory=dict)
    _focus: dict[tuple[int, str], Focus] = field(default_factory=dict)
    _pending: dict[tuple[int, str], _PendingFocus] = field(default_factory=dict)
    _listeners: dict[int, set[Listener]] = field(default_factory=dict)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    # What the streams of this process do.

    def listen(self, lecture_id: int, listener: Listener) -> list[dict[str, Any]]:
        """Call `listener` with every presence event of the lecture from now on; the people
        present now (userId, name, focus)."""
        self._listeners.setdefault(lecture_id, set()).add(listener)
        return self.present(lecture_id)

    def unlisten(self, lecture_id: int, listener: Listener) -> None:
        listeners = self._listeners.get(lecture_id)
        if listeners is not None:
            listeners.discard(listener)
            if not listeners:
                del self._listeners[lecture_id]

    def present(self, lecture_id: int) -> list[dict[str, Any]]:
        """The people on the lecture now, by user id."""
        people: dict[str, dict[str, Any]] = {}
        for session in self._sessions.values():
            if session.lecture_id == lecture_id and session.user_id not in people:
                people[session.user_id] = self._person(session)
        return sorted(people.values(), key=lambda person: person["userId"])

    async def join(self, lecture_id: int, user_id: str, name: str) -> str:
        """A stream of `user_id` opened on this process: its session id (for `leave`). It is on
        this board at once (its own announcement, when it comes back, changes nothing)."""
        session = uuid.uuid4().hex
        self._add(session, lecture_id, user_id, name, self.process)
        await self._send({"k": "join", "s": session, "l": lecture_id, "u": user_id, "n": name})
        return session

    async def leave(self, session: str) -> None:
        """The stream of `session` ended: forgotten here at once, and announced."""
        self._apply_leave(session)
        await self._send({"k": "leave", "s": session})

    def set_focus(self, lecture_id: int, user_id: str, focus: Focus) -> None:
        """What the user works on now; sent at most every `focus_seconds` (the latest wins)."""
        key = (lecture_id, user_id)
        pending = self._pending.setdefault(key, _PendingFocus(focus))
        pending.focus = focus
        if pending.timer is not None:
            return  # a send is scheduled: it takes the latest focus
        wait = pending.sent_at + self.focus_seconds - self.clock()
        if wait <= 0:
            self._send_focus(key)
        else:
            pending.timer = asyncio.get_running_loop().call_later(wait, self._send_focus, key)

    # What the channel brings (every process's announcements, this one's included).

    def receive(self, payload: str) -> None:
        """Apply one announcement; anything malformed is ignored."""
        try:
            message = json.loads(payload)
            kind = message["k"]
            if kind == "join":
                self._apply_join(message)
            elif kind == "leave":
                self._apply_leave(str(message["s"]))
            elif kind == "focus":
                self._apply_focus(int(message["l"]), str(message["u"]), message.get("f"))
            elif kind == "beat":
                now = self.clock()
                for session in message["s"]:
                    if (known := self._sessions.get(session)) is not None:
                        known.heard = now
            elif kind == "sync" and message.get("p") != self.process:
                self._spawn(self.announce_sessions())
        except (ValueError, KeyError, TypeError):
            logger.debug("ignored a malformed presence announcement: %.200s", payload)

    async def announce_sessions(self) -> None:
        """Announce this process's sessions again (asked by `sync`)."""
        for session_id, session in list(self._sessions.items()):
            if session.process == self.process:
                await self._send(
                    {
                        "k": "join",
                        "s": session_id,
                        "l": session.lecture_id,
                        "u": session.user_id,
                        "n": session.name,
                    }
                )
                if (focus := self._focus.get((session.lecture_id, session.user_id))) is not None:
                    await self._send(
                        {"k": "focus", "l": session.lecture_id, "u": session.user_id, "f": focus}
                    )

    def busy(self) -> bool:
        """True while an announcement or a scheduled focus is still to be sent."""
        return bool(self._tasks) or any(p.timer is not None for p in self._pending.values())

    def connected(self) -> None:
        """The listening connection (re)connected: ask the others for their sessions, since
        announcements made meanwhile were not heard."""
        self._spawn(self._send({"k": "sync"}))

    async def run(self) -> None:
        """Until cancelled: beat and expire."""
        while True:
            await asyncio.sleep(self.beat_seconds)
            await self._beat()
            self.expire()

    def expire(self) -> None:
        """Forget the other processes' sessions not heard of for `expire_seconds`."""
        limit = self.clock() - self.expire_seconds
        for session_id, session in list(self._sessions.items()):
            if session.process != self.process and session.heard < limit:
                self._apply_leave(session_id)

    async def close(self) -> None:
        """At shutdown: this process's sessions leave, nothing more is sent."""
        for pending in self._pending.values():
            if pending.timer is not None:
                pending.timer.cancel()
        for task in list(self._tasks):
            task.cancel()
        for session_id, session in list(self._sessions.items()):
            if session.process == self.process:
                with contextlib.suppress(Exception):
                    await self.leave(session_id)

    # Inside.

    def _person(self, session: _Session) -> dict[str, Any]:
        return {
            "userId": session.user_id,
            "name": session.name,
            "focus": self._focus.get((session.lecture_id, session.user_id)),
        }

    def _here(self, lecture_id: int, user_id: str) -> bool:
        return any(
            s.lecture_id == lecture_id and s.user_id == user_id for s in self._sessions.values()
        )

    def _apply_join(self, message: dict[str, Any]) -> None:
        process = str(message.get("p", ""))
        if process == self.process:
            return  # this process's own sessions are on the board from `join` to `leave`
        session_id = str(message["s"])
        if session_id in self._sessions:
            self._sessions[session_id].heard = self.clock()
            return
        self._add(session_id, int(message["l"]), str(message["u"]), str(message["n"]), process)

    def _add(self, session_id: str, lecture_id: int, user_id: str, name: str, process: str) -> None:
        arrived = not self._here(lecture_id, user_id)
        self._sessions[session_id] = _Session(lecture_id, user_id, name, process, self.clock())
        if arrived:
            self._tell(lecture_id, {"kind": "joined", **self._person(self._sessions[session_id])})

    def _apply_leave(self, session_id: str) -> None:
        session = self._sessions.pop(session_id, None)
        if session is None or self._here(session.lecture_id, session.user_id):
            return
        self._focus.pop((session.lecture_id, session.user_id), None)
        self._tell(
            session.lecture_id, {"kind": "left", "userId": session.user_id, "name": session.name}
        )

    def _apply_focus(self, lecture_id: int, user_id: str, focus: Focus) -> None:
        if not self._here(lecture_id, user_id) or self._focus.get((lecture_id, user_id)) == focus:
            return
        self._focus[(lecture_id, user_id)] = focus
        name = next(
            s.name
            for s in self._sessions.values()
            if s.lecture_id == lecture_id and s.user_id == user_id
        )
        self._tell(lecture_id, {"kind": "focus", "userId": user_id, "name": name, "focus": focus})

    def _tell(self, lecture_id: int, event: dict[str, Any]) -> None:
        for listener in list(self._listeners.get(lecture_id, ())):
            listener(event)

    def _send_focus(self, key: tuple[int, str]) -> None:
        pending = self._pending.pop(key, None)
        if pending is None:
            return
        lecture_id, user_id = key
        # Kept for one interval (when the next may be sent), then forgotten: no entry outlives
        # a user's last update by more than `focus_seconds`.
        sent = _PendingFocus(pending.focus, sent_at=self.clock())
        self._pending[key] = sent
        loop = asyncio.get_running_loop()
        loop.call_later(self.focus_seconds, self._forget_sent, key, sent)
        self._spawn(self._send({"k": "focus", "l": lecture_id, "u": user_id, "f": pending.focus}))

    def _forget_sent(self, key: tuple[int, str], sent: _PendingFocus) -> None:
        if self._pending.get(key) is sent and sent.timer is None:
            del self._pending[key]

    async def _beat(self) -> None:
        mine = [s for s, session in self._sessions.items() if session.process == self.process]
        for start in range(0, len(mine), 150):  # 150 ids of 32 characters: under MAX_PAYLOAD
            await self._send({"k": "beat", "s": mine[start : start + 150]})

    async def _send(self, message: dict[str, Any]) -> None:
        payload = json.dumps({**message, "p": self.process}, separators=(",", ":"))
        if len(payload.encode()) > MAX_PAYLOAD:
            logger.warning("a presence announcement was too large to send (%s bytes)", len(payload))
            return
        try:
            await self.announce(payload)
        except Exception as error:  # the database is away: presence waits for it
            logger.warning("presence not announced: %s", error)

    def _spawn(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
