"""Projects and their lecture options (`LectureConfig` of the original app)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, JsonValue, create_model

from tutopanda.models.assets import ImageStyle
from tutopanda.models.base import (
    WHOLE_FLOATS_ARE_INTS,
    AspectRatio,
    CheckedModel,
    PassthroughModel,
    Text,
    WireModel,
)
from tutopanda.models.members import Role
from tutopanda.models.timeline import AssemblyStrategy

Language = Literal["en", "es", "fr", "de", "tr"]
Audience = Literal["Kids", "Young Adults", "Adults", "Academic", "Enthusiast/Niche"]
ModelName = Annotated[str, Field(min_length=1, max_length=200)]
ImagesPerSegment = Annotated[int, Field(ge=1, le=2), WHOLE_FLOATS_ARE_INTS]


class GeneralConfig(PassthroughModel):
    """Length (seconds, as a string), audience and language of the lecture."""

    duration: Literal["30", "60", "180", "600"] = "60"
    audience: Audience = "Adults"
    use_subtitles: bool = False
    language: Language = "en"
    subtitle_language: Text | None = None
    use_video: bool = False


class ResearchConfig(PassthroughModel):
    """The model that writes the script."""

    model: ModelName = "gpt-5"
    reasoning_effort: Literal["minimal", "low", "medium", "high"] = "medium"
    reasoning_summary: Literal["auto", "concise", "detailed"] = "detailed"


class ImageConfig(PassthroughModel):
    """How images are generated."""

    size: Literal["480", "720", "1080"] = "1080"
    aspect_ratio: AspectRatio = "16:9"
    images_per_segment: ImagesPerSegment = 1
    style: ImageStyle = "Ghibli"
    format: Literal["JPG", "PNG"] = "PNG"
    model: ModelName = "bytedance/seedream-4"


class VideoConfig(PassthroughModel):
    """How video segments are generated (when general.useVideo)."""

    model: ModelName = "bytedance/seedance-1-lite"
    image_model: ModelName | None = None
    resolution: Literal["480p", "720p", "1080p"] = "480p"
    duration: Literal["5", "10"] = "10"
    timeline_assembly_strategy: AssemblyStrategy | None = "speed-adjustment"


class NarrationConfig(PassthroughModel):
    """Voice and approximate seconds of narration per segment."""

    segment_length: Literal["10", "15"] = "15"
    voice: ModelName = "English_CaptivatingStoryteller"
    model: ModelName = "minimax/speech-02-hd"
    emotion: Text | None = None


class MusicConfig(PassthroughModel):
    """The music model."""

    model: ModelName = "stability-ai/stable-audio-2.5"


class SoundEffectsConfig(PassthroughModel):
    """The sound-effects model."""

    model: ModelName = "ElevenLabs"


class LectureConfig(PassthroughModel):
    """Project settings: every option has the original app's default."""

    general: GeneralConfig = Field(default_factory=GeneralConfig)
    research: ResearchConfig = Field(default_factory=ResearchConfig)
    image: ImageConfig = Field(default_factory=ImageConfig)
    video: VideoConfig = Field(default_factory=VideoConfig)
    narration: NarrationConfig = Field(default_factory=NarrationConfig)
    music: MusicConfig = Field(default_factory=MusicConfig)
    sound_effects: SoundEffectsConfig = Field(default_factory=SoundEffectsConfig)


class ProjectCreate(CheckedModel):
    """A new lecture from a prompt: creates its project, the lecture and a generation run."""

    prompt: Annotated[str, Field(min_length=1, max_length=5_000)]
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    settings: LectureConfig = Field(default_factory=LectureConfig)


class CreatedProject(WireModel):
    """Identifiers of what creating a project made."""

    project_id: int
    lecture_id: int
    run_id: str


class LectureListItem(WireModel):
    """A lecture in a project listing."""

    id: int
    title: str
    revision: int
    updated_at: datetime


class ProjectSummary(WireModel):
    """A project the user is a member of (their own or shared with them), with their role and
    its lectures."""

    id: int
    name: str | None
    is_default: bool
    settings: dict[str, JsonValue] | None
    created_at: datetime
    lectures: list[LectureListItem]
    role: Role


class ProjectDetail(WireModel):
    """A project's name and generation settings, at a settings revision."""

    id: int
    name: str | None
    is_default: bool
    settings: dict[str, JsonValue]
    settings_revision: int
    created_at: datetime
    updated_at: datetime


def _partial_group(group: type[BaseModel]) -> type[WireModel]:
    """A settings group with every option optional and no unknown keys: the keys sent replace
    the stored ones, the others stay (`null` only where the option itself may be null)."""
    fields: dict[str, Any] = {
        name: (info.rebuild_annotation(), None) for name, info in group.model_fields.items()
    }
    return create_model(
        f"{group.__name__}Patch", __base__=WireModel, __doc__=group.__doc__, **fields
    )


ProjectSettingsPatch = create_model(  # type: ignore[call-overload]
    "ProjectSettingsPatch",
    __base__=WireModel,
    __doc__="Some settings groups, each with some of its options.",
    **{
        name: (_partial_group(info.annotation), None)  # type: ignore[arg-type]
        for name, info in LectureConfig.model_fields.items()
    },
)


class ProjectUpdate(CheckedModel):
    """A new name and/or settings (merged per group); the settings revision it builds on is the
    request's `If-Match`."""

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    settings: ProjectSettingsPatch | None = None

    def settings_sent(self) -> dict[str, JsonValue]:
        """The groups and options that were sent, in their stored (camelCase JSON) form."""
        if self.settings is None:
            return {}
        dumped: dict[str, JsonValue] = self.settings.model_dump(
            mode="json", by_alias=True, exclude_unset=True
        )
        return dumped
