"""The default generators: deterministic, durations from word counts, timelines without gaps."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import LectureConfig
from tutopanda.workers.generators.base import StepFailed, StepInput
from tutopanda.workers.generators.effects import generate_effects
from tutopanda.workers.generators.media import generate_narration, narration_seconds
from tutopanda.workers.generators.registry import (
    DEFAULT_GENERATORS,
    GeneratorConfigError,
    build_generators,
)
from tutopanda.workers.generators.script import generate_script
from tutopanda.workers.generators.timeline import synthesise_timeline

EPSILON = 1e-6


def step(
    name: str,
    lecture: dict[str, Any] | None = None,
    prompt: str = "Bees and flowers",
    config: dict[str, Any] | None = None,
    run_id: str = "run-1",
) -> StepInput:
    return StepInput(
        run_id=run_id,
        kind="lecture_generation",
        step_index=1,
        step_name=name,
        prompt=prompt,
        lecture=lecture or {},
        settings=LectureConfig.model_validate(config or {}),
        speaking_rate_wpm=150,
    )


def test_script_length_follows_the_options() -> None:
    for duration, length, segments in (("60", "15", 4), ("600", "10", 60), ("30", "15", 2)):
        config = {"general": {"duration": duration}, "narration": {"segmentLength": length}}
        output = asyncio.run(generate_script(step("script", config=config)))
        assert len(output.sections["script"]["segments"]) == segments
        LecturePatch.model_validate(output.sections)  # valid for the store


def test_same_input_same_output_whatever_the_run() -> None:
    first = asyncio.run(generate_script(step("script", run_id="a")))
    second = asyncio.run(generate_script(step("script", run_id="b")))
    other = asyncio.run(generate_script(step("script", prompt="Comets")))
    assert first.sections == second.sections
    assert first.sections != other.sections


def test_narration_duration_comes_from_word_count_and_rate() -> None:
    assert narration_seconds(" ".join(["word"] * 150), 150) == 60.0
    assert narration_seconds(" ".join(["word"] * 25), 150) == 10.0
    assert narration_seconds("hi", 150) == 1.0  # never shorter than a second
    script = {
        "segments": [{"narration": " ".join(["w"] * 30), "backgroundMusic": "m", "effect": "e"}]
    }
    output = asyncio.run(generate_narration(step("narration", {"script": script})))
    assert output.sections["narration"][0]["duration"] == 12.0


def test_missing_prerequisites_are_permanent_failures() -> None:
    with pytest.raises(StepFailed, match="needs a script"):
        asyncio.run(generate_narration(step("narration")))
    with pytest.raises(StepFailed, match="narration"):
        synthesise_timeline(step("timeline", {"images": [{"id": "img-r-0-0", "prompt": "p"}]}))
    images = {"images": [{"id": "img-r-0-0", "prompt": "p"}]}
    with pytest.raises(StepFailed, match="videos"):  # with video on, effects follow the videos
        asyncio.run(
            generate_effects(step("effects", images, config={"general": {"useVideo": True}}))
        )


durations = st.one_of(
    st.floats(min_value=0.01, max_value=600, allow_nan=False), st.just(0), st.just(-3), st.none()
)


@settings(max_examples=200, deadline=None)
@given(
    narration=st.lists(durations, min_size=1, max_size=12),
    images_per_segment=st.lists(st.integers(0, 3), min_size=1, max_size=12),
)
def test_synthesised_timelines_have_no_gaps_or_overlaps(
    narration: list[float | None], images_per_segment: list[int]
) -> None:
    lecture = {
        "narration": [{"id": f"narration-r-{i}", "duration": d} for i, d in enumerate(narration)],
        "images": [
            {"id": f"img-r-{i}-{j}", "prompt": f"picture {i} {j}"}
            for i, count in enumerate(images_per_segment)
            for j in range(count)
        ]
        or [{"id": "img-r-0-0", "prompt": "only"}],
        "music": [{"id": "music-r"}],
    }
    timeline = synthesise_timeline(step("timeline", lecture))
    LecturePatch.model_validate({"timeline": timeline})  # the store accepts it
    expected = sum(d if isinstance(d, float) and d > 0 else 1.0 for d in narration)
    assert timeline["duration"] == pytest.approx(expected, abs=1e-4)
    for name in ("voice", "visual"):
        clips = timeline["tracks"][name]
        assert clips[0]["startTime"] == 0
        for before, after in itertools.pairwise(clips):
            assert abs(before["startTime"] + before["duration"] - after["startTime"]) < EPSILON
            assert before["duration"] > 0
        assert clips[-1]["startTime"] + clips[-1]["duration"] == pytest.approx(
            timeline["duration"], abs=1e-4
        )
    music = timeline["tracks"]["music"]
    assert [(m["startTime"], m["duration"]) for m in music] == [(0, timeline["duration"])]


def test_video_segments_use_speed_or_transitions() -> None:
    lecture = {
        "narration": [{"id": "n-0", "duration": 10}, {"id": "n-1", "duration": 10}],
        "videos": [
            {
                "id": "video-r-0",
                "segmentStartImagePrompt": "a",
                "movieDirections": "b",
                "duration": 9,
            },
            {
                "id": "video-r-1",
                "segmentStartImagePrompt": "a",
                "movieDirections": "b",
                "duration": 5,
            },
        ],
    }
    visual = synthesise_timeline(step("timeline", lecture))["tracks"]["visual"]
    assert visual[0]["speedAdjustment"] == 0.9
    assert (visual[1]["transitionType"], visual[1]["transitionDuration"]) == ("freeze-fade", 5)


def test_generator_configuration() -> None:
    assert build_generators("") == DEFAULT_GENERATORS
    custom = build_generators("narration=tests.support.generators:AlwaysFails")
    assert type(custom["narration"]).__name__ == "AlwaysFails"
    for bad in (
        "voice=x:y",
        "narration=nowhere:thing",
        "narration=justamodule",
        "narration=tests.support.generators:Missing",
    ):
        with pytest.raises(GeneratorConfigError):
            build_generators(bad)
