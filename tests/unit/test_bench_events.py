"""The fan-out bench's pure helpers: the lean SSE wire reader, latency matching, the idle
publisher's rate (no database, no server)."""

from __future__ import annotations

import math

import pytest

from bench.fanout_match import announce_latencies, split, tally
from bench.fanout_report import latency_table
from bench.idle_publisher import rate_between_changes
from bench.runner import Sample
from bench.sse_wire import ChunkedDecoder, Frame, FrameScanner, WireError, parse_head
from bench.subscribers import Tally
from tutopanda.settings import Settings

MS = 1_000_000  # ns


def chunked(*pieces: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def test_the_response_head_gives_status_and_framing() -> None:
    head = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nTransfer-Encoding: chunked"
    assert (parse_head(head).status, parse_head(head).chunked) == (200, True)
    assert parse_head(b"HTTP/1.1 404 Not Found\r\ncontent-length: 10") == parse_head(
        b"HTTP/1.0 404 Gone"
    )
    with pytest.raises(WireError):
        parse_head(b"SSH-2.0-OpenSSH")


def test_a_chunked_body_fed_byte_by_byte_comes_back_whole() -> None:
    body = chunked(b"id: 1.0\r\nevent: x\r\n", b"data: {}\r\n\r\n", b": heartbeat\r\n\r\n")
    whole = ChunkedDecoder()
    assert whole.feed(body) == b"id: 1.0\r\nevent: x\r\ndata: {}\r\n\r\n: heartbeat\r\n\r\n"
    assert whole.finished
    sliced = ChunkedDecoder()
    out = b"".join(sliced.feed(body[i : i + 1]) for i in range(len(body)))
    assert out == b"id: 1.0\r\nevent: x\r\ndata: {}\r\n\r\n: heartbeat\r\n\r\n"
    assert sliced.finished
    with pytest.raises(WireError):
        ChunkedDecoder().feed(b"zz\r\n")


def test_frames_are_complete_at_their_blank_line_and_comments_are_not_frames() -> None:
    stream = (
        b"id: 0.1\r\nevent: lecture.state\r\ndata: {}\r\n\r\n"
        b": heartbeat\r\n\r\n"
        b'id: 7.1\r\nevent: lecture.revised\r\ndata: {"revision":7}\r\n\r\n'
        b"id: 7.2\nevent: workflow.progress\ndata: {}\n\n"
        b"id: 8.2\r\nevent: lecture.rev"
    )
    for step in (len(stream), 1, 5):
        scanner = FrameScanner()
        frames = [
            f for i in range(0, len(stream), step) for f in scanner.feed(stream[i : i + step])
        ]
        assert frames == [
            Frame(b"lecture.state", b"0.1"),
            Frame(b"lecture.revised", b"7.1"),
            Frame(b"workflow.progress", b"7.2"),
        ]
    assert [f.revision() for f in frames] == [0, 7, 7]
    assert Frame(b"x", b"").revision() == -1


def test_latencies_match_each_subscriber_with_the_commit_of_its_lecture() -> None:
    commits = {(1, 5): 100 * MS, (1, 6): 200 * MS, (2, 9): 150 * MS}
    on_one = Tally(1, revisions=[5, 6, 6], times_ns=[104 * MS, 230 * MS, 231 * MS])
    late = Tally(1, revisions=[6, 4], times_ns=[202 * MS, 300 * MS])  # missed 5; 4 not ours
    on_two = Tally(2, revisions=[9], times_ns=[151 * MS])
    idle = Tally(3)
    matched = tally(commits, [on_one, late, on_two, idle])
    assert matched.latencies_ms == [1.0, 2.0, 4.0, 30.0]
    assert (matched.expected, matched.matched, matched.missing) == (5, 4, 1)
    assert (matched.duplicates, matched.unexpected, matched.short_subscribers) == (1, 1, 1)
    assert matched.fewest == 0.5
    assert (matched.percentile_ms(0.5), matched.percentile_ms(0.99)) == (2.0, 30.0)
    assert math.isnan(tally({}, []).percentile_ms(0.5))


def test_announcements_match_the_first_one_naming_the_lecture_after_the_commit() -> None:
    commits = {(1, 5): 100 * MS, (2, 3): 100 * MS, (1, 6): 200 * MS, (4, 1): 300 * MS}
    announced = [(205 * MS, [1]), (90 * MS, [1]), (103 * MS, [2, 1])]  # arrival order aside
    assert announce_latencies(commits, announced) == [3.0, 3.0, 5.0]  # lecture 4 never


def test_subscribers_are_split_over_processes_in_order() -> None:
    assert split([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]
    assert split([], 3) == []
    with pytest.raises(ValueError, match="at least one"):
        split([1], 0)


def test_a_stepped_counter_rate_is_taken_between_its_first_and_last_steps() -> None:
    readings = [(0.0, 10), (0.5, 10), (0.7, 110), (1.2, 110), (1.7, 310), (2.0, 310)]
    assert rate_between_changes(readings) == pytest.approx(200 / 1.0)
    assert rate_between_changes([(0.0, 1), (1.0, 1), (2.0, 5)]) is None
    assert rate_between_changes([]) is None


def test_the_latency_table_sums_events_over_rounds_and_spreads_latencies() -> None:
    def sample(p50: float, received: float) -> Sample:
        extra = {"received": received, "expected": 100.0, "short_subscribers": 1.0}
        return Sample(saves_per_s=20.0, seconds=5.0, p50_ms=p50, p99_ms=2 * p50, extra=extra)

    table = latency_table(
        "case",
        {"1,000 subscribers, 1 lecture": [sample(4.0, 100), sample(8.0, 99)]},
        "t",
        Settings(),
    )
    header, rule, row = table.strip().splitlines()[-3:]
    assert header.count("|") == rule.count("|") == row.count("|")
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[:6] == [
        "1,000 subscribers, 1 lecture",
        "20.0 (20.0-20.0)",
        "-",
        "6.0 (4.0-8.0)",
        "12.0 (8.0-16.0)",
        "-",
    ]
    assert cells[8:10] == ["199 / 200", "2"]
