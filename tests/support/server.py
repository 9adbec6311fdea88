"""Chooses the PostgreSQL server for the test session.

In order: the server named by TUTOPANDA_TEST_DATABASE_URL; the local server on 127.0.0.1:5432
when one answers; else an embedded server the session starts itself (and stops at the end) —
one per pytest-xdist worker, each in a folder of its own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from tutopanda.db import embedded
from tutopanda.db.urls import postgres_url

TEST_URL_VARIABLE = "TUTOPANDA_TEST_DATABASE_URL"
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
_EMBEDDED_TESTS_HOME = Path(__file__).resolve().parents[2] / ".tutopanda"


@dataclass(frozen=True)
class TestServer:
    """Where the test databases live; `user` must be allowed to create databases and roles."""

    __test__ = False  # not a test class, despite the name

    host: str
    port: int
    user: str
    password: str | None
    maintenance_dbname: str
    origin: str  # "environment", "local" or "embedded"

    def url(self, dbname: str) -> str:
        return postgres_url(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname=dbname
        )


def _from_url(url: str, origin: str) -> TestServer:
    """The server of `url` (any form libpq takes, naming one server: tests make databases on it)."""
    params = conninfo_to_dict(url)
    host, port = str(params.get("host") or "127.0.0.1"), str(params.get("port") or 5432)
    if "," in host or "," in port:
        raise ValueError(f"{TEST_URL_VARIABLE} must name one server, not several hosts")
    return TestServer(
        host=host,
        port=int(port),
        user=str(params.get("user") or "postgres"),
        password=str(params["password"]) if params.get("password") else None,
        maintenance_dbname=str(params.get("dbname") or "postgres"),
        origin=origin,
    )


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def embedded_test_dir() -> Path:
    """The data folder of this session's embedded server (this xdist worker's, if one)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return _EMBEDDED_TESTS_HOME / ("test-pgdata" if worker is None else f"test-pgdata-{worker}")


def choose_server() -> tuple[TestServer, bool]:
    """The server to use, and whether this session started it (and so must stop it)."""
    configured = os.environ.get(TEST_URL_VARIABLE, "")
    if configured:
        return _from_url(configured, "environment"), False
    if _answers(LOCAL_URL):
        return _from_url(LOCAL_URL, "local"), False
    url = embedded.start(embedded_test_dir())
    server = _from_url(url, "embedded")
    return TestServer(
        host=server.host,
        port=server.port,
        user=server.user,
        password=None,
        maintenance_dbname="postgres",
        origin="embedded",
    ), True
