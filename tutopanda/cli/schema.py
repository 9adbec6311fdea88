"""`tutopanda schema`: print the JSON Schema of a lecture."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tutopanda.settings import Settings


def register(commands: Any) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of a lecture")
    schema.set_defaults(handler=_print_schema)


def _print_schema(_settings: Settings, _args: argparse.Namespace) -> int:
    from tutopanda.models.json_schema import lecture_json_schema_text  # noqa: PLC0415 (see db.py)

    sys.stdout.write(lecture_json_schema_text())
    return 0
