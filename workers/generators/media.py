"""Steps `narration` and `music`: audio assets described and timed with their settings, not
rendered."""

from __future__ import annotations

from typing import Any

from tutopanda.workers.generators.base import StepFailed, StepInput, StepOutput
from tutopanda.workers.generators.text import topic_of, word_count
from tutopanda.workers.generators.visuals import script_segments

MIN_NARRATION_SECONDS = 1.0


def narration_seconds(text: str, words_per_minute: float) -> float:
    """How long `text` takes to say at `words_per_minute` (at least one second)."""
    return max(MIN_NARRATION_SECONDS, round(word_count(text) * 60 / words_per_minute, 2))


async def generate_narration(step: StepInput) -> StepOutput:
    """One narration asset per segment with the narration settings and the lecture's language,
    its duration from the word count and speaking rate."""
    voice = step.settings.narration
    segments = script_segments(step)
    narration = []
    for i, segment in enumerate(segments):
        await step.report_item("Generating narration", i + 1, len(segments))
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
    await step.report("Narration generated successfully", 1.0)
    total = round(sum(a["duration"] for a in narration), 2)
    return StepOutput(
        sections={"narration": narration}, summary={"segments": len(narration), "seconds": total}
    )


async def generate_music(step: StepInput) -> StepOutput:
    """One background score as long as the whole narration, for `music.model`."""
    narration = step.section("narration")
    if not narration:
        raise StepFailed("step music needs narration; the lecture has none")
    await step.report("Generating background music", 0.0)
    seconds = round(sum(float(a.get("duration") or 0) for a in narration), 2)
    cues = [str(s.get("backgroundMusic", "")) for s in script_segments(step)]
    distinct = list(dict.fromkeys(c for c in cues if c))
    music = {
        "id": f"music-{step.run_id}",
        "label": "Background Score",
        "prompt": f"Background score for a lecture on {topic_of(step.prompt)}: "
        + ", then ".join(distinct[:4]),
        "model": step.settings.music.model,
        "duration": seconds,
    }
    await step.report("Background music generated successfully", 1.0)
    return StepOutput(sections={"music": [music]}, summary={"seconds": seconds})
