"""What a bench run does: rounds, seconds per measurement, scenarios; from flags or environment."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = ("sql", "notify", "http", "naive", "queue", "events", "merge")
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "latest.json"


@dataclass(frozen=True)
class Config:
    """One run's settings. Smoke mode: one short round of everything (~3 minutes)."""

    rounds: int = 3
    seconds: float = 5.0
    warmup: float = 1.0
    scenarios: tuple[str, ...] = SCENARIOS
    output: Path = DEFAULT_OUTPUT
    server_processes: int = 1
    delay_ms: float = 1.0  # added round trip between service and database (half each way)
    smoke: bool = False


def _env_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def parse(argv: Sequence[str], environ: Mapping[str, str]) -> Config:
    """Flags win over TUTOPANDA_BENCH_* variables, which win over the defaults."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(
            "Measure the save path (SQL, HTTP, naive service, notify, queue, merge) and events."
        ),
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        default=_env_flag(environ.get("TUTOPANDA_BENCH_SMOKE")),
        help="one 1-second round of everything, no warm-up (TUTOPANDA_BENCH_SMOKE=1)",
    )
    parser.add_argument(
        "--only",
        default=environ.get("TUTOPANDA_BENCH_ONLY", ""),
        help=f"comma-separated scenarios among {', '.join(SCENARIOS)} (TUTOPANDA_BENCH_ONLY)",
    )
    parser.add_argument("--rounds", type=int, default=environ.get("TUTOPANDA_BENCH_ROUNDS"))
    parser.add_argument("--seconds", type=float, default=environ.get("TUTOPANDA_BENCH_SECONDS"))
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(environ.get("TUTOPANDA_BENCH_OUTPUT", str(DEFAULT_OUTPUT))),
        help="JSON file of every raw measurement (a .md table is written beside it)",
    )
    parser.add_argument(
        "--server-processes",
        type=int,
        default=int(environ.get("TUTOPANDA_BENCH_SERVER_PROCESSES", "1")),
        help="API server processes for the HTTP scenario (`tutopanda serve --workers N`)",
    )
    parser.add_argument(
        "--delay-ms",
        type=float,
        default=float(environ.get("TUTOPANDA_BENCH_DELAY_MS", "1.0")),
        help="round trip the delaying proxy adds in the naive scenario",
    )
    args = parser.parse_args(list(argv))
    scenarios = tuple(s.strip() for s in args.only.split(",") if s.strip()) or SCENARIOS
    unknown = sorted(set(scenarios) - set(SCENARIOS))
    if unknown:
        parser.error(f"unknown scenario {', '.join(unknown)}; choose among {', '.join(SCENARIOS)}")
    base = Config(rounds=1, seconds=1.0, warmup=0.0) if args.smoke else Config()
    rounds = base.rounds if args.rounds is None else int(args.rounds)
    seconds = base.seconds if args.seconds is None else float(args.seconds)
    if rounds < 1 or seconds < 1 or args.server_processes < 1 or args.delay_ms < 0:
        parser.error("rounds and server processes ≥ 1, seconds ≥ 1, delay ≥ 0")
    return Config(
        rounds=rounds,
        seconds=seconds,
        warmup=base.warmup,
        scenarios=tuple(s for s in SCENARIOS if s in scenarios),
        output=args.output,
        server_processes=args.server_processes,
        delay_ms=args.delay_ms,
        smoke=args.smoke,
    )
