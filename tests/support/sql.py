"""Named queries of the tests themselves (`tests/sql/*.sql`), loaded like the application's."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import LiteralString

from tutopanda.db.queries import load_queries

_TEST_SQL = Path(__file__).resolve().parents[1] / "sql"


@cache
def _queries() -> dict[str, LiteralString]:
    return load_queries(_TEST_SQL)


def test_query(name: str) -> LiteralString:
    """The named statement of tests/sql; a typo fails loudly."""
    try:
        return _queries()[name]
    except KeyError:
        raise KeyError(f"no named query {name!r} in tests/sql/") from None


test_query.__test__ = False  # type: ignore[attr-defined]
