"""Step `script`: title, summary and narrated segments from the prompt and the options."""

from __future__ import annotations

from tutopanda.workers.generators.base import StepInput, StepOutput
from tutopanda.workers.generators.text import (
    MUSIC_CUES,
    SOUND_CUES,
    narration_text,
    summary_text,
    title_of,
    topic_of,
)


async def generate_script(step: StepInput) -> StepOutput:
    """About `general.duration` seconds of narration in segments of `narration.segmentLength`,
    in `general.language`, worded for `general.audience`."""
    general = step.settings.general
    total_seconds = int(general.duration)
    segment_seconds = int(step.settings.narration.segment_length)
    count = max(1, round(total_seconds / segment_seconds))
    target_words = max(5, round(segment_seconds * step.speaking_rate_wpm / 60))
    topic = topic_of(step.prompt)
    rng = step.rng()
    await step.report("Writing the lecture script", 0.0)
    segments = []
    for i in range(count):
        await step.report_item("Writing script segment", i + 1, count)
        text = narration_text(topic, i, general.audience, general.language, target_words, rng)
        segments.append(
            {
                "narration": text,
                "backgroundMusic": rng.choice(MUSIC_CUES),
                "effect": rng.choice(SOUND_CUES),
            }
        )
    await step.report("Lecture script ready", 1.0)
    return StepOutput(
        sections={
            "title": title_of(topic, general.language),
            "summary": summary_text(
                topic, total_seconds, general.audience, general.language, count
            ),
            "script": {"segments": segments},
        },
        summary={"segments": count, "wordsPerSegment": target_words, "language": general.language},
    )
