"""The default generators honour every project setting they are given, and report progress."""

from __future__ import annotations

import asyncio
import itertools
import re
from typing import Any, get_args

import pytest

from tutopanda.models.assets import ImageStyle
from tutopanda.models.base import AspectRatio
from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import Audience, Language, LectureConfig
from tutopanda.workers.generators.base import MAX_ITEM_REPORTS, StepInput
from tutopanda.workers.generators.registry import DEFAULT_GENERATORS
from tutopanda.workflows import LECTURE_GENERATION

LANGUAGES: tuple[Language, ...] = get_args(Language)
AUDIENCES: tuple[Audience, ...] = get_args(Audience)
# Common short words of each language, none of which the others' generated sentences use.
MARKERS: dict[str, set[str]] = {
    "en": {"the", "and", "this", "we", "of", "in", "it"},
    "es": {"las", "los", "del", "esta", "para", "una", "y", "lo"},
    "fr": {"les", "des", "pour", "cette", "une", "et", "ce", "cela"},
    "de": {"und", "die", "der", "das", "wir", "ein", "zu", "nicht"},
    "tr": {"ve", "bir", "bu", "için", "şu", "olan", "hâlâ"},
}


class Recorder:
    """A progress callback that keeps what it is told."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, float | None]] = []

    async def __call__(self, message: str, fraction: float | None) -> None:
        self.reports.append((message, fraction))


def run_step(
    name: str,
    lecture: dict[str, Any],
    config: dict[str, Any],
    prompt: str = "Photosynthesis",
    report: Recorder | None = None,
) -> dict[str, Any]:
    """One default step on `lecture`; its sections, validated as the step runner validates them."""
    step = StepInput(
        run_id="0b6f-4c1d",
        kind=LECTURE_GENERATION.name,
        step_index=LECTURE_GENERATION.steps.index(name) + 1,
        step_name=name,
        prompt=prompt,
        lecture=lecture,
        settings=LectureConfig.model_validate(config),
        speaking_rate_wpm=150,
        report=report or Recorder(),
    )
    output = asyncio.run(DEFAULT_GENERATORS[name](step))
    return LecturePatch.model_validate(output.sections).sections()


def generate(
    config: dict[str, Any], prompt: str = "Photosynthesis", report: Recorder | None = None
) -> dict[str, Any]:
    """A whole lecture generation in memory, each step reading what the previous ones wrote."""
    lecture: dict[str, Any] = {"title": "Untitled Lecture"}
    for name in LECTURE_GENERATION.steps:
        lecture |= run_step(name, lecture, config, prompt, report)
    return lecture


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_of_script_narration_and_summary(language: str) -> None:
    lecture = generate({"general": {"language": language}}, prompt="Tides")
    texts = [s["narration"] for s in lecture["script"]["segments"]]
    for text in [*texts, lecture["summary"]]:
        found = {other: len(words(text) & marker) for other, marker in MARKERS.items()}
        assert found[language] >= 2, (language, text)
        assert sum(found.values()) == found[language], (language, found, text)
    assert [n["language"] for n in lecture["narration"]] == [language] * len(texts)
    assert [n["finalScript"] for n in lecture["narration"]] == texts
    others = {lang: generate({"general": {"language": lang}}, prompt="Tides") for lang in LANGUAGES}
    assert len({lec["title"] for lec in others.values()}) == len(LANGUAGES)  # the padding words


@pytest.mark.parametrize("language", LANGUAGES)
def test_audience_changes_the_wording(language: str) -> None:
    scripts = {
        audience: run_step("script", {}, {"general": {"audience": audience, "language": language}})
        for audience in AUDIENCES
    }
    openings = {
        a: s["script"]["segments"][0]["narration"].split(". ")[0] for a, s in scripts.items()
    }
    endings = {a: s["script"]["segments"][0]["narration"][-25:] for a, s in scripts.items()}
    assert len(set(openings.values())) == len(AUDIENCES)
    assert len(set(endings.values())) == len(AUDIENCES)
    assert len({s["summary"] for s in scripts.values()}) == len(AUDIENCES)


@pytest.mark.parametrize(
    ("duration", "segment_length"),
    list(itertools.product(("30", "60", "180", "600"), ("10", "15"))),
)
def test_duration_and_segment_length(duration: str, segment_length: str) -> None:
    config = {"general": {"duration": duration}, "narration": {"segmentLength": segment_length}}
    lecture = generate(config)
    segments = round(int(duration) / int(segment_length))
    assert len(lecture["script"]["segments"]) == segments
    seconds = [float(n["duration"]) for n in lecture["narration"]]
    assert len(seconds) == segments
    assert all(0.6 * int(segment_length) <= s <= 1.4 * int(segment_length) for s in seconds)
    assert sum(seconds) == pytest.approx(int(duration), rel=0.2)
    assert lecture["timeline"]["duration"] == pytest.approx(sum(seconds), abs=1e-4)


@pytest.mark.parametrize("per_segment", [1, 2])
def test_images_per_segment_on_every_track(per_segment: int) -> None:
    lecture = generate({"image": {"imagesPerSegment": per_segment}})
    segments = len(lecture["script"]["segments"])
    ids = [image["id"] for image in lecture["images"]]
    assert ids == [f"img-0b6f-4c1d-{i}-{j}" for i in range(segments) for j in range(per_segment)]
    if per_segment == 2:
        assert lecture["images"][1]["label"] == "Segment 1 Image 2"
    effects = lecture["effects"]
    assert [e["imageAssetId"] for e in effects] == ids
    cues = [s["effect"] for s in lecture["script"]["segments"]]
    assert [e["prompt"] for e in effects] == [c for c in cues for _ in range(per_segment)]
    visual = lecture["timeline"]["tracks"]["visual"]
    assert [clip["imageAssetId"] for clip in visual] == ids
    voice = lecture["timeline"]["tracks"]["voice"]
    for i, narration_clip in enumerate(voice):  # a segment's images share its narration's time
        clips = visual[i * per_segment : (i + 1) * per_segment]
        assert clips[0]["startTime"] == narration_clip["startTime"]
        assert sum(c["duration"] for c in clips) == pytest.approx(narration_clip["duration"])
        assert all(c["duration"] == pytest.approx(clips[0]["duration"]) for c in clips)


@pytest.mark.parametrize(
    ("aspect_ratio", "size", "style"),
    list(
        zip(
            get_args(AspectRatio),
            itertools.cycle(("480", "720", "1080")),
            itertools.cycle(get_args(ImageStyle)),
            strict=False,
        )
    ),
)
def test_image_settings_are_recorded(aspect_ratio: str, size: str, style: str) -> None:
    image = {"aspectRatio": aspect_ratio, "size": size, "style": style, "model": "qwen/qwen-image"}
    lecture = {"script": run_step("script", {}, {})["script"]}
    images = run_step("image_prompts", lecture, {"image": image | {"format": "JPG"}})["images"]
    across, down = (int(n) for n in aspect_ratio.split(":"))
    for asset in images:
        assert {k: asset[k] for k in image} == image
        assert (asset["width"], asset["height"], asset["format"]) == (
            1024,
            round(1024 * down / across),
            "JPG",
        )


@pytest.mark.parametrize(
    ("resolution", "seconds", "strategy"),
    [("480p", "10", "speed-adjustment"), ("720p", "5", "styled-transition"), ("1080p", "10", None)],
)
def test_video_on_makes_videos_and_video_clips(
    resolution: str, seconds: str, strategy: str | None
) -> None:
    video = {"model": "acme/video-2", "imageModel": "acme/still", "resolution": resolution}
    config = {
        "general": {"useVideo": True},
        "narration": {"segmentLength": "10"},
        "image": {"aspectRatio": "9:16"},
        "video": video | {"duration": seconds, "timelineAssemblyStrategy": strategy},
    }
    lecture = generate(config)
    segments = len(lecture["script"]["segments"])
    assert lecture["images"] == []
    ids = [f"video-0b6f-4c1d-{i}" for i in range(segments)]
    assert [v["id"] for v in lecture["videos"]] == ids
    for i, asset in enumerate(lecture["videos"]):
        assert (asset["model"], asset["resolution"], asset["duration"]) == (
            "acme/video-2",
            resolution,
            int(seconds),
        )
        assert (asset["aspectRatio"], asset["startingImageModel"]) == ("9:16", "acme/still")
        assert asset["startingImageId"] == f"video-img-0b6f-4c1d-{i}"
    assert [e["videoAssetId"] for e in lecture["effects"]] == ids
    timeline = lecture["timeline"]
    assert timeline["assemblyStrategy"] == (strategy or "speed-adjustment")
    visual = timeline["tracks"]["visual"]
    assert [(c["kind"], c["videoAssetId"]) for c in visual] == [("video", i) for i in ids]
    for clip, voice in zip(visual, timeline["tracks"]["voice"], strict=True):
        assert (clip["startTime"], clip["duration"]) == (voice["startTime"], voice["duration"])
        assert clip["originalDuration"] == int(seconds)
        close = abs(int(seconds) - clip["duration"]) / int(seconds) <= 0.2
        if timeline["assemblyStrategy"] == "speed-adjustment" and close:
            assert clip["speedAdjustment"] == pytest.approx(int(seconds) / clip["duration"])
        else:
            assert "speedAdjustment" not in clip
            assert clip["transitionType"] in {"freeze-fade", "crossfade", "none"}
    if seconds == "10" and timeline["assemblyStrategy"] == "speed-adjustment":
        assert any("speedAdjustment" in clip for clip in visual)


def test_video_off_makes_no_videos_and_clears_stale_ones() -> None:
    with_video = generate({"general": {"useVideo": True}})
    assert with_video["videos"]
    images = run_step("image_prompts", with_video, {"general": {"useVideo": False}})
    assert images["videos"] == []
    assert images["images"]
    lecture = generate({"general": {"useVideo": False}})
    assert lecture["videos"] == []
    assert {c["kind"] for c in lecture["timeline"]["tracks"]["visual"]} == {"kenBurns"}


def test_timeline_prefers_the_visuals_the_settings_ask_for() -> None:
    lecture = generate({}) | {"videos": generate({"general": {"useVideo": True}})["videos"]}
    del lecture["timeline"]
    for use_video, kind in ((True, "video"), (False, "kenBurns")):
        config = {"general": {"useVideo": use_video}}
        timeline = run_step("timeline", lecture, config)["timeline"]
        assert {c["kind"] for c in timeline["tracks"]["visual"]} == {kind}


def test_audio_settings_are_recorded() -> None:
    config = {
        "narration": {"voice": "Wise_Woman", "model": "elevenlabs/v3", "emotion": "calm"},
        "music": {"model": "ElevenLabs"},
        "soundEffects": {"model": "Declare Lab Tango"},
    }
    lecture = generate(config)
    for asset in lecture["narration"]:
        assert (asset["voice"], asset["model"], asset["emotion"]) == (
            "Wise_Woman",
            "elevenlabs/v3",
            "calm",
        )
    assert [m["model"] for m in lecture["music"]] == ["ElevenLabs"]
    assert {e["model"] for e in lecture["effects"]} == {"Declare Lab Tango"}
    assert all("emotion" not in n for n in generate({})["narration"])  # none unless asked for


def test_same_settings_same_lecture_other_settings_other_lecture() -> None:
    config = {
        "general": {"language": "tr", "audience": "Kids", "useVideo": True},
        "video": {"duration": "5"},
    }
    assert generate(config) == generate(config)
    assert generate(config) != generate(config | {"general": {"language": "de"}})


def assert_progress(reports: list[tuple[str, float | None]], final: str) -> None:
    fractions = [f for _, f in reports if f is not None]
    assert fractions == sorted(fractions)
    assert all(0 <= f <= 1 for f in fractions)
    assert reports[-1] == (final, 1.0)


@pytest.mark.parametrize(
    ("name", "config", "action", "items", "final"),
    [
        ("script", {}, "Writing script segment", 4, "Lecture script ready"),
        (
            "image_prompts",
            {"image": {"imagesPerSegment": 2}},
            "Generating images",
            8,
            "Images generated successfully",
        ),
        (
            "image_prompts",
            {"general": {"useVideo": True}},
            "Generating videos",
            4,
            "Videos generated successfully",
        ),
        ("narration", {}, "Generating narration", 4, "Narration generated successfully"),
        ("music", {}, None, 0, "Background music generated successfully"),
        ("effects", {}, "Choosing effects", 4, "Effects chosen successfully"),
        ("timeline", {}, None, 0, "Timeline created successfully"),
    ],
)
def test_steps_report_progress_in_order(
    name: str, config: dict[str, Any], action: str | None, items: int, final: str
) -> None:
    lecture: dict[str, Any] = {}
    for before in LECTURE_GENERATION.steps[: LECTURE_GENERATION.steps.index(name)]:
        lecture |= run_step(before, lecture, config)
    recorder = Recorder()
    run_step(name, lecture, config, report=recorder)
    assert_progress(recorder.reports, final)
    item_reports = [r for r in recorder.reports if action and r[0].startswith(action)]
    assert item_reports == [
        (f"{action} {n} of {items}", round((n - 1) / items, 4)) for n in range(1, items + 1)
    ]


def test_long_steps_report_a_bounded_number_of_items() -> None:
    recorder = Recorder()
    lecture = generate(
        {"general": {"duration": "600"}, "narration": {"segmentLength": "10"}}, report=recorder
    )
    assert len(lecture["images"]) == 60
    assert recorder.reports[-1] == ("Timeline created successfully", 1.0)
    image_reports = [m for m, _ in recorder.reports if m.startswith("Generating images")]
    assert image_reports[:2] == ["Generating images 1 of 60", "Generating images 7 of 60"]
    assert len(image_reports) == MAX_ITEM_REPORTS
