"""Step `regenerate`: one asset made again with the run's settings, keeping its id — a proposal
the owner accepts or rejects (it is not written to the lecture by the step)."""

from __future__ import annotations

import hashlib
from typing import Any

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput
from tutopanda.workers.generators.media import narration_seconds

# Per asset kind: the field a person's new prompt replaces.
PROMPT_FIELDS = {
    "image": "prompt",
    "narration": "finalScript",
    "music": "prompt",
    "video": "movieDirections",
}


def _asset_reference(step: StepInput) -> tuple[str, str, str]:
    reference = step.context.get("asset")
    if not isinstance(reference, dict):
        raise StepFailed("a regeneration run names the asset it regenerates")
    kind, section, asset_id = (str(reference.get(k, "")) for k in ("kind", "section", "id"))
    if kind not in PROMPT_FIELDS:
        raise StepFailed(f"{kind!r} assets cannot be regenerated")
    return kind, section, asset_id


def _seed(step: StepInput) -> int:
    """A new generation: seeded by the run, so each regeneration differs from the last."""
    return int.from_bytes(hashlib.sha256(step.run_id.encode()).digest()[:4], "big")


def _with_settings(kind: str, asset: dict[str, Any], step: StepInput) -> dict[str, Any]:
    settings = step.settings
    if kind == "image":
        image = settings.image
        return asset | {
            "model": image.model,
            "aspectRatio": image.aspect_ratio,
            "size": image.size,
            "style": image.style,
            "format": image.format,
        }
    if kind == "narration":
        voice = settings.narration
        text = str(asset.get("finalScript", ""))
        return asset | {
            "model": voice.model,
            "voice": voice.voice,
            "language": settings.general.language,
            "duration": narration_seconds(text, step.speaking_rate_wpm),
        }
    if kind == "music":
        return asset | {"model": settings.music.model}
    return asset | {"model": settings.video.model, "resolution": settings.video.resolution}


async def regenerate_asset(step: StepInput) -> StepOutput:
    """The asset named by the run, generated again: the person's new prompt (if any) and the
    run's settings, same id, status `generated`; proposed, not written."""
    kind, section, asset_id = _asset_reference(step)
    current = next(
        (a for a in step.section(section) or [] if isinstance(a, dict) and a.get("id") == asset_id),
        None,
    )
    if current is None:
        raise StepFailed(f"the lecture has no {kind} asset {asset_id}")
    await step.report(f"Regenerating {kind} {asset_id}", 0.0)
    proposal = dict(current)
    prompt = step.context.get("assetPrompt")
    if isinstance(prompt, str):
        proposal[PROMPT_FIELDS[kind]] = prompt
    proposal = _with_settings(kind, proposal, step) | {
        "id": asset_id,
        "status": "generated",
        "seed": _seed(step),
    }
    proposal.pop("error", None)
    await step.report(f"{kind.capitalize()} {asset_id} generated; waiting for review", 1.0)
    return StepOutput(sections={}, summary={"asset": asset_id, "kind": kind}, proposal=proposal)
