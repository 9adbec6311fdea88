"""`tutopanda db …`: migrate, lint, prune drafts, and the embedded server start / stop / status."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from typing import Any

import psycopg

from tutopanda.cli.errors import EXIT_FAILURE
from tutopanda.db import embedded
from tutopanda.db.connection import admin_url, direct_url
from tutopanda.settings import Settings

# The actions that need more than the embedded server import it when they run (PLC0415 below):
# every `tutopanda` command loads this module (tutopanda/cli/audit.py).


def register(commands: Any) -> None:
    db = commands.add_parser(
        "db", help="database: migrate, lint, prune drafts, embedded server start/stop/status"
    )
    actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")

    run = actions.add_parser("migrate", help="apply migrations, the queue schema and sql/")
    run.set_defaults(handler=_migrate, direct_database=True)  # its URL: direct_url

    lint = actions.add_parser("lint", help="check the migrated schema against the catalog lints")
    lint.set_defaults(handler=_lint)

    start = actions.add_parser("start", help="start the embedded server (no DATABASE_URL)")
    start.set_defaults(handler=_start)

    stop = actions.add_parser("stop", help="stop the embedded server")
    stop.set_defaults(handler=_stop)

    status = actions.add_parser("status", help="say which database is used and if it runs")
    status.set_defaults(handler=_status)

    prune = actions.add_parser(
        "prune-drafts", help="delete conflict drafts resolved (applied, merged, discarded) before"
    )
    prune.add_argument(
        "--resolved-before",
        required=True,
        type=_timestamp,
        help="an ISO date or time, e.g. 2026-01-01 or 2026-01-01T12:00:00+00:00 (UTC if no zone)",
    )
    prune.set_defaults(handler=_prune_drafts)


def _answering(url: str, settings: Settings) -> str:
    """Which server of `url` answered (the first of its hosts libpq could use), and its role."""
    timeout = max(1, round(settings.connect_timeout_seconds))
    with psycopg.connect(url, autocommit=True, connect_timeout=timeout) as conn:
        standby = conn.info.parameter_status("in_hot_standby") == "on"
        version = conn.info.parameter_status("server_version") or "?"
        return (
            f"PostgreSQL {version} answering at {conn.info.host}:{conn.info.port} "
            f"({'a standby' if standby else 'the primary'})"
        )


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date or time: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _prune_drafts(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.store import drafts  # noqa: PLC0415

    async def prune() -> int:
        async with await psycopg.AsyncConnection.connect(
            admin_url(settings), autocommit=True
        ) as conn:
            return await drafts.prune_drafts(conn, args.resolved_before)

    pruned = asyncio.run(prune())
    print(f"conflict drafts pruned: {pruned} (unresolved drafts are kept)")
    return 0


def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from tutopanda.db.migrate import migrate  # noqa: PLC0415

    report = migrate(  # advisory locks and DDL: a session of its own, not a pooled one
        direct_url(settings), lock_timeout_seconds=settings.migrate_lock_timeout_seconds
    )
    applied = ", ".join(report.applied_migrations) or "none pending"
    print(f"migrations: {applied}")
    if report.procrastinate_before == report.procrastinate_after:
        print(f"procrastinate schema: up to date ({report.procrastinate_after})")
    else:
        print(
            f"procrastinate schema: {report.procrastinate_before or 'none'}"
            f" -> {report.procrastinate_after}"
        )
    print(f"sql objects: {len(report.sql_files)} files applied")
    return 0


def _lint(settings: Settings, _args: argparse.Namespace) -> int:
    from tutopanda.db.lints import run_lints  # noqa: PLC0415

    with psycopg.connect(admin_url(settings), autocommit=True) as conn:
        findings = run_lints(conn)
    failed = 0
    for lint, offenders in findings.items():
        for offender in offenders:
            print(f"{lint}: {offender}")
        failed += bool(offenders)
    print(f"lints: {len(findings) - failed} of {len(findings)} pass")
    return EXIT_FAILURE if failed else 0


def _start(settings: Settings, _args: argparse.Namespace) -> int:
    if not settings.uses_embedded_database:
        print("DATABASE_URL is set: the embedded server is not used")
        return 0
    url = embedded.start(settings.embedded_data_dir)
    print(f"embedded PostgreSQL running in {settings.embedded_data_dir}")
    print(url)
    return 0


def _stop(settings: Settings, _args: argparse.Namespace) -> int:
    if embedded.stop(settings.embedded_data_dir):
        print(f"embedded PostgreSQL in {settings.embedded_data_dir} stopped")
    else:
        print(f"embedded PostgreSQL in {settings.embedded_data_dir} was not running")
    return 0


def _status(settings: Settings, _args: argparse.Namespace) -> int:
    if settings.database_url is not None:
        print(f"database: DATABASE_URL, {_answering(settings.database_url, settings)}")
        return 0
    state = "running" if embedded.is_running(settings.embedded_data_dir) else "stopped"
    print(f"database: embedded PostgreSQL in {settings.embedded_data_dir} ({state})")
    return 0
