"""Micro-benchmark: the cost of turning a save body into a SaveRequest, before and after.

Before: msgspec decodes the bytes (Litestar), pydantic validates the Python objects (lax), then a
Python walk looks for NUL characters and nesting. Now (api/bodies.py): one jiter parse that also
refuses duplicate keys, then one strict validation. Run from the repository root:

    .venv/bin/python -m tests.api.bench_body_decoding
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import msgspec

from bench.payloads import payload
from tutopanda.api.bodies import decode_body
from tutopanda.models.base import check_storable
from tutopanda.models.wire import SaveRequest

ROUNDS = 9


def before(body: bytes) -> SaveRequest:
    """Litestar's msgspec decode, pydantic's lax validation, the old walk of the value."""
    value = msgspec.json.decode(body)
    request: SaveRequest = SaveRequest.__pydantic_validator__.validate_python(value)
    check_storable(value)
    return request


def now(body: bytes) -> SaveRequest:
    """api/bodies.py: parse once, validate once."""
    return decode_body(SaveRequest, body)


def _per_call_ms(function: Callable[[bytes], SaveRequest], body: bytes, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        function(body)
    return (time.perf_counter() - started) / calls * 1000


def main() -> None:
    for size_kb, calls in ((20, 200), (200, 20)):
        sections = json.loads(payload(size_kb).a)
        body = json.dumps({"payload": sections}).encode()
        assert before(body) == now(body)
        timings: dict[str, list[float]] = {"before": [], "now": []}
        for _ in range(ROUNDS):  # interleaved, so both see the same machine
            for name, function in (("before", before), ("now", now)):
                timings[name].append(_per_call_ms(function, body, calls))
        medians = {name: statistics.median(values) for name, values in timings.items()}
        print(f"{size_kb} KB timeline body ({len(body)} bytes), {ROUNDS} rounds x {calls} calls")
        for name, values in timings.items():
            spread = f"min {min(values):.3f}, max {max(values):.3f}"
            print(f"  {name:6s} median {medians[name]:7.3f} ms  ({spread})")
        print(f"  now/before = {medians['now'] / medians['before']:.2f}")


if __name__ == "__main__":
    main()
