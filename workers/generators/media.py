"""Steps `image_prompts`, `narration` and `music`: assets described, timed, not rendered."""

from __future__ import annotations

from typing import Any

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput
from tutopanda.workers.generators.text import ASPECTS, topic_of, word_count

MIN_NARRATION_SECONDS = 1.0


def _segments(step: StepInput) -> list[dict[str, Any]]:
    script = step.section("script")
    segments = script.get("segments") if isinstance(script, dict) else None
    if not segments:
        raise StepFailed(f"step {step.step_name} needs a script; the lecture has none")
    return list(segments)


def _height(width: int, aspect_ratio: str) -> int:
    across, down = (int(part) for part in aspect_ratio.split(":"))
    return round(width * down / across)


def _image_prompt(segment: int, image: int, topic: str, first_sentence: str) -> str:
    aspect = ASPECTS[segment % len(ASPECTS)].capitalize()
    view = "" if image == 0 else f" (view {image + 1})"
    return f"{aspect} of {topic}: {first_sentence}{view}"


async def generate_image_prompts(step: StepInput) -> StepOutput:
    """`image.imagesPerSegment` image prompts per script segment, in the project's style."""
    image = step.settings.image
    topic = topic_of(step.prompt)
    images = []
    for i, segment in enumerate(_segments(step)):
        first_sentence = str(segment.get("narration", "")).split(". ")[0].strip(". ")
        for j in range(image.images_per_segment):
            label = (
                f"Segment {i + 1}"
                if image.images_per_segment == 1
                else (f"Segment {i + 1} Image {j + 1}")
            )
            images.append(
                {
                    "id": f"img-{step.run_id}-{i}-{j}",
                    "label": label,
                    "prompt": _image_prompt(i, j, topic, first_sentence),
                    "model": image.model,
                    "aspectRatio": image.aspect_ratio,
                    "width": 1024,
                    "height": _height(1024, image.aspect_ratio),
                    "size": image.size,
                    "style": image.style,
                }
            )
    return StepOutput(sections={"images": images}, summary={"images": len(images)})


def narration_seconds(text: str, words_per_minute: float) -> float:
    """How long `text` takes to say at `words_per_minute` (at least one second)."""
    return max(MIN_NARRATION_SECONDS, round(word_count(text) * 60 / words_per_minute, 2))


async def generate_narration(step: StepInput) -> StepOutput:
    """One narration asset per segment, its duration from the word count and speaking rate."""
    voice = step.settings.narration
    narration = []
    for i, segment in enumerate(_segments(step)):
        text = str(segment.get("narration", ""))
        asset: dict[str, Any] = {
            "id": f"narration-{step.run_id}-{i}",
            "label": f"Segment {i + 1}",
            "finalScript": text,
            "model": voice.model,
            "voice": voice.voice,
            "language": step.settings.general.language,
            "duration": narration_seconds(text, step.speaking_rate_wpm),
        }
        if voice.emotion:
            asset["emotion"] = voice.emotion
        narration.append(asset)
    total = round(sum(a["duration"] for a in narration), 2)
    return StepOutput(
        sections={"narration": narration}, summary={"segments": len(narration), "seconds": total}
    )


async def generate_music(step: StepInput) -> StepOutput:
    """One background score as long as the whole narration."""
    narration = step.section("narration")
    if not narration:
        raise StepFailed("step music needs narration; the lecture has none")
    seconds = round(sum(float(a.get("duration") or 0) for a in narration), 2)
    cues = [str(s.get("backgroundMusic", "")) for s in _segments(step)]
    distinct = list(dict.fromkeys(c for c in cues if c))
    music = {
        "id": f"music-{step.run_id}",
        "label": "Background Score",
        "prompt": f"Background score for a lecture on {topic_of(step.prompt)}: "
        + ", then ".join(distinct[:4]),
        "duration": seconds,
    }
    return StepOutput(sections={"music": [music]}, summary={"seconds": seconds})
