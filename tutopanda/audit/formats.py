"""Audit results as an aligned table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the command line loads this module for FORMATS, before any query runs
    from tutopanda.audit.runner import AuditResult

FORMATS = ("table", "csv", "json")
MAX_CELL = 60


def _plain(value: Any) -> Any:  # noqa: PLR0911 (one branch per type)
    """A JSON-friendly form of a database value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _text(value: Any) -> str:
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, dict | list):
        return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
    return str(plain)


def render(result: AuditResult, output_format: str) -> str:
    """The result in `output_format` (table, csv or json), ending with a newline."""
    if output_format == "json":
        records = [dict(zip(result.columns, map(_plain, row), strict=True)) for row in result.rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_text(value) for value in row] for row in result.rows)
        return buffer.getvalue()
    return _table(result)


def _table(result: AuditResult) -> str:
    cells = [[_cell(value) for value in row] for row in result.rows]
    widths = [
        max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(result.columns)
    ]
    lines = [
        " | ".join(name.ljust(width) for name, width in zip(result.columns, widths, strict=True)),
        "-+-".join("-" * width for width in widths),
    ]
    lines += [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in cells
    ]
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    text = _text(value).replace("\n", " ")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"
