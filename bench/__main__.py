"""`make bench`: the revision engine's cost, as ratios against baselines measured in this run.

Each pair runs the same number of single-statement transactions on one throwaway database:
the engine's function (as the runtime role) and the least the same job could cost (a bare
UPDATE or SELECT as the owner, with no check, history, hash or notification). The ratio says
what the guarantees cost; absolute numbers depend on the machine and are printed for context.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb
from pytest_postgresql.janitor import DatabaseJanitor

from tutopanda.db.connection import RUNTIME_ROLE, admin_url, role_conninfo
from tutopanda.db.migrate import migrate
from tutopanda.db.queries import load_queries, query
from tutopanda.settings import load_settings

QUERIES = load_queries(Path(__file__).resolve().parent / "sql")
ROUNDS = int(os.environ.get("TUTOPANDA_BENCH_ROUNDS", "1000"))


def timed(rounds: int, work: Callable[[int], None]) -> float:
    """Operations per second of `work(i)` over `rounds` calls (after a short warm-up)."""
    for i in range(min(50, rounds)):
        work(i)
    started = time.perf_counter()
    for i in range(rounds):
        work(i)
    return rounds / (time.perf_counter() - started)


def new_lecture(runtime: psycopg.Connection[Any], prompt: str) -> int:
    """A lecture of user `bench`, created through the api; returns its id."""
    created = runtime.execute(
        query("project_create"),
        {
            "user_id": "bench",
            "prompt": prompt,
            "name": None,
            "settings": Jsonb({}),
            "workflow_kind": "bench",
            "total_steps": 1,
        },
    ).fetchone()
    assert created is not None
    return int(created[1])


def run(url: str) -> list[dict[str, Any]]:
    with (
        psycopg.connect(url, autocommit=True) as owner,
        psycopg.connect(role_conninfo(url, RUNTIME_ROLE), autocommit=True) as runtime,
    ):
        engine_lecture = new_lecture(runtime, "Benchmarks")
        baseline_lecture = new_lecture(runtime, "Baseline")
        revision = [0]

        def engine_save(i: int) -> None:
            row = runtime.execute(
                QUERIES["engine_save"],
                {
                    "user_id": "bench",
                    "lecture_id": engine_lecture,
                    "base_revision": revision[0],
                    "sections": Jsonb({"title": f"Title {i}"}),
                },
            ).fetchone()
            assert row is not None
            assert row[0] == "saved"
            revision[0] = row[1]

        def stale_save(i: int) -> None:
            row = runtime.execute(
                QUERIES["engine_save"],
                {
                    "user_id": "bench",
                    "lecture_id": engine_lecture,
                    "base_revision": 0,
                    "sections": Jsonb({"title": f"Stale {i}"}),
                },
            ).fetchone()
            assert row is not None
            assert row[0] == "conflict"

        def bare_update(i: int) -> None:
            owner.execute(
                QUERIES["baseline_update"], {"title": f"Title {i}", "lecture_id": baseline_lecture}
            )

        def engine_get(_: int) -> None:
            runtime.execute(
                QUERIES["engine_get"], {"user_id": "bench", "lecture_id": engine_lecture}
            ).fetchone()

        def bare_select(_: int) -> None:
            owner.execute(QUERIES["baseline_select"], {"lecture_id": baseline_lecture}).fetchone()

        pairs: list[tuple[str, Callable[[int], None], Callable[[int], None]]] = [
            ("save (new revision + history + hash + notify)", engine_save, bare_update),
            ("stale save (conflict with snapshot, no write)", stale_save, bare_update),
            ("read (ownership-checked)", engine_get, bare_select),
        ]
        results = []
        for name, engine, baseline in pairs:
            base_rate = timed(ROUNDS, baseline)
            engine_rate = timed(ROUNDS, engine)
            results.append(
                {
                    "operation": name,
                    "baseline_ops_per_s": round(base_rate),
                    "engine_ops_per_s": round(engine_rate),
                    "cost_ratio": round(base_rate / engine_rate, 2),
                }
            )
        return results


def main() -> int:
    settings = load_settings()
    server_url = admin_url(settings)
    params = psycopg.conninfo.conninfo_to_dict(server_url)
    name = f"tutopanda_bench_{os.getpid()}"
    janitor = DatabaseJanitor(
        user=str(params.get("user") or "postgres"),
        host=str(params.get("host") or "127.0.0.1"),
        port=int(str(params.get("port") or 5432)),
        password=params.get("password"),  # type: ignore[arg-type]
        dbname=name,
        maintenance_dbname=str(params.get("dbname") or "postgres"),
    )
    with janitor:
        url = _database_url(server_url, name)
        migrate(url)
        results = run(url)
    width = max(len(r["operation"]) for r in results)
    print(f"{'operation'.ljust(width)}  baseline/s  engine/s  cost (baseline/engine)")
    for r in results:
        print(
            f"{r['operation'].ljust(width)}  {r['baseline_ops_per_s']:>10}  "
            f"{r['engine_ops_per_s']:>8}  {r['cost_ratio']:>6}x"
        )
    print(json.dumps({"rounds": ROUNDS, "results": results}), file=sys.stderr)
    return 0


def _database_url(server_url: str, dbname: str) -> str:
    """The same server, another database."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{dbname}", parts.query, ""))


if __name__ == "__main__":
    sys.exit(main())
