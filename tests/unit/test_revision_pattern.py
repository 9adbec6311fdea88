"""`decimal_pattern`: the regular expression of the decimal numbers 0 to a maximum, as written by
`str()`, that the OpenAPI document gives `If-Match` (api/preconditions.py)."""

from __future__ import annotations

import random
import re

import pytest

from tutopanda.api.preconditions import IF_MATCH_PATTERN, decimal_pattern
from tutopanda.models.base import MAX_SERIAL


@pytest.mark.parametrize("maximum", [0, 1, 2, 9, 10, 11, 19, 20, 99, 100, 305, 1009, MAX_SERIAL])
def test_it_matches_exactly_0_to_the_maximum(maximum: int) -> None:
    pattern = re.compile(f"^({decimal_pattern(maximum)})$")
    around = {maximum + delta for delta in range(-50, 51)} | {maximum * 10, 10 ** len(str(maximum))}
    drawn = {random.Random(maximum).randrange(0, 10**11) for _ in range(2000)}
    for number in set(range(1200)) | around | drawn:
        assert bool(pattern.match(str(number))) == (0 <= number <= maximum), number
    assert not pattern.match(f"0{maximum}")  # one number, one spelling
    assert not pattern.match(f"-{maximum}")


def test_if_match_is_one_strong_etag_of_a_revision() -> None:
    pattern = re.compile(IF_MATCH_PATTERN)
    assert pattern.match(f'"{MAX_SERIAL}"')
    assert not pattern.match(f'"{MAX_SERIAL + 1}"')
    assert not pattern.match('W/"1"')
