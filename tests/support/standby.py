"""A primary and its synchronous streaming standby (embedded PostgreSQL), to fail over in tests.

The primary is an own server (tests/support/own_server.py), migrated on its single-host URL; the
standby is its `pg_basebackup -R -X stream` copy, started on its own socket folder and port.
The primary then waits for the standby on every commit (`synchronous_standby_names = '*'`), so
an acknowledged commit is on both. The service connects to both through one multi-host URL
(`host=/dir1,/dir2 port=p1,p2 target_session_attrs=read-write`): libpq picks the writable one.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psycopg
from psycopg.conninfo import conninfo_to_dict

from tests.support.own_server import SERVERS_DIR, OwnServer, own_server, pg_ctl, run_as_owner
from tests.support.sql import test_query
from tutopanda.db import embedded
from tutopanda.db.urls import postgres_url

_counter = itertools.count(1)
SOCKET_PATH_MAX = 107  # sun_path: a longer socket path cannot be bound


class ReplicatedPair:
    """A running primary streaming to a running synchronous standby; kill one, promote the other."""

    def __init__(self, primary: OwnServer, standby_dir: Path):
        params = conninfo_to_dict(primary.url)
        self.primary = primary
        self.standby_dir = standby_dir
        self.user = str(params.get("user") or "postgres")
        self.primary_socket = str(params["host"])
        self.primary_port = int(str(params.get("port") or 5432))
        self.standby_port = self.primary_port + 1
        self._killed: list[int] = []  # the primary's postmaster and its children, once killed

    @property
    def standby_url(self) -> str:
        """The standby alone (read-only until promoted)."""
        return postgres_url(
            host=str(self.standby_dir),
            port=self.standby_port,
            user=self.user,
            dbname=embedded.DATABASE_NAME,
        )

    @property
    def url(self) -> str:
        """Both servers, the writable one chosen at each connection (libpq's multi-host URL)."""
        query = urlencode(
            {
                "host": f"{self.primary_socket},{self.standby_dir}",
                "port": f"{self.primary_port},{self.standby_port}",
                "target_session_attrs": "read-write",
            },
            safe="/,",
        )
        return f"postgresql://{self.user}@/{embedded.DATABASE_NAME}?{query}"

    def kill_primary(self) -> None:
        """SIGKILL the primary's postmaster, as a crash of its machine would end it: its
        sessions die as they notice (no shutdown checkpoint, nothing more sent to the standby)."""
        pid = int((self.primary.data_dir / "postmaster.pid").read_text().split()[0])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        self._killed = [pid, *(int(child) for child in children)]
        os.kill(pid, signal.SIGKILL)

    def promote(self) -> None:
        """`pg_ctl promote`, waiting until the standby accepts writes."""
        pg_ctl(self.standby_dir, "promote")

    def start_standby(self) -> None:
        """Copy the primary, start the copy streaming from it, and make the primary wait for it."""
        owner = self.primary.data_dir.stat()
        self.standby_dir.mkdir(parents=True)
        os.chown(self.standby_dir, owner.st_uid, owner.st_gid)
        self.standby_dir.chmod(0o700)
        socket_file = self.standby_dir / f".s.PGSQL.{self.standby_port}"
        assert len(str(socket_file)) <= SOCKET_PATH_MAX, f"socket path too long: {socket_file}"
        run_as_owner(
            self.standby_dir,
            "pg_basebackup",
            *("-h", self.primary_socket, "-p", str(self.primary_port), "-U", self.user),
            *("--checkpoint", "fast", "-X", "stream", "-R"),  # -R: standby.signal, primary_conninfo
            *("-D", str(self.standby_dir)),
        )
        with (self.standby_dir / "postgresql.auto.conf").open("a", encoding="utf-8") as conf:
            # Promoted alone with the primary's '*', every commit would wait for a standby forever.
            conf.write("synchronous_standby_names = ''\n")
        pg_ctl(
            self.standby_dir,
            *("-o", '-h ""', "-o", f"-k {self.standby_dir}", "-o", f"-p {self.standby_port}"),
            *("-l", str(self.standby_dir / "standby.log"), "start"),
        )
        with psycopg.connect(self.primary.url, autocommit=True) as admin:
            admin.execute(test_query("wait_for_any_standby"))
            admin.execute(test_query("reload_configuration"))
            deadline = time.monotonic() + 30
            while admin.execute(test_query("synchronous_standbys")).fetchone() != (1,):
                assert time.monotonic() < deadline, "the standby never streamed synchronously"
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the standby (promoted or not); wait for the killed primary's sessions to end."""
        if embedded.is_running(self.standby_dir):
            pg_ctl(self.standby_dir, "-m", "immediate", "stop")
        if not self._killed:
            return
        deadline = time.monotonic() + 5
        while (alive := [pid for pid in self._killed if _alive(pid)]) and (
            time.monotonic() < deadline
        ):
            time.sleep(0.05)
        for pid in alive:  # they exit when they notice the postmaster's death; these did not
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        # A dead postmaster leaves its pid file: without it, nobody mistakes the pid for a server.
        (self.primary.data_dir / "postmaster.pid").unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """True while process `pid` runs (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@contextlib.contextmanager
def replicated_pair() -> Iterator[ReplicatedPair]:
    """A migrated primary with a synchronous standby; both stopped and deleted when the block
    ends, whatever happened to them."""
    with own_server() as primary:
        home = SERVERS_DIR / f"standby-{os.getpid()}-{next(_counter)}"
        shutil.rmtree(home, ignore_errors=True)
        pair = ReplicatedPair(primary, home / "pgdata")
        try:
            pair.start_standby()
            yield pair
        finally:
            pair.stop()
            shutil.rmtree(home, ignore_errors=True)
