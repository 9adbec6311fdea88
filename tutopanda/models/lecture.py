"""Lecture content, the partial update an editor sends, and what the store answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Optional, Protocol, get_origin

from pydantic import Field, JsonValue, create_model, model_validator

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

Title = Annotated[str, Field(min_length=1, max_length=500)]
Summary = Annotated[str, Field(max_length=100_000)]
MAX_ITEMS = 10_000  # assets per list section


class LectureContent(WireModel):
    """All sections of a lecture, normalised (list sections are never null).

    THE list of sections in Python, in stored order, with each section's type: LecturePatch,
    SECTION_NAMES, ARRAY_SECTIONS, the generators and docs/lecture.schema.json derive from it, and
    tests/db/test_sections.py checks it against SQL's app.lecture_sections() and the table.
    A required field is a section that cannot be cleared (null); a list field is an array section.
    """

    title: Title
    summary: Summary | None = None
    script: LectureScript | None = None
    images: Annotated[list[ImageAsset], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    videos: Annotated[list[VideoAsset], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    narration: Annotated[list[NarrationAsset], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )
    music: Annotated[list[MusicAsset], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    effects: Annotated[list[SoundEffectAsset], Field(max_length=MAX_ITEMS)] = Field(
        default_factory=list
    )
    timeline: Timeline | None = None

    @model_validator(mode="before")
    @classmethod
    def _null_list_is_empty(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {
                key: [] if value is None and key in ARRAY_SECTIONS else value
                for key, value in data.items()
            }
        return data


SECTION_NAMES: tuple[str, ...] = tuple(LectureContent.model_fields)
ARRAY_SECTIONS: frozenset[str] = frozenset(
    name
    for name, info in LectureContent.model_fields.items()
    if get_origin(info.annotation) is list
)
# Sections that always have a value: an auto-save may change them but not clear them.
REQUIRED_SECTIONS: frozenset[str] = frozenset(
    name for name, info in LectureContent.model_fields.items() if info.is_required()
)


def _optional_sections() -> dict[str, Any]:
    """Every section of LecturePatch: optional (absent = not sent); null clears it, except for a
    required section, whose schema is its own (not nullable) with no default shown."""
    return {
        name: (info.rebuild_annotation(), Field(None, json_schema_extra=_no_default))
        if name in REQUIRED_SECTIONS
        else (Optional[info.rebuild_annotation()], None)  # noqa: UP045 (a runtime type)
        for name, info in LectureContent.model_fields.items()
    }


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


_SectionFields = create_model("LecturePatchSections", __base__=CheckedModel, **_optional_sections())


class StoredSections(Protocol):
    """Sections to store: what a save writes (a LecturePatch, or a body checked elsewhere by the
    same rules, api/save_body.py)."""

    def sections(self) -> dict[str, JsonValue]:
        """The sections, in their stored (camelCase JSON) form."""
        ...

    def stored_text(self) -> str:
        """`sections()` as JSON text."""
        ...


class LecturePatch(_SectionFields):
    """Some sections of a lecture, as the editor's auto-save sends its dirty fields.

    A key that is present is written (null clears the section); absent keys are left alone.
    """

    def sections(self) -> dict[str, JsonValue]:
        """The sections that were sent, in their stored (camelCase JSON) form."""
        return {name: _stored_form(getattr(self, name)) for name in self.model_fields_set}

    def stored_text(self) -> str:
        """`sections()` as JSON text, encoded by pydantic's serializer (no Python walk)."""
        return self.model_dump_json(by_alias=True, exclude_unset=True)


def _stored_form(value: Any) -> JsonValue:
    if isinstance(value, WireModel):
        dumped: JsonValue = stored_json(value)
        return dumped
    if isinstance(value, list):
        return [_stored_form(item) for item in value]
    return value  # type: ignore[no-any-return]


class LectureSnapshot(LectureContent):
    """A lecture as the editor reads it: its content plus identity and revision."""

    id: int
    project_id: int
    revision: int
    updated_at: datetime


class SaveResult(WireModel):
    """The answer to a save: `saved` with the new revision, or `conflict` with the latest state.

    A save that changes nothing is `saved` at the current revision with no changed sections.
    A conflict keeps the refused sections as a draft (`draft_id`) and, when asked (a merge),
    brings back the content of the revision the save was based on (`base`).
    """

    status: Literal["saved", "conflict"]
    revision: int
    updated_at: datetime
    changed_sections: list[str]
    lecture: LectureSnapshot | None = None
    draft_id: int | None = None
    base: dict[str, Any] | None = None
    # The latest snapshot as stored (what a merge compares), beside its validated form `lecture`.
    latest: dict[str, Any] | None = Field(default=None, exclude=True)
    # After a merge: the revision it was merged onto (saved) or the conflicting JSON paths.
    merged_onto: int | None = None
    conflicts: list[dict[str, Any]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _keep_the_stored_snapshot(cls, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and isinstance(data.get("lecture"), dict)
            and "latest" not in data
        ):
            return {**data, "latest": data["lecture"]}
        return data
