"""The `tutopanda` command: one parser, one place that turns errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import psycopg

from tutopanda.audit.errors import CheckpointInvalid, HistoryNotIntact, QueryRefused
from tutopanda.cli import audit as audit_commands
from tutopanda.cli import db as db_commands
from tutopanda.cli import schema as schema_commands
from tutopanda.cli import serve as serve_commands
from tutopanda.cli.errors import EXIT_FAILURE, EXIT_USAGE, UsageError
from tutopanda.db.embedded import EmbeddedServerError
from tutopanda.db.migrate import MigrationError
from tutopanda.db.pooler import PrivilegedLogin
from tutopanda.db.startup import DatabaseUnreachable, url_variable
from tutopanda.environment import warn_unknown_variables
from tutopanda.logs import configure_logging
from tutopanda.processes import ListenError
from tutopanda.settings import Settings, SettingsError, load_settings


class _OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line on stderr (`--help` shows the usage), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="tutopanda",
        description="Tutopanda lecture store: database, API server, workers and audit tools.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_OneLineParser
    )
    db_commands.register(commands)
    schema_commands.register(commands)
    serve_commands.register(commands)
    audit_commands.register(commands)
    return parser


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or ["no details"])[0]


# The one mapping from an exception to (exit code, message) for the command line; first match wins.
_ERROR_EXITS: list[tuple[type[BaseException], int, str]] = [
    (SettingsError, EXIT_USAGE, "invalid setting {}"),
    (UsageError, EXIT_USAGE, "{}"),
    (QueryRefused, EXIT_USAGE, "refused: {}"),
    (CheckpointInvalid, EXIT_USAGE, "checkpoint refused: {}"),
    (HistoryNotIntact, EXIT_FAILURE, "{}"),
    (MigrationError, EXIT_FAILURE, "migrate failed: {}"),
    (EmbeddedServerError, EXIT_FAILURE, "{}"),
    (ListenError, EXIT_FAILURE, "{}"),
    (PrivilegedLogin, EXIT_FAILURE, "{}"),
    (DatabaseUnreachable, EXIT_FAILURE, "{}"),
    (psycopg.OperationalError, EXIT_FAILURE, "cannot reach the database: {}"),
    (psycopg.Error, EXIT_FAILURE, "database error: {}"),
]


def _error_exit(
    error: BaseException, settings: Settings | None, args: argparse.Namespace
) -> tuple[int, str] | None:
    if settings is not None and type(error) is psycopg.OperationalError:  # not reached, or lost
        direct = getattr(args, "direct_database", False)
        error = DatabaseUnreachable(url_variable(settings, direct=direct), error)
    for kind, code, template in _ERROR_EXITS:
        if isinstance(error, kind):
            return code, template.format(_first_line(error))
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tutopanda` console script."""
    args = build_parser().parse_args(argv)
    settings: Settings | None = None
    try:
        settings = load_settings()
        configure_logging(settings.log_level)
        warn_unknown_variables(os.environ)
        code: int = args.handler(settings, args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        mapped = _error_exit(error, settings, args)
        if mapped is None:
            raise
        code, message = mapped
        print(f"tutopanda: {message}", file=sys.stderr)
    return code
