"""One migrated template database per session, cloned for every test (pytest-postgresql)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pytest_postgresql.janitor import DatabaseJanitor

from tests.support.server import TestServer
from tutopanda.db.connection import AUDITOR_ROLE, RUNTIME_ROLE, role_conninfo
from tutopanda.db.migrate import migrate

_counter = itertools.count(1)


@dataclass(frozen=True)
class TestDatabase:
    """A throw-away database: the admin URL and the connection strings of our roles."""

    __test__ = False

    name: str
    admin_url: str

    @property
    def runtime_conninfo(self) -> str:
        return role_conninfo(self.admin_url, RUNTIME_ROLE, application_name="tutopanda-tests")

    @property
    def auditor_conninfo(self) -> str:
        return role_conninfo(self.admin_url, AUDITOR_ROLE, search_path="audit")


def _janitor(
    server: TestServer, dbname: str, *, as_template: bool = False, template: str | None = None
) -> DatabaseJanitor:
    return DatabaseJanitor(
        user=server.user,
        host=server.host,
        port=server.port,
        password=server.password,
        dbname=dbname,
        maintenance_dbname=server.maintenance_dbname,
        as_template=as_template,
        template_dbname=template,
    )


@contextmanager
def template_database(server: TestServer) -> Iterator[str]:
    """Build the session's template with `migrate`, the same code `tutopanda db migrate` runs."""
    name = f"tutopanda_tmpl_{os.getpid()}"
    janitor = _janitor(server, name, as_template=True)
    janitor.drop()
    with janitor:
        janitor.load(lambda **_: migrate(server.url(name)))
        yield name


@contextmanager
def cloned_database(server: TestServer, template: str) -> Iterator[TestDatabase]:
    """A fresh copy of the template for one test, dropped afterwards."""
    name = f"tutopanda_test_{os.getpid()}_{next(_counter)}"
    with _janitor(server, name, template=template):
        yield TestDatabase(name=name, admin_url=server.url(name))


@contextmanager
def empty_database(server: TestServer) -> Iterator[TestDatabase]:
    """A database with nothing in it, for tests of the migrations themselves."""
    name = f"tutopanda_empty_{os.getpid()}_{next(_counter)}"
    with _janitor(server, name):
        yield TestDatabase(name=name, admin_url=server.url(name))
