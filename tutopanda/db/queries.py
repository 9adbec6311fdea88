"""Loads the named queries of `sql/queries/*.sql`: the only SQL text Python sends."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import LiteralString, cast

from tutopanda.resources import sql_dir

# `-- query_name --` on its own line, then `-- description` lines, then the statement.
_HEADER = re.compile(r"(?:\n|^)-- ([a-z0-9_]+) --\n(?:-- .*\n)*", re.MULTILINE)


def parse_query_file(text: str, origin: str = "<string>") -> dict[str, LiteralString]:
    """Split one query file into {name: statement}; text before the first header is ignored."""
    parts = _HEADER.split(text)
    queries: dict[str, LiteralString] = {}
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        statement = body.strip()
        if not statement:
            raise ValueError(f"{origin}: query {name!r} is empty")
        if name in queries:
            raise ValueError(f"{origin}: query {name!r} is defined twice")
        # The files ship with the code and are reviewed like code.
        queries[name] = cast(LiteralString, statement)
    return queries


def load_queries(directory: Path) -> dict[str, LiteralString]:
    """Read every `*.sql` file of `directory`; names must be unique across files."""
    queries: dict[str, LiteralString] = {}
    for path in sorted(directory.glob("*.sql")):
        for name, statement in parse_query_file(path.read_text("utf-8"), str(path)).items():
            if name in queries:
                raise ValueError(f"{path}: query {name!r} is already defined in another file")
            queries[name] = statement
    return queries


@cache
def _all_queries() -> dict[str, LiteralString]:
    return load_queries(sql_dir() / "queries")


def query(name: str) -> LiteralString:
    """Return the named statement; a typo fails loudly at the first call."""
    try:
        return _all_queries()[name]
    except KeyError:
        raise KeyError(f"no named query {name!r} in sql/queries/") from None
