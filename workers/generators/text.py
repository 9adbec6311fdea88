"""Deterministic lecture text: a topic, its aspects, and sentences of a target length."""

from __future__ import annotations

import random
import re

ASPECTS = (
    "where it all began",
    "the key ideas",
    "the people involved",
    "a turning point",
    "how it worked in practice",
    "everyday life around it",
    "what changed because of it",
    "common misconceptions",
    "its lasting legacy",
    "questions that remain open",
)
TONE = {
    "Kids": ("Imagine", "Isn't that amazing?", "simple words"),
    "Young Adults": ("Picture this:", "That changed everything.", "clear, lively language"),
    "Adults": ("Consider", "The consequences were lasting.", "a documentary voice"),
    "Academic": ("Historians note that", "The evidence remains debated.", "precise terms"),
    "Enthusiast/Niche": ("Dig a little deeper:", "Details like this matter.", "insider detail"),
}
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
_FILLERS = (
    "{opener} {topic}, and in particular {aspect}.",
    "To understand {topic}, we start from {aspect}.",
    "This part of the story shows {aspect} in a new light.",
    "Small details here explain much of what followed.",
    "Keep this in mind as we move on.",
    "{closer}",
)


def topic_of(prompt: str) -> str:
    """The prompt as a topic: one line, no surrounding punctuation, at most 200 characters."""
    topic = re.sub(r"\s+", " ", prompt).strip().strip(".!?;:")
    return topic[:200] or "the topic"


def title_of(topic: str) -> str:
    """A short title (3 to 5 words, as the original app asks its model for)."""
    words = [w for w in re.findall(r"[\w'-]+", topic) if len(w) > 2] or ["Lecture"]
    chosen = words[:5]
    while len(chosen) < 3:
        chosen.append(("Explained", "Today")[len(chosen) % 2])
    return " ".join(word[:1].upper() + word[1:] for word in chosen)


def word_count(text: str) -> int:
    """Words as a narrator speaks them."""
    return len(re.findall(r"\S+", text))


def narration_text(
    topic: str, aspect: str, audience: str, target_words: int, rng: random.Random
) -> str:
    """Sentences about `aspect` of `topic` until about `target_words` words."""
    opener, closer, _ = TONE.get(audience, TONE["Adults"])
    sentences: list[str] = []
    templates = list(_FILLERS)
    while word_count(" ".join(sentences)) < target_words:
        template = templates[len(sentences) % len(templates)]
        if len(sentences) >= len(templates):
            template = rng.choice(templates[1:5])
        sentences.append(template.format(opener=opener, topic=topic, aspect=aspect, closer=closer))
    return " ".join(sentences)
