"""The fan-out bench's own Markdown: latency per layout with delivery counts, and the
deliveries behind the throughput pair."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bench.runner import Sample
from bench.stats import spread
from tutopanda.settings import Settings


def _cell(samples: Sequence[Sample], name: str, digits: int) -> str:
    values = [s.extra[name] for s in samples if name in s.extra]
    return spread(values).format(digits) if values else "-"


def _total(samples: Sequence[Sample], name: str) -> int:
    return round(sum(s.extra.get(name, 0.0) for s in samples))


def latency_table(
    case: str, samples: Mapping[str, Sequence[Sample]], target: str, settings: Settings
) -> str:
    """One row per layout: latency medians (min-max over rounds), where the time goes, and
    every event accounted for."""
    lines = [
        f"Fan-out latency, commit (wall clock right after COMMIT returned) → `lecture.revised` "
        f"parsed by a subscriber ({case}; publisher poll {settings.event_poll_ms:g} ms, "
        f"subscriber queue {settings.stream_queue_events:,} events). Target: {target}. "
        "`announced`: commit → the publisher's NOTIFY reaching a listener beside the hub's "
        "(the database's part); the rest is the hub, HTTP and the client. `oldest xact`: how "
        "long the server's oldest write transaction had run, sampled every 10 ms (median / "
        "max): the publisher announces nothing committed after it began, so another "
        "database's long transaction on the same server delays every announcement. "
        "`µs/event`: API "
        "server CPU per event delivered to one subscriber (idle polling included). Events are "
        "summed over rounds.",
        "",
        "| layout | saves/s | events/s due | p50 ms | p99 ms | max ms | announced p50 / p99 ms "
        "| oldest xact ms "
        "| received / expected | short subscribers | disconnects "
        "| client cores (busiest process) | API server cores | µs/event |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, rounds in samples.items():
        p50 = spread([s.p50_ms for s in rounds if s.p50_ms is not None])
        p99 = spread([s.p99_ms for s in rounds if s.p99_ms is not None])
        cores = spread([s.loadgen_cpu or 0.0 for s in rounds]).format(2)
        lines.append(
            f"| {name} | {spread([s.saves_per_s for s in rounds]).format(1)} | "
            f"{_cell(rounds, 'demand_per_s', 0)} | {p50.format(1)} | {p99.format(1)} | "
            f"{_cell(rounds, 'max_ms', 1)} | {_cell(rounds, 'announce_p50_ms', 1)} / "
            f"{_cell(rounds, 'announce_p99_ms', 1)} | {_cell(rounds, 'oldest_xact_p50_ms', 0)} / "
            f"{_cell(rounds, 'oldest_xact_max_ms', 0)} | "
            f"{_total(rounds, 'received'):,} / {_total(rounds, 'expected'):,} | "
            f"{_total(rounds, 'short_subscribers'):,} | {_total(rounds, 'disconnects'):,} | "
            f"{cores} ({_cell(rounds, 'busiest_client_cpu', 2)}) | "
            f"{_cell(rounds, 'server_cpu', 2)} | {_cell(rounds, 'server_us_per_event', 0)} |"
        )
    return "\n".join(lines) + "\n"


def throughput_note(name: str, rounds: Sequence[Sample], drain: float) -> str:
    """What the subscribers of the loaded side received while pgbench saved."""
    return (
        f"{name}: subscribers received {_total(rounds, 'received'):,} of "
        f"{_total(rounds, 'expected'):,} events: {_cell(rounds, 'events_per_s', 0)} events/s "
        f"delivered (until the last arrived or {drain:g} s after the saves stopped) of "
        f"{_cell(rounds, 'due_per_s', 0)} events/s due, "
        f"{_total(rounds, 'disconnects'):,} slow-consumer disconnects, "
        f"{_total(rounds, 'resyncs'):,} resyncs; API server {_cell(rounds, 'server_cpu', 2)} "
        f"cores, subscriber processes {_cell(rounds, 'subscriber_cpu', 2)} cores (counted in the "
        f"load generator's share: they share the machine with PostgreSQL)"
    )
