"""Step `effects`: a pan/zoom (Ken Burns) move and a transition for every image."""

from __future__ import annotations

import random
import re
from typing import Any

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput

# name: (startScale, endScale, startX, startY, endX, endY); X/Y are pixel-like offsets.
KEN_BURNS_PRESETS: dict[str, tuple[float, float, float, float, float, float]] = {
    "portraitZoomIn": (1.0, 1.2, 0, 0, 0, 0),
    "portraitZoomOut": (1.2, 1.0, 0, 0, 0, 0),
    "landscapePanLeft": (1.1, 1.3, 60, 0, -60, 0),
    "landscapePanRight": (1.1, 1.3, -60, 0, 60, 0),
    "architectureRise": (1.2, 1.0, 0, 50, 0, -50),
    "architectureDescend": (1.0, 1.2, 0, -50, 0, 50),
    "dramaticZoomIn": (1.0, 1.5, 0, 0, 0, 0),
    "dramaticZoomOut": (1.5, 1.0, 0, 0, 0, 0),
    "zoomInPanLeft": (1.0, 1.3, 40, 0, -40, 0),
    "zoomInPanRight": (1.0, 1.3, -40, 0, 40, 0),
    "zoomInPanUp": (1.0, 1.3, 0, 40, 0, -40),
    "zoomInPanDown": (1.0, 1.3, 0, -40, 0, 40),
    "diagonalZoomInUpRight": (1.0, 1.3, -40, 40, 40, -40),
    "diagonalZoomInDownLeft": (1.0, 1.3, 40, -40, -40, 40),
    "technicalSubtleZoom": (1.0, 1.15, 0, 0, 0, 0),
    "technicalPanRight": (1.05, 1.15, -30, 0, 30, 0),
    "energeticReveal": (1.4, 1.0, 0, 0, 0, 0),
}
CATEGORY_KEYWORDS = {
    "action": ("battle", "war", "race", "fight", "storm", "attack", "explosion", "charge"),
    "technical": ("machine", "engine", "diagram", "computer", "circuit", "code", "chart", "cell"),
    "architecture": ("building", "temple", "city", "tower", "castle", "bridge", "road", "wall"),
    "landscape": ("mountain", "river", "sea", "valley", "forest", "desert", "field", "coast"),
    "portrait": ("person", "people", "king", "queen", "emperor", "face", "leader", "scientist"),
}
CATEGORY_PRESETS = {
    "action": ("dramaticZoomIn", "energeticReveal", "diagonalZoomInUpRight", "zoomInPanRight"),
    "technical": ("technicalSubtleZoom", "technicalPanRight", "zoomInPanUp"),
    "architecture": ("architectureRise", "architectureDescend", "zoomInPanUp"),
    "landscape": ("landscapePanLeft", "landscapePanRight", "zoomInPanLeft", "dramaticZoomOut"),
    "portrait": ("portraitZoomIn", "portraitZoomOut", "zoomInPanDown"),
    "general": tuple(KEN_BURNS_PRESETS),
}
TRANSITION_SECONDS = 0.5
SEGMENT_OF = {  # the segment an asset id names, as the original's assembler reads it
    "images": re.compile(r"-(\d+)-\d+$"),
    "videos": re.compile(r"-(\d+)$"),
}


def category_of(prompt: str) -> str:
    """Which kind of picture a prompt describes, by its words."""
    words = prompt.lower()
    for category, keywords in CATEGORY_KEYWORDS.items():
        if any(keyword in words for keyword in keywords):
            return category
    return "general"


def choose_preset(prompt: str, previous: str | None, rng: random.Random) -> str:
    """A preset of the prompt's category, never the same as the previous clip's."""
    pool = [name for name in CATEGORY_PRESETS[category_of(prompt)] if name != previous]
    return rng.choice(pool or list(KEN_BURNS_PRESETS))


def ken_burns_fields(preset: str) -> dict[str, Any]:
    """The clip fields of a preset, named as the editor's kenBurns clips name them."""
    start_scale, end_scale, start_x, start_y, end_x, end_y = KEN_BURNS_PRESETS[preset]
    return {
        "effectName": preset,
        "startScale": start_scale,
        "endScale": end_scale,
        "startX": start_x,
        "startY": start_y,
        "endX": end_x,
        "endY": end_y,
    }


def _image_effect(step: StepInput, n: int, image: dict[str, Any], preset: str) -> dict[str, Any]:
    return {
        "id": f"effect-{image['id']}",
        "label": f"{image.get('label') or 'Image ' + str(n + 1)} motion",
        "category": "pan-zoom",
        "imageAssetId": image["id"],
        "transition": "crossfade" if n else "none",
        "transitionDuration": TRANSITION_SECONDS if n else 0,
        "model": step.settings.sound_effects.model,
        **ken_burns_fields(preset),
    }


def _video_effect(step: StepInput, n: int, video: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"effect-{video['id']}",
        "label": f"{video.get('label') or 'Video ' + str(n + 1)} sound",
        "category": "sound",
        "videoAssetId": video["id"],
        "transition": "crossfade" if n else "none",
        "transitionDuration": TRANSITION_SECONDS if n else 0,
        "model": step.settings.sound_effects.model,
    }


async def generate_effects(step: StepInput) -> StepOutput:
    """One effect per visual: for an image its Ken Burns move, for a video (`general.useVideo`)
    none; each with a crossfade in and its segment's sound cue for `soundEffects.model`."""
    kind = "videos" if step.settings.general.use_video else "images"
    visuals = [v for v in step.section(kind) if isinstance(v, dict) and "id" in v]
    if not visuals:
        raise StepFailed(f"step effects needs {kind}; the lecture has none")
    script = step.section("script") or {}
    cues = [str(s.get("effect", "")) for s in script.get("segments", [])]
    per_segment = 1 if kind == "videos" else step.settings.image.images_per_segment
    pattern = SEGMENT_OF[kind]
    rng = step.rng()
    effects: list[dict[str, Any]] = []
    previous: str | None = None
    for n, visual in enumerate(visuals):
        await step.report_item("Choosing effects", n + 1, len(visuals))
        if kind == "videos":
            effect = _video_effect(step, n, visual)
        else:
            previous = choose_preset(str(visual.get("prompt", "")), previous, rng)
            effect = _image_effect(step, n, visual, previous)
        match = pattern.search(str(visual["id"]))
        segment = int(match.group(1)) if match else n // per_segment
        effects.append(effect | {"prompt": cues[segment % len(cues)] if cues else ""})
    await step.report("Effects chosen successfully", 1.0)
    return StepOutput(sections={"effects": effects}, summary={"effects": len(effects)})
