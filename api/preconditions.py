"""Conditional requests: the revision as ETag, `If-None-Match` for reads, `If-Match` for writes."""

from __future__ import annotations

import re
from typing import Annotated

from litestar.params import HeaderParameter

from tutopanda.api.problems import InvalidField
from tutopanda.models.base import MAX_SERIAL


def decimal_pattern(maximum: int) -> str:
    """A regular expression (no anchors) for the decimal numbers 0 to `maximum` as `str()` writes
    them (no sign, no leading zero: one number, one spelling)."""
    top = str(maximum)

    def digits(low: int, high: int) -> str:
        return str(low) if low == high else f"[{low}-{high}]"

    def any_digits(count: int) -> str:
        return "" if count == 0 else "[0-9]" if count == 1 else f"[0-9]{{{count}}}"

    shorter = (
        [] if len(top) == 1 else ["[1-9]" if len(top) == 2 else f"[1-9][0-9]{{0,{len(top) - 2}}}"]
    )
    # As long as `maximum`: its first i digits, a smaller digit, then any digits.
    same_length = [
        top[:i] + digits(1 if i == 0 else 0, int(digit) - 1) + any_digits(len(top) - i - 1)
        for i, digit in enumerate(top)
        if int(digit) > (1 if i == 0 else 0)
    ]
    return "|".join(dict.fromkeys(["0", *shorter, *same_length, top]))


# One strong ETag naming a revision, as this service writes them (`etag`): a strong comparison
# (RFC 9110) matches only that spelling, so `W/"5"`, `"05"`, `*` and lists are refused.
IF_MATCH_PATTERN = f'^"({decimal_pattern(MAX_SERIAL)})"$'
_IF_MATCH = re.compile(IF_MATCH_PATTERN)

IfMatch = Annotated[
    str,
    HeaderParameter(
        name="If-Match",
        required=True,
        description=(
            'the revision the write builds on, as the strong ETag read with it, like "5" '
            "(0 to 2147483647)"
        ),
        pattern=IF_MATCH_PATTERN,  # checked by base_revision(): 422 naming If-Match
    ),
]
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-None-Match",
        required=False,
        description="a revision you have (an ETag, a list of them, or `*`); ignored if unusable",
    ),
]

_ETAG = re.compile(r'^\s*(W/)?"(\d{1,10})"\s*$')


def etag(revision: int) -> str:
    """The ETag of a lecture at `revision` (a strong validator: one revision, one content)."""
    return f'"{revision}"'


def none_match(header: str | None, revision: int) -> bool:
    """True when `If-None-Match` names the current revision (or `*`): answer 304."""
    if not header:
        return False
    for candidate in header.split(","):
        if candidate.strip() == "*":
            return True
        match = _ETAG.match(candidate)
        if match and int(match.group(2)) == revision:
            return True
    return False


def base_revision(if_match: str) -> int:
    """The revision a write builds on, from its `If-Match` (422 naming it when malformed)."""
    revision = matched_revision(if_match)
    if revision is None:
        raise InvalidField("If-Match", 'must be one strong ETag naming a revision, like "5"')
    return revision


def matched_revision(if_match: str) -> int | None:
    """The revision an `If-Match` names; None when it is not one strong ETag of a revision."""
    match = _IF_MATCH.match(if_match)
    return None if match is None else int(match.group(1))
