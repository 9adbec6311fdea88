"""Path identifiers: anything that cannot name a row answers 404 before reaching SQL."""

from __future__ import annotations

import re

from tutopanda.api.params import MAX_SERIAL
from tutopanda.errors import NotFound

_RUN_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def lecture_id(value: int) -> int:
    """A lecture id within the range of the `serial` column."""
    if not 1 <= value <= MAX_SERIAL:
        raise NotFound(f"lecture {value} not found")
    return value


def run_id(value: str) -> str:
    """A workflow run id: a lowercase UUID."""
    if not _RUN_ID.match(value):
        raise NotFound("workflow run not found")
    return value
