"""Each SQL function is described once: app helpers by a header, api functions by COMMENT ON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutopanda.resources import sql_dir

SCHEMA_FILES = sorted((sql_dir() / "schema").glob("*.sql"))
_CREATE = re.compile(r"^CREATE OR REPLACE FUNCTION (app|api)\.(\w+)\(", re.MULTILINE)


def _header(text: str, position: int) -> list[str]:
    """The comment lines right above a statement."""
    lines = text[:position].splitlines()
    header: list[str] = []
    for line in reversed(lines):
        if not line.startswith("--"):
            break
        header.insert(0, line)
    return header


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda path: path.name)
def test_functions_are_described_once(path: Path) -> None:
    text = path.read_text("utf-8")
    for match in _CREATE.finditer(text):
        schema, name = match.groups()
        header = _header(text, match.start())
        if schema == "app":
            assert header, f"app.{name} needs a header comment"
            assert header[0].startswith(f"-- app.{name}:"), f"app.{name}: header names another"
        else:
            assert not header, f"api.{name} is described by its COMMENT ON, not a header"
            assert f"COMMENT ON FUNCTION api.{name}(" in text, f"api.{name} has no COMMENT ON"
