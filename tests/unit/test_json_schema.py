"""The published lecture JSON Schema is current, and valid documents validate."""

from __future__ import annotations

from pathlib import Path

from tutopanda.models.json_schema import lecture_json_schema, lecture_json_schema_text

PUBLISHED = Path(__file__).resolve().parents[2] / "docs" / "lecture.schema.json"


def test_published_schema_is_current() -> None:
    assert PUBLISHED.read_text("utf-8") == lecture_json_schema_text(), (
        "docs/lecture.schema.json is stale: run `make json-schema` and commit it"
    )


def test_schema_describes_every_section() -> None:
    definitions = lecture_json_schema()["$defs"]
    patch = definitions["LecturePatch"]["properties"]
    assert set(patch) == {
        "title",
        "summary",
        "script",
        "images",
        "videos",
        "narration",
        "music",
        "effects",
        "timeline",
    }
    assert definitions["LecturePatch"]["additionalProperties"] is False
    assert definitions["ImageAsset"].get("additionalProperties", True) is True
    assert "startTime" in definitions["VoiceClip"]["properties"]
