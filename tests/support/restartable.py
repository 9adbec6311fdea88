"""A PostgreSQL of the test's own (embedded, migrated) that the test may stop and start again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tutopanda.db import embedded
from tutopanda.db.connection import RUNTIME_ROLE, role_conninfo
from tutopanda.db.migrate import migrate


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
def restartable_database(tmp_path: Path) -> Iterator[RestartableDatabase]:
    """Start an embedded server under `tmp_path`, migrate it, stop it at the end."""
    data_dir = tmp_path / "restartable" / "pgdata"
    url = embedded.start(data_dir)
    try:
        migrate(url)
        yield RestartableDatabase(url, data_dir)
    finally:
        embedded.stop(data_dir)
