"""Step `script`: title, summary and narrated segments from the prompt and the options."""

from __future__ import annotations

from tutopanda.workers.generators.base import StepInput, StepOutput
from tutopanda.workers.generators.text import (
    ASPECTS,
    MUSIC_CUES,
    SOUND_CUES,
    narration_text,
    title_of,
    topic_of,
)


async def generate_script(step: StepInput) -> StepOutput:
    """About `general.duration` seconds of narration in segments of `narration.segmentLength`."""
    settings = step.settings
    total_seconds = int(settings.general.duration)
    segment_seconds = int(settings.narration.segment_length)
    count = max(1, round(total_seconds / segment_seconds))
    target_words = max(5, round(segment_seconds * step.speaking_rate_wpm / 60))
    topic = topic_of(step.prompt)
    rng = step.rng()
    segments = [
        {
            "narration": narration_text(
                topic, ASPECTS[i % len(ASPECTS)], settings.general.audience, target_words, rng
            ),
            "backgroundMusic": rng.choice(MUSIC_CUES),
            "effect": rng.choice(SOUND_CUES),
        }
        for i in range(count)
    ]
    aspects = ", ".join(ASPECTS[i % len(ASPECTS)] for i in range(min(count, 4)))
    summary = (
        f"A {total_seconds}-second lecture on {topic} for {settings.general.audience} "
        f"audiences, covering {aspects}."
    )
    return StepOutput(
        sections={"title": title_of(topic), "summary": summary, "script": {"segments": segments}},
        summary={"segments": count, "wordsPerSegment": target_words},
    )
