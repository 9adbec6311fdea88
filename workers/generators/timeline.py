"""Step `timeline`: tracks and clips synthesised from the narration durations.

Follows the original app's assembler: narration drives everything; segment i lasts as long as
narration i (or one second); segments are laid end to end with no gap or overlap; the visuals
of a segment share its time (a segment's video, when `general.useVideo`, else its images; the
other kind when it has none); one music clip spans the whole lecture.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput
from tutopanda.workers.generators.effects import KEN_BURNS_PRESETS, choose_preset, ken_burns_fields

MIN_CLIP_SECONDS = 1.0
_SEGMENT_SUFFIX = re.compile(r"-(\d+)-(\d+)$")
_VIDEO_SUFFIX = re.compile(r"-(\d+)$")
SPEED_TOLERANCE = 0.2


def _round(value: float) -> float:
    return round(value, 6)


def segment_durations(narration: list[dict[str, Any]]) -> list[float]:
    """Each narration's duration when it is a finite positive number, else one second."""
    durations = []
    for asset in narration:
        value = asset.get("duration")
        ok = isinstance(value, int | float) and math.isfinite(value) and value > 0
        durations.append(_round(float(value)) if ok else MIN_CLIP_SECONDS)  # type: ignore[arg-type]
    return durations


def _usable(asset: dict[str, Any]) -> bool:
    return asset.get("status") in (None, "generated")


def _by_segment(
    assets: list[dict[str, Any]], pattern: re.Pattern[str], count: int
) -> list[list[dict[str, Any]]]:
    """Assets grouped by the segment their id names; ids without one fill segments in order."""
    groups: list[list[dict[str, Any]]] = [[] for _ in range(count)]
    unplaced = []
    for asset in assets:
        match = pattern.search(str(asset.get("id", "")))
        if match and int(match.group(1)) < count:
            groups[int(match.group(1))].append(asset)
        else:
            unplaced.append(asset)
    for n, asset in enumerate(unplaced):
        groups[n % count].append(asset)
    return groups


def _visual_clips(  # noqa: PLR0917
    index: int,
    start: float,
    seconds: float,
    images: list[dict[str, Any]],
    moves: dict[str, dict[str, Any]],
    step: StepInput,
) -> list[dict[str, Any]]:
    usable = [image for image in images if _usable(image)]
    if not usable:
        status = next((i.get("status") for i in images if i.get("status")), "failed")
        return [
            {
                "id": f"visual-{index}-placeholder",
                "name": f"Segment {index + 1}",
                "kind": "kenBurns",
                "startTime": start,
                "duration": seconds,
                "status": status,
                **ken_burns_fields("portraitZoomIn"),
            }
        ]
    clips = []
    share = _round(seconds / len(usable))
    for j, image in enumerate(usable):
        clip_start = _round(start + share * j)
        length = share if j < len(usable) - 1 else _round(start + seconds - clip_start)
        move = moves.get(str(image["id"])) or ken_burns_fields(
            choose_preset(str(image.get("prompt", "")), None, step.rng())
        )
        clips.append(
            {
                "id": f"visual-{index}-{j}",
                "name": f"Segment {index + 1}",
                "kind": "kenBurns",
                "startTime": clip_start,
                "duration": length,
                "imageAssetId": image["id"],
                **{k: move[k] for k in ken_burns_fields("portraitZoomIn")},
            }
        )
    return clips


def _video_clip(
    index: int, start: float, seconds: float, video: dict[str, Any], strategy: str
) -> dict[str, Any]:
    clip: dict[str, Any] = {
        "id": f"visual-{index}",
        "name": f"Segment {index + 1}",
        "kind": "video",
        "startTime": start,
        "duration": seconds,
        "videoAssetId": video["id"],
        "volume": 0,
    }
    original = video.get("duration")
    if isinstance(original, int | float) and original > 0:
        clip["originalDuration"] = original
        if strategy == "speed-adjustment" and abs(original - seconds) / original <= SPEED_TOLERANCE:
            clip["speedAdjustment"] = _round(original / seconds)
        elif original < seconds:
            clip |= {
                "transitionType": "freeze-fade",
                "transitionDuration": _round(seconds - original),
            }
        elif original > seconds:
            clip |= {
                "transitionType": "crossfade",
                "transitionDuration": _round(original - seconds),
            }
        else:
            clip["transitionType"] = "none"
    return clip


def synthesise_timeline(step: StepInput) -> dict[str, Any]:
    """The timeline section for the lecture as it is now."""
    narration = [a for a in step.section("narration") if isinstance(a, dict)]
    images = [a for a in step.section("images") if isinstance(a, dict) and "id" in a]
    videos = [a for a in step.section("videos") if isinstance(a, dict) and "id" in a]
    if not narration:
        raise StepFailed("the timeline needs narration; the lecture has none")
    if not images and not videos:
        raise StepFailed("the timeline needs images or videos; the lecture has neither")
    timeline = step.section("timeline") or {}
    strategy = (
        timeline.get("assemblyStrategy")
        or step.settings.video.timeline_assembly_strategy
        or "speed-adjustment"
    )
    use_video = step.settings.general.use_video
    durations = segment_durations(narration)
    image_groups = _by_segment(images, _SEGMENT_SUFFIX, len(durations))
    video_groups = _by_segment(videos, _VIDEO_SUFFIX, len(durations))
    moves = {
        str(e.get("imageAssetId")): e
        for e in step.section("effects")
        if isinstance(e, dict) and e.get("effectName") in KEN_BURNS_PRESETS
    }
    voice, visual, start = [], [], 0.0
    for i, seconds in enumerate(durations):
        voice.append(
            {
                "id": f"voice-{i}",
                "name": f"Narration {i + 1}",
                "kind": "voice",
                "startTime": start,
                "duration": seconds,
                "volume": 1,
                "narrationAssetId": narration[i]["id"],
            }
            | {k: narration[i][k] for k in ("status", "error") if k in narration[i]}
        )
        usable_videos = [v for v in video_groups[i] if _usable(v)]
        if usable_videos and (use_video or not image_groups[i]):
            visual.append(_video_clip(i, start, seconds, usable_videos[0], strategy))
        else:
            shown = image_groups[i] or video_groups[i]  # a failed video's status if no image
            visual.extend(_visual_clips(i, start, seconds, shown, moves, step))
        start = _round(start + seconds)
    music = [
        {
            "id": f"music-{step.run_id}",
            "name": "Background Score",
            "kind": "music",
            "startTime": 0,
            "duration": start,
            "volume": 0.3,
            "fadeInDuration": 2,
            "fadeOutDuration": 3,
            "musicAssetId": asset["id"],
        }
        for asset in step.section("music")[:1]
        if isinstance(asset, dict) and "id" in asset
    ]
    return {
        "id": f"timeline-{step.run_id}",
        "name": "Timeline",
        "duration": start,
        "assemblyStrategy": strategy,
        "tracks": {"visual": visual, "voice": voice, "music": music, "soundEffects": []},
    }


async def generate_timeline(step: StepInput) -> StepOutput:
    """Step `timeline`: synthesise and write the timeline section."""
    await step.report("Assembling the timeline", 0.0)
    timeline = synthesise_timeline(step)
    await step.report("Timeline created successfully", 1.0)
    tracks = timeline["tracks"]
    return StepOutput(
        sections={"timeline": timeline},
        summary={
            "seconds": timeline["duration"],
            "clips": sum(len(clips) for clips in tracks.values()),
        },
    )
