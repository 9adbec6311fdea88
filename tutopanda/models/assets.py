"""Generated assets: images, videos, narration, music and sound effects (passthrough objects)."""

from __future__ import annotations

from typing import Literal

from tutopanda.models.base import (
    AspectRatio,
    AssetError,
    AssetStatus,
    Identifier,
    NonNegative,
    Number,
    PassthroughModel,
    Text,
)

ImageStyle = Literal["Ghibli", "Pixar", "Anime", "Watercolor", "Cartoon", "Photorealistic"]


class Asset(PassthroughModel):
    """Fields every asset has."""

    id: Identifier
    label: Text | None = None


class GeneratedAsset(Asset):
    """An asset a provider generates, with its outcome."""

    status: AssetStatus | None = None
    error: AssetError | None = None


class ImageAsset(GeneratedAsset):
    """A still image for a segment (`images` section)."""

    prompt: Text
    model: Text | None = None
    aspect_ratio: AspectRatio | None = None
    width: NonNegative | None = None
    height: NonNegative | None = None
    size: Text | None = None
    style: ImageStyle | None = None
    source_url: Text | None = None


class VideoAsset(GeneratedAsset):
    """A generated video clip for a segment (`videos` section)."""

    segment_start_image_prompt: Text
    movie_directions: Text
    model: Text | None = None
    resolution: Literal["480p", "720p", "1080p"] | None = None
    duration: NonNegative | None = None
    aspect_ratio: AspectRatio | None = None
    video_path: Text | None = None
    starting_image_id: Text | None = None
    starting_image_model: Text | None = None


class NarrationAsset(GeneratedAsset):
    """The spoken audio of a segment (`narration` section); duration in seconds."""

    final_script: Text | None = None
    model: Text | None = None
    voice: Text | None = None
    emotion: Text | None = None
    language: Text | None = None
    duration: NonNegative | None = None
    source_url: Text | None = None


class MusicAsset(GeneratedAsset):
    """The background score (`music` section); note music uses `audioUrl`."""

    prompt: Text | None = None
    duration: NonNegative | None = None
    type: Text | None = None
    audio_url: Text | None = None
    bpm: Number | None = None
    key: Text | None = None


class SoundEffectAsset(Asset):
    """A sound effect (`effects` section); this schema has no status or error."""

    prompt: Text | None = None
    prompt_influence: Number | None = None
    duration: NonNegative | None = None
    audio_url: Text | None = None
    category: Text | None = None
