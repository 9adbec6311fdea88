"""The lecture script: narrated segments, identified by their position."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tutopanda.models.base import PassthroughModel, WireModel

NonEmptyText = Annotated[str, Field(min_length=1, max_length=100_000)]


class LectureSegment(PassthroughModel):
    """One segment: the text spoken, a music cue and a sound-effect description."""

    narration: NonEmptyText
    background_music: NonEmptyText
    effect: NonEmptyText


class LectureScript(WireModel):
    """The stored script (`script` section)."""

    segments: Annotated[list[LectureSegment], Field(min_length=1, max_length=10_000)]
