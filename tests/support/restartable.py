"""A PostgreSQL of the test's own (embedded, migrated) that the test may stop and start again."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.own_server import SERVERS_DIR
from tutopanda.db import embedded
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.db.migrate import migrate

_counter = itertools.count(1)


@dataclass(frozen=True)
class RestartableDatabase:
    """The database URL of an embedded server in `data_dir`, and how to restart it."""

    url: str
    data_dir: Path

    @property
    def runtime_conninfo(self) -> str:
        return role_conninfo(self.url, RUNTIME_ROLE, application_name="tutopanda-tests")

    def stop(self) -> None:
        embedded.stop(self.data_dir)

    def start(self) -> None:
        assert embedded.start(self.data_dir) == self.url


@contextmanager
def restartable_database(_tmp_path: Path) -> Iterator[RestartableDatabase]:
    """Start an embedded server of this test's own, migrate it; stop and delete it at the end.

    Not under pytest's tmp_path (see SERVERS_DIR): the server, running as another user, must
    reach its folder again when it restarts.
    """
    home = SERVERS_DIR / f"restartable-{os.getpid()}-{next(_counter)}"
    shutil.rmtree(home, ignore_errors=True)
    data_dir = home / "pgdata"
    url = embedded.start(data_dir)
    try:
        migrate(url)
        yield RestartableDatabase(url, data_dir)
    finally:
        embedded.stop(data_dir)
        shutil.rmtree(home, ignore_errors=True)
