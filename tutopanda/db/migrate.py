"""`tutopanda db migrate`: yoyo migrations, the Procrastinate schema, then every file of sql/schema.

All three run under one advisory lock, so two processes migrating the same database take turns,
and a second run finds nothing to do but re-apply the re-creatable objects of sql/schema.
A run that cannot get the lock in time fails, naming the sessions that hold it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from procrastinate.schema import SchemaManager
from psycopg.conninfo import conninfo_to_dict
from yoyo import read_migrations
from yoyo.backends.core.postgresql import PostgresqlPsycopgBackend
from yoyo.connections import DatabaseURI
from yoyo.migrations import default_migration_table

from tutopanda.db.queries import query
from tutopanda.resources import migrations_dir, sql_dir

PROCRASTINATE_COMPONENT = "procrastinate"
MIGRATE_LOCK = "tutopanda:migrate"  # the advisory lock's name (hashed to its key)
DEFAULT_LOCK_TIMEOUT_SECONDS = 60.0
_PROCRASTINATE_MIGRATION = re.compile(r"^\d{2}\.\d{2}\.\d{2}_\d{2}_.+\.sql$")
YOYO_SCHEME = "postgresql+psycopg"  # what yoyo calls its psycopg 3 backend
_CONNINFO = "conninfo"  # the key of our connection string in the DatabaseURI's args


class MigrationError(RuntimeError):
    """A migration step failed; the message names the step and the file."""


@dataclass
class MigrationReport:
    """What one migrate run did."""

    applied_migrations: list[str] = field(default_factory=list)
    procrastinate_before: str | None = None
    procrastinate_after: str | None = None
    sql_files: list[str] = field(default_factory=list)


def migrate(
    url: str,
    *,
    target: str | None = None,
    lock_timeout_seconds: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
) -> MigrationReport:
    """Bring the database at `url` to the current schema; safe to repeat and to run concurrently.

    `target` stops the yoyo migrations at that id and skips the later steps (used by tests that
    build a database "as it was" at an older migration). Waiting longer than
    `lock_timeout_seconds` for another run (or any holder of the lock) raises MigrationError.
    """
    report = MigrationReport()
    with (
        psycopg.connect(url, autocommit=True, application_name="tutopanda-migrate") as lock_conn,
        _advisory_lock(lock_conn, lock_timeout_seconds),
    ):
        report.applied_migrations = apply_yoyo_migrations(url, target=target)
        if target is not None:
            return report
        with psycopg.connect(url) as conn:
            before, after = apply_procrastinate_schema(conn)
            report.procrastinate_before, report.procrastinate_after = before, after
            report.sql_files = apply_sql_objects(conn)
    return report


@contextmanager
def _advisory_lock(
    conn: psycopg.Connection[tuple[object, ...]], timeout_seconds: float
) -> Iterator[None]:
    milliseconds = max(1, round(timeout_seconds * 1000))
    conn.execute(query("migrate_lock_timeout"), {"milliseconds": milliseconds})
    try:
        conn.execute(query("migrate_lock"), {"lock": MIGRATE_LOCK})
    except psycopg.errors.LockNotAvailable:
        raise MigrationError(_lock_held(conn, timeout_seconds)) from None
    try:
        yield
    finally:
        if not conn.closed:
            conn.execute(query("migrate_unlock"), {"lock": MIGRATE_LOCK})


def _lock_held(conn: psycopg.Connection[tuple[object, ...]], timeout_seconds: float) -> str:
    """One line naming the sessions that held the migrate lock for longer than we waited."""
    holders = conn.execute(query("migrate_lock_holders"), {"lock": MIGRATE_LOCK}).fetchall()
    named = "; ".join(
        f"pid {pid} (user {user}, application {application or '-'}, connected at {since})"
        for pid, user, application, since in holders
    )
    return (
        f"the migrate lock is held by another session after {timeout_seconds:g} s "
        f"(TUTOPANDA_MIGRATE_LOCK_TIMEOUT): {named or 'a session that has since let go'}; "
        "end it with pg_terminate_backend(pid) if it is stuck, then migrate again"
    )


class ConninfoBackend(PostgresqlPsycopgBackend):  # type: ignore[misc]  # yoyo is untyped
    """yoyo's psycopg 3 backend, connected by libpq from our connection string as it is.

    yoyo's own `get_backend(url)` splits the URL itself (urllib): a URL with several hosts
    fails there, and a key=value string is no URL at all. Here the string rides in the
    `DatabaseURI` yoyo keeps (and copies the backend with), and `connect` hands it to psycopg.
    """

    def connect(self, dburi: DatabaseURI) -> psycopg.Connection[tuple[Any, ...]]:
        # Autocommit, as yoyo's backend connects: it sends BEGIN and COMMIT itself.
        conninfo = str(dburi.args[_CONNINFO])
        return psycopg.connect(conninfo, autocommit=True, application_name="tutopanda-migrate")


def yoyo_backend(conninfo: str) -> ConninfoBackend:
    """A yoyo backend on `conninfo` (any form libpq takes), as `yoyo.get_backend` makes one."""
    dbname = conninfo_to_dict(conninfo).get("dbname")
    uri = DatabaseURI(YOYO_SCHEME, None, None, None, None, dbname, {_CONNINFO: conninfo})
    backend = ConninfoBackend(uri, default_migration_table)
    try:
        backend.init_database()
    except BaseException:
        backend.connection.close()
        raise
    return backend


def apply_yoyo_migrations(url: str, *, target: str | None = None) -> list[str]:
    """Apply pending migrations of migrations/ (up to `target`); return the ids applied."""
    backend = yoyo_backend(url)
    try:
        # The folder is a package (its __init__.py lets the build backend map it): not a migration.
        migrations = read_migrations(str(migrations_dir())).filter(lambda m: m.id != "__init__")
        with backend.lock():
            pending = backend.to_apply(migrations)
            if target is not None:
                ids = [m.id for m in migrations]
                if target not in ids:
                    raise MigrationError(f"no migration {target!r} in migrations/")
                keep = set(ids[: ids.index(target) + 1])
                pending = pending.filter(lambda m: m.id in keep)
            applied = [m.id for m in pending]
            backend.apply_migrations(pending)
        return applied
    except MigrationError:
        raise
    except Exception as error:
        raise MigrationError(f"migrations/: {error}") from error
    finally:
        backend.connection.close()


def procrastinate_migrations() -> list[Path]:
    """Procrastinate's own versioned migrations, oldest first."""
    directory = Path(SchemaManager.get_migrations_path())
    return sorted(p for p in directory.iterdir() if _PROCRASTINATE_MIGRATION.match(p.name))


def pending_procrastinate_migrations(installed: str, available: list[Path]) -> list[Path]:
    """The migrations newer than the installed level, oldest first."""
    return [path for path in available if path.stem > installed]


def apply_procrastinate_schema(
    conn: psycopg.Connection[tuple[object, ...]],
) -> tuple[str | None, str]:
    """Install the queue schema in `procrastinate`, or upgrade it with the migrations it lacks.

    The installed level is the name of the newest Procrastinate migration it includes.
    """
    migrations = procrastinate_migrations()
    latest = migrations[-1].stem
    row = conn.execute(query("component_version"), {"name": PROCRASTINATE_COMPONENT}).fetchone()
    installed = None if row is None else str(row[0])
    if installed == latest:
        conn.commit()
        return installed, latest
    with conn.transaction():
        conn.execute(query("procrastinate_search_path"))
        if installed is None:
            _execute_file(conn, SchemaManager.get_schema(), "procrastinate/sql/schema.sql")
        else:
            for path in pending_procrastinate_migrations(installed, migrations):
                _execute_file(conn, path.read_text("utf-8"), f"procrastinate {path.name}")
        conn.execute(
            query("component_version_set"), {"name": PROCRASTINATE_COMPONENT, "version": latest}
        )
    return installed, latest


def apply_sql_objects(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    """Re-apply every file of sql/schema in name order, in one transaction."""
    files = sorted((sql_dir() / "schema").glob("*.sql"))
    with conn.transaction():
        for path in files:
            _execute_file(conn, path.read_text("utf-8"), f"sql/schema/{path.name}")
    return [path.name for path in files]


def _execute_file(conn: psycopg.Connection[tuple[object, ...]], text: str, origin: str) -> None:
    try:
        # Files shipped with the code (or with Procrastinate), executed without parameters.
        conn.execute(text)
    except psycopg.Error as error:
        raise MigrationError(f"{origin}: {error}".strip()) from error
