"""The timeline: four fixed tracks of clips placed in seconds."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from tutopanda.models.base import (
    AssetError,
    AssetStatus,
    FilledDefaults,
    Identifier,
    NonNegative,
    Number,
    PassthroughModel,
    Positive,
    Text,
    UnitInterval,
    WireModel,
)

AssemblyStrategy = Literal["speed-adjustment", "styled-transition"]


class Clip(PassthroughModel):
    """Fields every clip has: placement in seconds and the outcome of its asset."""

    id: Identifier
    name: Text
    start_time: NonNegative
    duration: Positive
    status: AssetStatus | None = None
    error: AssetError | None = None

    @property
    def end_time(self) -> float:
        return float(self.start_time) + float(self.duration)


class KenBurnsClip(Clip):
    """A still image with a pan/zoom (visual track)."""

    kind: Literal["kenBurns"]
    effect_name: Text | None = None
    image_asset_id: Text | None = None
    image_url: Text | None = None
    start_scale: Number = 1
    end_scale: Number = 1.2
    start_x: Number = 0
    start_y: Number = 0
    end_x: Number = 0
    end_y: Number = 0


class VideoClip(Clip):
    """A generated video (visual track)."""

    kind: Literal["video"]
    video_asset_id: Text | None = None
    video_url: Text | None = None
    volume: UnitInterval | None = None
    original_duration: NonNegative | None = None
    speed_adjustment: Positive | None = None
    transition_type: Literal["freeze-fade", "crossfade", "none"] | None = None
    transition_duration: NonNegative | None = None


class VoiceClip(Clip):
    """Narration audio (voice track)."""

    kind: Literal["voice"]
    narration_asset_id: Text | None = None
    audio_url: Text | None = None
    volume: UnitInterval | None = None


class MusicClip(Clip):
    """Background music (music track)."""

    kind: Literal["music"]
    music_asset_id: Text | None = None
    audio_url: Text | None = None
    volume: UnitInterval | None = None
    fade_in_duration: NonNegative | None = None
    fade_out_duration: NonNegative | None = None


class SoundFxClip(Clip):
    """A sound effect (soundEffects track)."""

    kind: Literal["soundFx"]
    effect_asset_id: Text | None = None
    audio_url: Text | None = None
    volume: UnitInterval | None = None


VisualClip = Annotated[KenBurnsClip | VideoClip, Field(discriminator="kind")]


class TimelineTracks(WireModel, FilledDefaults):
    """The four tracks; a missing track is empty."""

    visual: list[VisualClip] = Field(default_factory=list)
    voice: list[VoiceClip] = Field(default_factory=list)
    music: list[MusicClip] = Field(default_factory=list)
    sound_effects: list[SoundFxClip] = Field(default_factory=list)

    def all_clips(self) -> list[Clip]:
        return [*self.visual, *self.voice, *self.music, *self.sound_effects]


class Timeline(WireModel, FilledDefaults):
    """The `timeline` section. Like the original app, `duration` is always recomputed."""

    id: Identifier = "timeline"
    name: Text = "Timeline"
    duration: NonNegative = 0
    tracks: TimelineTracks = Field(default_factory=TimelineTracks)
    assembly_strategy: AssemblyStrategy | None = None

    @model_validator(mode="after")
    def _duration_is_the_last_clip_end(self) -> Timeline:
        self.duration = last_clip_end(self.tracks.all_clips())
        return self


def last_clip_end(clips: Iterable[Any]) -> float:
    """When the last of `clips` ends (0 without clips), to the microsecond: a timeline's duration
    (tutopanda.models.structs computes it with this too). ValueError when that is beyond the
    largest number JSON and PostgreSQL hold (a start of 1e308 and a duration of 1e308)."""
    try:
        ends = [float(clip.start_time) + float(clip.duration) for clip in clips]
        end = round(max(ends, default=0.0), 6)
    except OverflowError:  # an integer beyond the largest float
        end = math.inf
    if not math.isfinite(end):
        raise ValueError("a clip ends beyond the largest number a timeline's duration can be")
    return end
