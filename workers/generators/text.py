"""Deterministic lecture text: a topic, its aspects, and sentences of a target length."""

from __future__ import annotations

import random
import re

from tutopanda.models.project import Audience, Language
from tutopanda.workers.generators.phrases import PHRASES

ASPECTS = PHRASES["en"].aspects  # image and video prompts are written in English
MUSIC_CUES = (
    "soft strings",
    "warm piano",
    "ambient pads",
    "light percussion",
    "solo cello",
    "gentle woodwinds",
    "slow synth swell",
    "acoustic guitar",
)
SOUND_CUES = (
    "distant crowd murmur",
    "wind over hills",
    "turning pages",
    "footsteps on stone",
    "birdsong",
    "clock ticking",
    "waves on a shore",
    "crackling fire",
)


def topic_of(prompt: str) -> str:
    """The prompt as a topic: one line, no surrounding punctuation, at most 200 characters."""
    topic = re.sub(r"\s+", " ", prompt).strip().strip(".!?;:")
    return topic[:200] or "the topic"


def title_of(topic: str, language: Language = "en") -> str:
    """A short title (3 to 5 words, as the original app asks its model for)."""
    words = [w for w in re.findall(r"[\w'-]+", topic) if len(w) > 2] or ["Lecture"]
    chosen = words[:5]
    fill = PHRASES[language].title_fill
    while len(chosen) < 3:
        chosen.append(fill[(len(chosen) + 1) % 2])
    return " ".join(word[:1].upper() + word[1:] for word in chosen)


def word_count(text: str) -> int:
    """Words as a narrator speaks them (punctuation standing alone is not a word)."""
    return len(re.findall(r"\S*\w\S*", text))


def aspect_of(segment: int, language: Language = "en") -> str:
    """What segment `segment` is about, in `language`."""
    aspects = PHRASES[language].aspects
    return aspects[segment % len(aspects)]


def narration_text(  # noqa: PLR0917
    topic: str,
    segment: int,
    audience: Audience,
    language: Language,
    target_words: int,
    rng: random.Random,
) -> str:
    """The audience's opening and closing sentences in `language`, about aspect `segment` of
    `topic`, with body sentences between them while they bring it closer to `target_words`."""
    phrases = PHRASES[language]
    aspect = aspect_of(segment, language)
    opening, closing = phrases.tones[audience]
    sentences = [opening.format(topic=topic, aspect=aspect)]
    words = word_count(sentences[0]) + word_count(closing)
    while True:
        n = len(sentences) - 1
        body = phrases.body
        sentence = (body[n] if n < len(body) else rng.choice(body)).format(aspect=aspect)
        more = word_count(sentence)
        if abs(words + more - target_words) >= abs(words - target_words):
            break
        sentences.append(sentence)
        words += more
    return " ".join([*sentences, closing])


def summary_text(
    topic: str, seconds: int, audience: Audience, language: Language, segments: int
) -> str:
    """The lecture summary in `language`: length, audience and the first aspects covered."""
    phrases = PHRASES[language]
    aspects = ", ".join(aspect_of(i, language) for i in range(min(segments, 4)))
    return phrases.summary.format(
        seconds=seconds, topic=topic, audience=phrases.audiences[audience], aspects=aspects
    )
