"""Conditional requests: the revision as ETag, `If-None-Match` for reads, `If-Match` for writes."""

from __future__ import annotations

import re
from typing import Annotated

from litestar.params import HeaderParameter

from tutopanda.api.problems import InvalidField
from tutopanda.models.base import MAX_SERIAL

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description='the base revision as a strong ETag, like "5"',
        schema_extra={"pattern": '^\\s*"[0-9]{1,10}"\\s*$'},  # checked by base_revision()
    ),
]
IfNoneMatch = Annotated[
    str | None,
    HeaderParameter(name="If-None-Match", required=False, description="a revision you have"),
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


def base_revision(body_revision: int | None, if_match: str | None) -> int | None:
    """The base revision of a write from the body or `If-Match`; they must agree when both."""
    header_revision = None
    if if_match is not None:  # an empty If-Match is malformed too
        match = _ETAG.match(if_match)
        if match is None or match.group(1) or int(match.group(2)) > MAX_SERIAL:
            raise InvalidField("If-Match", 'must be one strong ETag naming a revision, like "5"')
        header_revision = int(match.group(2))
    both = body_revision is not None and header_revision is not None
    if both and body_revision != header_revision:
        raise InvalidField("If-Match", "names another revision than baseRevision")
    return body_revision if body_revision is not None else header_revision
