"""The per-process write rate: a token bucket per user, on a clock the test turns."""

from __future__ import annotations

import pytest

from tutopanda.api import write_rate
from tutopanda.api.write_rate import WriteRate


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_minute_of_writes_at_once_then_one_per_share_of_the_minute() -> None:
    clock = Clock()
    rate = WriteRate(6, clock=clock)  # one more every 10 s
    assert [rate.take("alice") for _ in range(6)] == [0.0] * 6
    assert rate.take("alice") == pytest.approx(10.0)
    assert rate.take("bob") == 0.0  # each user has a bucket of their own
    clock.now += 4
    assert rate.take("alice") == pytest.approx(6.0)  # a refusal spends nothing
    clock.now += 6
    assert rate.take("alice") == 0.0
    assert rate.take("alice") == pytest.approx(10.0)
    clock.now += 3600
    assert [rate.take("alice") for _ in range(7)][-2:] == [0.0, pytest.approx(10.0)]  # capped


def test_idle_users_are_forgotten_once_many_are_remembered(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(write_rate, "REMEMBERED_USERS", 3)
    clock = Clock()
    rate = WriteRate(60, clock=clock)
    for user in ("a", "b", "c"):
        rate.take(user)
    clock.now += 0.5
    rate.take("d")  # a, b and c are not full again yet: all four are kept
    assert rate.take("a") == 0.0
    clock.now += 2
    rate.take("e")  # a minute's share of a second: everyone but e is full again
    assert set(rate._buckets) == {"e"}
