"""A real PgBouncer in transaction mode in front of the test server (Debian's package)."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from tests.support.processes import free_port
from tests.support.server import TestServer
from tutopanda.db.urls import postgres_url

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
POOLED_LOGIN = "tutopanda_pooled_test"  # created by tests/sql `pooled_login_create`


def pgbouncer_or_skip() -> str:
    """The pgbouncer binary (installed by `make install`), or skip with the reason."""
    if not Path(PGBOUNCER).exists():
        pytest.skip("pgbouncer is not installed (`make install` installs Debian's package)")
    return PGBOUNCER


@contextmanager
def pgbouncer(server: TestServer, folder: Path, users: list[str]) -> Iterator[int]:
    """PgBouncer on a free port, transaction mode, for `users` (trust, like the test server)."""
    binary = pgbouncer_or_skip()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    port = free_port()
    (folder / "users.txt").write_text("".join(f'"{user}" ""\n' for user in users))
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"* = host={server.host} port={server.port}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder / 'users.txt'}\n"
        "pool_mode = transaction\nmax_client_conn = 500\ndefault_pool_size = 20\n"
    )
    for path in folder.iterdir():
        path.chmod(0o644)
    # PgBouncer refuses to run as root: -u drops to an unprivileged user, the one that owns the
    # server's socket directory when it listens on a Unix socket (the embedded server's lives in
    # its data directory, which no other user may enter).
    drop_root = ["-u", _unprivileged_user(server)] if os.geteuid() == 0 else []
    command = [binary, *drop_root, str(folder / "pgbouncer.ini")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_until_listening(server, port, users[0])
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


def _wait_until_listening(server: TestServer, port: int, user: str) -> None:
    url = postgres_url(host="127.0.0.1", port=port, user=user, dbname=server.maintenance_dbname)
    deadline = time.monotonic() + 10
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2, prepare_threshold=None):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _unprivileged_user(server: TestServer) -> str:
    """Who PgBouncer runs as under root: the socket directory's owner, else nobody."""
    if server.host.startswith("/"):
        owner = pwd.getpwuid(os.stat(server.host).st_uid).pw_name
        if owner != "root":
            return owner
    return "nobody"
