"""Lecture content, the partial update an editor sends, and what the store answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue, field_validator

from tutopanda.models.assets import (
    ImageAsset,
    MusicAsset,
    NarrationAsset,
    SoundEffectAsset,
    VideoAsset,
)
from tutopanda.models.base import CheckedModel, WireModel, stored_json
from tutopanda.models.script import LectureScript
from tutopanda.models.timeline import Timeline

SECTION_NAMES = (
    "title",
    "summary",
    "script",
    "images",
    "videos",
    "narration",
    "music",
    "effects",
    "timeline",
)
ARRAY_SECTIONS = ("images", "videos", "narration", "music", "effects")

Title = Annotated[str, Field(min_length=1, max_length=500)]
Summary = Annotated[str, Field(max_length=100_000)]


class LecturePatch(CheckedModel):
    """Some sections of a lecture, as the editor's auto-save sends its dirty fields.

    A key that is present is written (null clears the section); absent keys are left alone.
    """

    title: Title | None = None
    summary: Summary | None = None
    script: LectureScript | None = None
    images: Annotated[list[ImageAsset], Field(max_length=10_000)] | None = None
    videos: Annotated[list[VideoAsset], Field(max_length=10_000)] | None = None
    narration: Annotated[list[NarrationAsset], Field(max_length=10_000)] | None = None
    music: Annotated[list[MusicAsset], Field(max_length=10_000)] | None = None
    effects: Annotated[list[SoundEffectAsset], Field(max_length=10_000)] | None = None
    timeline: Timeline | None = None

    @field_validator("title")
    @classmethod
    def _title_is_not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("title cannot be null")
        return value

    def sections(self) -> dict[str, JsonValue]:
        """The sections that were sent, in their stored (camelCase JSON) form."""
        stored: dict[str, JsonValue] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            stored[name] = _stored_form(value)
        return stored


def _stored_form(value: Any) -> JsonValue:
    if isinstance(value, WireModel):
        dumped: JsonValue = stored_json(value)
        return dumped
    if isinstance(value, list):
        return [_stored_form(item) for item in value]
    return value  # type: ignore[no-any-return]


class LectureContent(WireModel):
    """All sections of a lecture, normalised: list sections are never null."""

    title: str
    summary: str | None = None
    script: LectureScript | None = None
    images: list[ImageAsset] = Field(default_factory=list)
    videos: list[VideoAsset] = Field(default_factory=list)
    narration: list[NarrationAsset] = Field(default_factory=list)
    music: list[MusicAsset] = Field(default_factory=list)
    effects: list[SoundEffectAsset] = Field(default_factory=list)
    timeline: Timeline | None = None

    @field_validator(*ARRAY_SECTIONS, mode="before")
    @classmethod
    def _null_list_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value


class LectureSnapshot(LectureContent):
    """A lecture as the editor reads it: its content plus identity and revision."""

    id: int
    project_id: int
    revision: int
    updated_at: datetime


class SaveResult(WireModel):
    """The answer to a save: `saved` with the new revision, or `conflict` with the latest state.

    A save that changes nothing is `saved` at the current revision with no changed sections.
    """

    status: Literal["saved", "conflict"]
    revision: int
    updated_at: datetime
    changed_sections: list[str]
    lecture: LectureSnapshot | None = None
