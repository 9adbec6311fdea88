"""One migrated template database per session; each test gets a database in the template's state.

A clone of the template costs PostgreSQL ~0.3 s of CPU (it copies and syncs every file of the
database), more than most tests take. So a session clones the template once, and after each test
puts that database back: other sessions on it are ended, its rows and sequences restored. A test
that changed more than rows (a function, a column, a grant, a setting: the schema fingerprint
differs from the template's) gets a new clone instead, so no test sees another's changes.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from pytest_postgresql.janitor import DatabaseJanitor

from tests.support.server import TestServer
from tests.support.sql import test_query
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


@dataclass(frozen=True)
class _CloneState:
    """What a fresh clone holds besides its tables' rows: its schema's fingerprint, the rows it
    was seeded with (by migrations) and where its sequences stand."""

    fingerprint: str
    tables: list[sql.Identifier]
    seeded: list[tuple[sql.Identifier, Any]]
    sequences: list[dict[str, Any]]

    @classmethod
    def read(cls, conn: psycopg.Connection[dict[str, Any]]) -> _CloneState:
        tables = [
            sql.Identifier(row["schema"], row["name"])
            for row in conn.execute(test_query("reset_tables"))
        ]
        seeded = []
        for table in tables:
            select = sql.SQL("SELECT coalesce(jsonb_agg(t), '[]') AS rows FROM {} AS t")
            rows = conn.execute(select.format(table)).fetchone()
            if rows and rows["rows"]:
                seeded.append((table, rows["rows"]))
        sequences = conn.execute(test_query("reset_sequences")).fetchall()
        return cls(_fingerprint(conn), tables, seeded, sequences)

    def restore(self, conn: psycopg.Connection[dict[str, Any]]) -> None:
        """Put the rows and sequences back (triggers off: history is append-only otherwise)."""
        with conn.transaction():
            conn.execute(test_query("reset_triggers_off"))
            delete = sql.SQL("DELETE FROM {}")
            conn.execute(sql.SQL("; ").join(delete.format(table) for table in self.tables))
            insert = sql.SQL(
                "INSERT INTO {table} OVERRIDING SYSTEM VALUE"
                " SELECT * FROM jsonb_populate_recordset(NULL::{table}, %s)"
            )
            for table, rows in self.seeded:
                conn.execute(insert.format(table=table), [Jsonb(rows)])
            conn.execute(
                test_query("reset_sequences_restore"), {"sequences": Jsonb(self.sequences)}
            )


def _fingerprint(conn: psycopg.Connection[dict[str, Any]]) -> str:
    row = conn.execute(test_query("reset_schema_fingerprint")).fetchone()
    assert row is not None
    return str(row["md5"])


class ReusedDatabase:
    """The session's test database: a clone of the template, put back after every test."""

    def __init__(self, server: TestServer, template: str) -> None:
        self._server = server
        self._template = template
        self._clone = ExitStack()
        self._database: TestDatabase | None = None
        self._state: _CloneState | None = None
        self.clones = 0

    def database(self) -> TestDatabase:
        """The database, in the template's state."""
        if self._database is None:
            self._database = self._clone.enter_context(
                cloned_database(self._server, self._template)
            )
            with self._connect() as conn:
                self._state = _CloneState.read(conn)
            self.clones += 1
        return self._database

    def reset(self) -> None:
        """Back to the template's state: rows restored, or a new clone if the schema changed."""
        if self._database is None or self._state is None:
            return
        try:
            with self._connect() as conn:
                conn.execute(test_query("reset_others_terminated"))
                if _fingerprint(conn) != self._state.fingerprint:
                    self.close()
                    return
                self._state.restore(conn)
        except psycopg.Error:
            self.close()

    def close(self) -> None:
        """Drop the clone (the next test gets a new one)."""
        self._database, self._state = None, None
        self._clone.close()

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        assert self._database is not None
        return psycopg.connect(self._database.admin_url, autocommit=True, row_factory=dict_row)
