"""An embedded PostgreSQL of a test's own, which the test may stop, start and restart.

The session's shared server must never be stopped; outage tests start one of these instead.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from tutopanda.db import embedded
from tutopanda.db.migrate import migrate

# Not under pytest's tmp_path: every pytest run on the machine makes /tmp/pytest-of-<user>
# private again (0700), and the server runs as another user when the tests run as root.
SERVERS_DIR = Path(__file__).resolve().parents[2] / ".tutopanda" / "own-servers"
_counter = itertools.count(1)


class OwnServer:
    """A migrated database `tutopanda` on a server in `home`/pgdata that only this test uses."""

    def __init__(self, home: Path):
        self.data_dir = home / "pgdata"
        # `tutopanda db start` in a process of its own: the wheel keeps a handle per folder in
        # the process that started it, and logs from an exit hook after pytest closed its logs.
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        started = subprocess.run(
            [sys.executable, "-m", "tutopanda", "db", "start"],
            env={**env, "TUTOPANDA_HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert started.returncode == 0, started.stderr
        self.url = started.stdout.strip().splitlines()[-1]
        self._socket_dir = str(conninfo_to_dict(self.url)["host"])

    def stop(self) -> None:
        """A fast shutdown, as an operator's restart does: every connection is terminated."""
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        """Start it again with the settings of its first start (same socket folder)."""
        self._pg_ctl(
            "-o", '-h ""', "-o", f"-k {self._socket_dir}", "-l", str(self.data_dir / "log"), "start"
        )

    def _pg_ctl(self, *args: str) -> None:
        pg_ctl(self.data_dir, *args)

    def restart(self) -> None:
        self.stop()
        self.start()


def run_as_owner(folder: Path, program: str, *args: str) -> None:
    """Run one of the wheel's programs (`pg_ctl`, `pg_basebackup`, …) as the user owning
    `folder`: as root, the server's user (PostgreSQL refuses root); its last argument names it."""
    user = folder.owner() if os.geteuid() == 0 else None
    command = [str(embedded.bin_dir() / program), *args]
    done = subprocess.run(
        command, user=user, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, f"{program} {args[-1]}: {done.stdout}{done.stderr}"


def pg_ctl(data_dir: Path, *args: str) -> None:
    """`pg_ctl -D data_dir -w ARGS` as the server's user; fails the test when it fails."""
    run_as_owner(data_dir, "pg_ctl", "-D", str(data_dir), "-w", *args)


@contextlib.contextmanager
def own_server() -> Iterator[OwnServer]:
    """Start a server of its own, migrate its database; stop and delete it when the block ends."""
    home = SERVERS_DIR / f"{os.getpid()}-{next(_counter)}"
    shutil.rmtree(home, ignore_errors=True)
    server = OwnServer(home)
    try:
        migrate(server.url)
        yield server
    finally:
        if embedded.is_running(server.data_dir):
            server.stop()
        shutil.rmtree(home, ignore_errors=True)
