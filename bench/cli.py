"""`python -m bench`: build the database, run the chosen scenarios, print and write results."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence

import psycopg

from bench import config as bench_config
from bench.database import bench_database
from bench.report import markdown, write_json
from bench.runner import Results
from bench.scenarios import Context, events, http, merge, naive, notify, queue, sql_save
from bench.tools import BenchError, check_open_files, pgbench_path, wrk_path
from tutopanda.db.migrate import MigrationError
from tutopanda.db.queries import query

OPEN_FILES = 4096  # the events scenario: 1,000 streams, each end in a process of this tree
SCENARIOS: dict[str, Callable[[Context], Awaitable[None]]] = {
    "sql": sql_save.run,
    "notify": notify.run,
    "http": http.run,
    "naive": naive.run,
    "queue": queue.run,
    "events": events.run,
    "merge": merge.run,
}


async def _run_all(ctx: Context) -> None:
    for name in ctx.config.scenarios:
        print(f"[{name}]", file=sys.stderr, flush=True)
        await SCENARIOS[name](ctx)


def run(config: bench_config.Config) -> str:
    """Everything a bench run does; returns the Markdown report."""
    pgbench_path()
    if "http" in config.scenarios:
        wrk_path()
    if "events" in config.scenarios:
        check_open_files(OPEN_FILES)
    started = time.monotonic()
    with bench_database() as db:
        results = Results(rounds=config.rounds, seconds=config.seconds, settle=db.settle)
        with psycopg.connect(db.url) as conn:
            row = conn.execute(query("server_version_num")).fetchone()
        version = int(row[0]) if row else 0
        print(f"database {db.origin} (PostgreSQL {version // 10000})", file=sys.stderr)
        ctx = Context(config=config, db=db, results=results)
        asyncio.run(_run_all(ctx))
    minutes = (time.monotonic() - started) / 60
    server = (
        f"PostgreSQL {version // 10000} ({db.origin}), {os.cpu_count()} cores, {minutes:.1f} min"
    )
    report = markdown(results, config, server)
    write_json(config.output, results, config, {"origin": db.origin, "version_num": version})
    config.output.with_suffix(".md").write_text(report)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    config = bench_config.parse(sys.argv[1:] if argv is None else argv, os.environ)
    try:
        report = run(config)
    except (BenchError, MigrationError, psycopg.Error) as error:
        print(f"bench: {str(error).strip().splitlines()[0]}", file=sys.stderr)
        return 1
    print(report)
    print(f"raw measurements: {config.output}", file=sys.stderr)
    return 0
