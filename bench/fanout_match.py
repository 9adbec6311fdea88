"""Matching what each subscriber received, and when the publisher announced, against what the
writer committed: latencies, and every event accounted for (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.stats import percentile
from bench.subscribers import Tally


@dataclass(frozen=True)
class FanoutTally:
    """Every subscriber's events matched with the writer's commits, by (lecture, revision)."""

    latencies_ms: list[float]  # receive - commit, sorted
    expected: int  # commits on the subscribers' lectures, summed over subscribers
    matched: int  # of those, received (the first time)
    duplicates: int  # the same revision received again by the same subscriber
    unexpected: int  # revisions the writer did not commit during the measurement
    short_subscribers: int  # subscribers that missed at least one commit
    fewest: float  # the lowest received/expected fraction over subscribers (1.0 when none)

    @property
    def missing(self) -> int:
        return self.expected - self.matched

    def percentile_ms(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)


def tally(commits: Mapping[tuple[int, int], int], subscribers: Sequence[Tally]) -> FanoutTally:
    """Match each subscriber's (revision, receive time) with the commit time of that revision
    of its lecture: a latency per delivered commit, and what was missed, doubled or foreign."""
    per_lecture: dict[int, int] = {}
    for lecture, _ in commits:
        per_lecture[lecture] = per_lecture.get(lecture, 0) + 1
    latencies: list[float] = []
    expected = matched = duplicates = unexpected = short = 0
    fewest = 1.0
    for subscriber in subscribers:
        wanted = per_lecture.get(subscriber.lecture, 0)
        seen: set[int] = set()
        for revision, received in zip(subscriber.revisions, subscriber.times_ns, strict=True):
            committed = commits.get((subscriber.lecture, revision))
            if committed is None:
                unexpected += 1
            elif revision in seen:
                duplicates += 1
            else:
                seen.add(revision)
                latencies.append((received - committed) / 1e6)
        expected += wanted
        matched += len(seen)
        if len(seen) < wanted:
            short += 1
            fewest = min(fewest, len(seen) / wanted)
    latencies.sort()
    return FanoutTally(latencies, expected, matched, duplicates, unexpected, short, fewest)


def split(items: Sequence[int], size: int) -> list[list[int]]:
    """`items` in consecutive groups of at most `size` (one group per client process)."""
    if size < 1:
        raise ValueError("groups of at least one")
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def announce_latencies(
    commits: Mapping[tuple[int, int], int], announcements: Sequence[tuple[int, Sequence[int]]]
) -> list[float]:
    """Commit → announcement, per commit: the first announcement (wall clock ns, lecture ids)
    at or after the commit that names its lecture, in ms, sorted. Announcements only say
    which lectures changed, so a commit announced together with an earlier one of its lecture
    is matched exactly, and one announced after its lecture's previous commit is not mistaken
    for it only when the previous one was announced before this commit (true unless the
    publisher lags by more than the time between two saves of a lecture). A commit never
    announced gets no latency."""
    ordered = sorted(announcements, key=lambda a: a[0])
    latencies: list[float] = []
    for (lecture, _), committed in commits.items():
        for announced, lectures in ordered:
            if announced >= committed and lecture in lectures:
                latencies.append((announced - committed) / 1e6)
                break
    latencies.sort()
    return latencies
