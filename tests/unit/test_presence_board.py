"""The presence board (tutopanda/events/presence.py) of two processes joined by an in-memory
channel, with a clock the test moves: people not sessions, a dead process's sessions expire
after 30 s, focus is coalesced, a late echo of a left session does not bring it back."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tutopanda.events.presence import PresenceBoard

pytestmark = pytest.mark.asyncio


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Channel:
    """Every board hears every announcement, its own included (as with LISTEN)."""

    def __init__(self) -> None:
        self.boards: list[PresenceBoard] = []
        self.sent: list[str] = []
        self.held = False

    async def announce(self, payload: str) -> None:
        self.sent.append(payload)
        if not self.held:
            for board in self.boards:
                board.receive(payload)


def boards(clock: Clock, count: int = 2) -> tuple[Channel, list[PresenceBoard]]:
    channel = Channel()
    made = [PresenceBoard(channel.announce, clock=clock) for _ in range(count)]
    channel.boards = made
    return channel, made


def watch(board: PresenceBoard, lecture_id: int) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    board.listen(lecture_id, seen.append)
    return seen


async def test_people_not_sessions_across_processes() -> None:
    clock = Clock()
    _, (one, two) = boards(clock)
    seen = watch(one, 7)
    first = await two.join(7, "bob", "Bob")
    second = await one.join(7, "bob", "Bob")  # another tab, on the other process
    assert [e["kind"] for e in seen] == ["joined"]
    assert one.present(7) == two.present(7) == [{"userId": "bob", "name": "Bob", "focus": None}]
    await two.leave(first)
    assert [e["kind"] for e in seen] == ["joined"]  # still there through the other tab
    await one.leave(second)
    assert [e["kind"] for e in seen] == ["joined", "left"]
    assert one.present(7) == two.present(7) == []


async def test_a_dead_process_s_sessions_expire_after_30_s() -> None:
    clock = Clock()
    _, (one, two) = boards(clock)
    seen = watch(one, 7)
    await two.join(7, "bob", "Bob")  # then `two` dies: it never beats again
    clock.now += 29
    one.expire()
    assert one.present(7) != []
    clock.now += 2
    one.expire()
    assert one.present(7) == []
    assert [e["kind"] for e in seen] == ["joined", "left"]


async def test_a_living_process_s_beats_keep_its_sessions() -> None:
    clock = Clock()
    _, (one, two) = boards(clock)
    await two.join(7, "bob", "Bob")
    for _ in range(10):
        clock.now += 10
        await two._beat()
        one.expire()
    assert [p["userId"] for p in one.present(7)] == ["bob"]


async def test_focus_is_coalesced_to_the_latest_every_interval() -> None:
    clock = Clock()
    channel, (one, two) = boards(clock)
    seen = watch(one, 7)
    await two.join(7, "bob", "Bob")
    for n in range(100):
        two.set_focus(7, "bob", {"section": "timeline", "itemId": f"clip-{n}"})
    await asyncio.sleep(0)  # the first one goes at once
    await asyncio.sleep(two.focus_seconds + 0.05)  # the latest goes after the interval
    focus = [e["focus"]["itemId"] for e in seen if e["kind"] == "focus"]
    assert focus == ["clip-0", "clip-99"]
    assert sum('"k":"focus"' in payload for payload in channel.sent) == 2


async def test_a_late_echo_of_a_left_session_does_not_bring_it_back() -> None:
    clock = Clock()
    channel, (one,) = boards(clock, 1)
    channel.held = True  # the join's own echo is still on its way
    session = await one.join(7, "bob", "Bob")
    join = channel.sent[-1]
    await one.leave(session)
    channel.held = False
    one.receive(join)  # arrives after the leave
    assert one.present(7) == []


async def test_malformed_announcements_are_ignored() -> None:
    _, (one,) = boards(Clock(), 1)
    for payload in ("", "not json", "[]", '{"k": "join"}', '{"k": "focus", "l": "x"}'):
        one.receive(payload)
    assert one.present(7) == []
