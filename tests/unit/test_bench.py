"""The bench's own helpers: statistics, interleaving, settings and payloads (no database)."""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path

import pytest

from bench.cli import SCENARIOS as RUNNERS
from bench.config import DEFAULT_OUTPUT, SCENARIOS, parse
from bench.payloads import payload
from bench.report import markdown
from bench.runner import Results, Sample, Variant
from bench.scenarios import merge as merge_scenario
from bench.stats import interleaved, percentile, ratios, spread
from tutopanda.merge import three_way_merge
from tutopanda.models.lecture import LecturePatch


def test_spread_is_the_median_with_min_and_max() -> None:
    summary = spread([3.0, 1.0, 10.0, 2.0])
    assert (summary.median, summary.low, summary.high, summary.count) == (2.5, 1.0, 10.0, 4)
    assert summary.format(1) == "2.5 (1.0-10.0)"
    assert spread([7.0]).format() == "7"
    with pytest.raises(ValueError, match="no values"):
        spread([])


def test_ratios_pair_rounds_and_refuse_unequal_counts() -> None:
    assert ratios([2.0, 3.0], [1.0, 6.0]) == [2.0, 0.5]
    assert math.isnan(ratios([1.0], [0.0])[0])
    with pytest.raises(ValueError, match="rounds"):
        ratios([1.0], [1.0, 2.0])


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.99), percentile(values, 1.0)) == (
        50.0,
        99.0,
        100.0,
    )
    assert percentile([4.0], 0.99) == 4.0
    assert math.isnan(percentile([], 0.5))


def test_interleaving_alternates_variants_round_by_round() -> None:
    assert interleaved(["a", "b"], 3) == [
        (0, "a"),
        (0, "b"),
        (1, "a"),
        (1, "b"),
        (2, "a"),
        (2, "b"),
    ]
    with pytest.raises(ValueError, match="unique"):
        interleaved(["a", "a"], 1)
    with pytest.raises(ValueError, match="round"):
        interleaved(["a"], 0)


def test_results_run_variants_interleaved_and_compare_per_round() -> None:
    order: list[str] = []

    def variant(name: str, rates: list[float]) -> Variant:
        async def measure(seconds: float) -> Sample:
            order.append(name)
            return Sample(
                saves_per_s=rates[len([n for n in order if n == name]) - 1], seconds=seconds
            )

        return Variant(name, {}, measure)

    results = Results(rounds=3, seconds=1.0)
    samples = asyncio.run(
        results.run("s", "c", [variant("a", [10.0, 20.0, 30.0]), variant("b", [10.0, 10.0, 10.0])])
    )
    assert order == ["a", "b", "a", "b", "a", "b"]
    assert [row["round"] for row in results.raw] == [0, 0, 1, 1, 2, 2]
    comparison = results.compare("c", ("a", samples["a"]), ("b", samples["b"]))
    assert comparison.round_ratios == [1.0, 2.0, 3.0]
    assert (comparison.ratio.median, comparison.ratio.low, comparison.ratio.high) == (2.0, 1.0, 3.0)
    table = markdown(results, parse([], {}), "test server")
    assert "| a / b | c |" in table
    assert "**2.00 (1.00-3.00)**" in table


def test_config_defaults_smoke_mode_flags_and_environment() -> None:
    full = parse([], {})
    assert (full.rounds, full.seconds, full.scenarios, full.output) == (
        3,
        5.0,
        SCENARIOS,
        DEFAULT_OUTPUT,
    )
    smoke = parse([], {"TUTOPANDA_BENCH_SMOKE": "1", "TUTOPANDA_BENCH_ONLY": "http,sql"})
    assert (smoke.smoke, smoke.rounds, smoke.seconds, smoke.warmup) == (True, 1, 1.0, 0.0)
    assert smoke.scenarios == ("sql", "http")
    flagged = parse(["--rounds", "5", "--only", "queue", "--output", "x.json"], {})
    assert (flagged.rounds, flagged.scenarios, flagged.output) == (5, ("queue",), Path("x.json"))
    with pytest.raises(SystemExit):
        parse(["--only", "nope"], {})
    with pytest.raises(SystemExit):
        parse(["--rounds", "0"], {})


@pytest.mark.parametrize("size_kb", [2, 20])
def test_payload_versions_are_valid_sized_and_differ_by_title_and_one_clip(size_kb: int) -> None:
    sections = payload(size_kb)
    assert len(sections.a) >= size_kb * 1000
    a, b = json.loads(sections.a), json.loads(sections.b)
    for version in (a, b):
        assert LecturePatch.model_validate(version).sections() == version  # stored form
    assert set(a) == {"title", "timeline"}
    assert a["title"] != b["title"]
    clips_a, clips_b = a["timeline"]["tracks"]["visual"], b["timeline"]["tracks"]["visual"]
    assert [x == y for x, y in zip(clips_a, clips_b, strict=True)].count(False) == 1
    assert (sections.for_revision(4), sections.for_revision(7)) == (sections.a, sections.b)


def test_every_scenario_name_has_a_runner() -> None:
    assert tuple(RUNNERS) == SCENARIOS


def test_merge_scenario_is_registered_and_chosen_alone() -> None:
    assert RUNNERS["merge"] is merge_scenario.run
    chosen = parse(["--only", "merge"], {})
    assert chosen.scenarios == ("merge",)
    assert parse([], {"TUTOPANDA_BENCH_ONLY": "merge,sql"}).scenarios == ("sql", "merge")


def test_merge_scenario_edits_are_disjoint_clip_renames_that_merge_cleanly() -> None:
    timeline = json.loads(payload(2).a)["timeline"]
    versions = merge_scenario.Versions(timeline, timeline)
    versions.saved(merge_scenario.renamed(timeline, *versions.next_edit()))
    for _ in range(4):  # what a merged save sends and what it writes, save after save
        track, name = versions.next_edit()
        mine = merge_scenario.renamed(versions.previous, track, name)
        result = three_way_merge(
            {"timeline": versions.previous}, {"timeline": mine}, {"timeline": versions.current}
        )
        expected = merge_scenario.renamed(versions.current, track, name)
        assert result.conflicts == ()
        assert result.sections == {"timeline": expected}
        assert LecturePatch.model_validate(result.sections).sections() == result.sections
        versions.saved(expected)
    assert timeline["tracks"]["visual"][0]["name"] == "Segment 1"  # edits copy, never mutate
