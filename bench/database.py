"""The bench's own database: chosen like the tests' server, created, migrated, and dropped."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from pytest_postgresql.janitor import DatabaseJanitor

from bench.payloads import Payload
from bench.tools import BenchError
from tutopanda.db import embedded
from tutopanda.db.connection import OWNER_ROLE, RUNTIME_ROLE, role_conninfo
from tutopanda.db.migrate import migrate
from tutopanda.db.queries import load_queries, query
from tutopanda.db.urls import with_dbname
from tutopanda.quotas import Quotas

BENCH_DIR = Path(__file__).resolve().parent
QUERIES = load_queries(BENCH_DIR / "sql" / "queries")
URL_VARIABLE = "TUTOPANDA_BENCH_DATABASE_URL"
LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
EMBEDDED_DIR = BENCH_DIR.parent / ".tutopanda" / "bench-pgdata"
BENCH_USER = "bench"  # the user id that owns every bench lecture (and the HTTP token's `sub`)
# The bench user makes its lectures at once, each with a run nobody works: no quota applies.
NO_QUOTAS = Quotas(max_active_runs=2**31 - 1, max_projects_per_hour=2**31 - 1)


@dataclass(frozen=True)
class BenchDatabase:
    """Where the bench runs: the database URL (a superuser) and where the server came from."""

    url: str
    origin: str  # "environment", "local" or "embedded"
    maintenance_url: str = ""  # the server's maintenance database (to watch ours from outside)

    @property
    def runtime(self) -> str:
        """The API's and workers' role."""
        return role_conninfo(self.url, RUNTIME_ROLE, application_name="tutopanda-bench")

    @property
    def owner(self) -> str:
        """The owner of the tables: what a naive service (or a bare baseline) would connect as."""
        return role_conninfo(self.url, OWNER_ROLE, application_name="tutopanda-bench")

    def execute(self, name: str, params: dict[str, Any] | None = None) -> None:
        """Run one named bench query as the admin user (DDL between measurements)."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(QUERIES[name], params)

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until no other session runs a statement: a load generator that stopped may
        leave saves in flight (wrk abandons requests the server still completes), and the
        next measurement must start from the revisions they commit."""
        deadline = time.monotonic() + timeout
        with psycopg.connect(self.url, autocommit=True) as conn:
            while True:
                row = conn.execute(QUERIES["busy_backends"]).fetchone()
                if row is None or int(row[0]) == 0:
                    return
                if time.monotonic() > deadline:
                    raise BenchError(f"the database is still busy {timeout:g} s after a run")
                time.sleep(0.02)

    def settle_set(self, set_name: str, quiet: float = 0.2, timeout: float = 30.0) -> None:
        """Wait until the set's revisions stop moving for `quiet` seconds (requests a server
        still completes after wrk left), then until the database is idle."""
        deadline = time.monotonic() + timeout
        last = self.slots(set_name)
        while True:
            time.sleep(quiet)
            now = self.slots(set_name)
            if now == last:
                break
            if time.monotonic() > deadline:
                raise BenchError(f"lectures of {set_name} still change {timeout:g} s after a run")
            last = now
        self.settle(timeout)

    def slots(self, set_name: str) -> list[tuple[int, int]]:
        """(lecture id, current revision) of each client slot of a set, by slot."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            rows = conn.execute(QUERIES["slot_list"], {"set_name": set_name}).fetchall()
        return [(int(lecture), int(revision)) for _, lecture, revision in rows]

    def save_notifies(self, lecture: int, revision: int, sections: str) -> bool:
        """Save once through the product (runtime role) while listening on its channel."""
        with (
            psycopg.connect(self.url, autocommit=True) as listener,
            psycopg.connect(self.runtime, autocommit=True) as runtime,
        ):
            listener.execute(QUERIES["listen_product_events"])
            runtime.execute(
                query("lecture_save"),
                {
                    "user_id": BENCH_USER,
                    "lecture_id": lecture,
                    "base_revision": revision,
                    "sections": sections,
                    "merge": False,
                    "force": False,
                },
            )
            return any(True for _ in listener.notifies(timeout=1.0, stop_after=1))

    def create_slots(self, set_name: str, count: int, payload: Payload) -> None:
        """`count` lectures of the bench user, each saved once with version A (so they weigh
        `payload.size_kb`), registered as slots 0…count-1 of `set_name`."""
        with (
            psycopg.connect(self.runtime, autocommit=True) as runtime,
            psycopg.connect(self.url, autocommit=True) as admin,
        ):
            for slot in range(count):
                created = runtime.execute(
                    query("project_create"),
                    {
                        "user_id": BENCH_USER,
                        "prompt": f"Bench {set_name} {slot}",
                        "name": None,
                        "settings": "{}",
                        "workflow_kind": "bench",
                        "total_steps": 1,
                        **NO_QUOTAS.project_params(),
                    },
                ).fetchone()
                assert created is not None
                lecture = int(created[1])
                runtime.execute(
                    query("lecture_save"),
                    {
                        "user_id": BENCH_USER,
                        "lecture_id": lecture,
                        "base_revision": 0,
                        "sections": payload.a,
                        "merge": False,
                        "force": False,
                    },
                )
                admin.execute(
                    QUERIES["slot_insert"],
                    {
                        "set_name": set_name,
                        "slot": slot,
                        "lecture_id": lecture,
                        "payload_a": payload.a,
                        "payload_b": payload.b,
                    },
                )


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def _server_url() -> tuple[str, str, bool]:
    """(maintenance URL, origin, started here): the variable, the local server, or embedded."""
    configured = os.environ.get(URL_VARIABLE, "")
    if configured:
        return configured, "environment", False
    if _answers(LOCAL_URL):
        return LOCAL_URL, "local", False
    was_running = embedded.is_running(EMBEDDED_DIR)
    url = embedded.start(EMBEDDED_DIR)
    return url, "embedded", not was_running


def _janitor(server_url: str, dbname: str) -> DatabaseJanitor:
    params = conninfo_to_dict(server_url)
    return DatabaseJanitor(  # host and port as libpq has them: lists of several hosts too
        user=str(params.get("user") or "postgres"),
        host=str(params.get("host") or "127.0.0.1"),
        port=str(params.get("port") or 5432),
        password=str(params["password"]) if params.get("password") else None,
        dbname=dbname,
        maintenance_dbname=str(params.get("dbname") or "postgres"),
    )


@contextmanager
def bench_database() -> Iterator[BenchDatabase]:
    """A fresh database migrated by the project's migrate code, with the bench schema; dropped
    at the end (and an embedded server this run started is stopped)."""
    server_url, origin, started = _server_url()
    name = f"tutopanda_bench_{os.getpid()}"
    janitor = _janitor(server_url, name)
    try:
        with janitor:
            url = with_dbname(server_url, name)
            migrate(url)
            with psycopg.connect(url, autocommit=True) as conn:
                for path in sorted((BENCH_DIR / "sql" / "schema").glob("*.sql")):
                    # Files shipped with the bench, executed without parameters.
                    conn.execute(path.read_text("utf-8"))
            yield BenchDatabase(url=url, origin=origin, maintenance_url=server_url)
    finally:
        if started:
            embedded.stop(EMBEDDED_DIR)
