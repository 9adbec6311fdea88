"""Realistic save payloads: a title and a timeline of the original app's shape, in 2/20/200 KB.

Every lecture alternates between two versions A and B that differ by the title and one clip's
start (a nudge in the editor), so each save really changes the lecture. The editor sends whole
dirty top-level sections: a nudge sends the whole timeline, whatever its size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from tutopanda.models.lecture import LecturePatch

SIZES_KB = (2, 20, 200)
_PRESETS = ("portraitZoomIn", "landscapePanLeft", "architectureRise", "dramaticZoomOut")


@dataclass(frozen=True)
class Payload:
    """The two versions of a lecture's sections, as compact JSON text ready to send."""

    size_kb: int
    segments: int
    a: str
    b: str

    def for_revision(self, revision: int) -> str:
        """The version a save on `revision` sends: A on even revisions, B on odd ones."""
        return self.a if revision % 2 == 0 else self.b


def _segment_clips(i: int, start: float, seconds: float) -> dict[str, dict[str, Any]]:
    preset = _PRESETS[i % len(_PRESETS)]
    return {
        "visual": {
            "id": f"visual-{i}-0",
            "name": f"Segment {i + 1}",
            "kind": "kenBurns",
            "startTime": start,
            "duration": seconds,
            "effectName": preset,
            "imageAssetId": f"image-{i}-0",
            "imageUrl": f"https://cdn.example.com/lectures/42/images/image-{i}-0.png",
            "startScale": 1,
            "endScale": 1.2,
            "startX": 0,
            "startY": 0,
            "endX": -40,
            "endY": 0,
        },
        "voice": {
            "id": f"voice-{i}",
            "name": f"Narration {i + 1}",
            "kind": "voice",
            "startTime": start,
            "duration": seconds,
            "volume": 1,
            "narrationAssetId": f"narration-{i}",
            "audioUrl": f"https://cdn.example.com/lectures/42/narration/narration-{i}.mp3",
        },
        "soundEffects": {
            "id": f"sfx-{i}",
            "name": f"Transition {i + 1}",
            "kind": "soundFx",
            "startTime": start,
            "duration": 0.5,
            "volume": 0.4,
            "effectAssetId": f"effect-{i}",
        },
    }


def timeline(segments: int, nudge: float = 0.0) -> dict[str, Any]:
    """A synthesised timeline of `segments` segments; `nudge` moves the first clip's start."""
    tracks: dict[str, list[dict[str, Any]]] = {
        "visual": [],
        "voice": [],
        "music": [],
        "soundEffects": [],
    }
    start = 0.0
    for i in range(segments):
        seconds = round(6.5 + (i * 37 % 11) / 4, 6)
        for track, clip in _segment_clips(i, start, seconds).items():
            tracks[track].append(clip)
        start = round(start + seconds, 6)
    tracks["music"].append(
        {
            "id": "music-0",
            "name": "Background Score",
            "kind": "music",
            "startTime": 0,
            "duration": start,
            "volume": 0.3,
            "fadeInDuration": 2,
            "fadeOutDuration": 3,
            "musicAssetId": "music-0",
        }
    )
    tracks["visual"][0]["startTime"] = nudge
    return {
        "id": "timeline-bench",
        "name": "Timeline",
        "duration": start,
        "assemblyStrategy": "speed-adjustment",
        "tracks": tracks,
    }


def _stored(title: str, segments: int, nudge: float) -> str:
    """The sections as the API stores them (validated and normalised), as compact JSON."""
    patch = LecturePatch.model_validate({"title": title, "timeline": timeline(segments, nudge)})
    return json.dumps(patch.sections(), separators=(",", ":"), sort_keys=True)


def payload(size_kb: int) -> Payload:
    """The smallest lecture of this shape whose sections weigh at least `size_kb` KB."""
    segments = 1
    while len(_stored("Bench lecture", segments, 0.0)) < size_kb * 1000:
        segments += max(1, segments // 8)
    return Payload(
        size_kb=size_kb,
        segments=segments,
        a=_stored("Bench lecture", segments, 0.0),
        b=_stored("Bench lecture (edited)", segments, 0.25),
    )
