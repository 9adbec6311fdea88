"""SQL level: `api.lecture_save` (runtime role) vs a bare UPDATE + history INSERT (owner),
same payload, with pgbench -M prepared, 2/20/200 KB, 1/8/32 clients."""

from __future__ import annotations

from bench.payloads import SIZES_KB
from bench.pgbench import pgbench
from bench.runner import Sample, Variant
from bench.scenarios import Context
from bench.scenarios import clients as clients_label

CLIENTS = (1, 8, 32)
TARGET = "≥ 0.75"


def pgbench_variant(
    ctx: Context,
    name: str,
    *,
    conninfo: str,
    script: str,
    set_name: str,
    clients: int,
    notify: bool | None = None,
) -> Variant:
    """A pgbench script over a lecture set, one lecture per client."""
    variables = {"set": set_name, "lecture": "0"}
    if notify is not None:
        variables["notify"] = "true" if notify else "false"

    async def measure(seconds: float) -> Sample:
        return await pgbench(conninfo, script, clients, seconds, variables)

    params = {"script": script, "set": set_name, "clients": clients}
    return Variant(name, params, ctx.counted(set_name, clients, measure))


async def run(ctx: Context) -> None:
    for size in SIZES_KB:
        engine_set = ctx.lecture_set("engine", size)
        bare_set = ctx.lecture_set("bare", size)
        for count in CLIENTS:
            case = f"{size} KB, {clients_label(count)}"
            engine = pgbench_variant(
                ctx,
                "api.lecture_save",
                conninfo=ctx.db.runtime,
                script="lecture_save.sql",
                set_name=engine_set,
                clients=count,
            )
            bare = pgbench_variant(
                ctx,
                "bare UPDATE + history INSERT",
                conninfo=ctx.db.owner,
                script="bare_save.sql",
                set_name=bare_set,
                clients=count,
            )
            samples = await ctx.results.run("sql", case, [engine, bare], warmup=ctx.config.warmup)
            ctx.results.compare(
                case,
                (engine.name, samples[engine.name]),
                (bare.name, samples[bare.name]),
                TARGET,
            )
