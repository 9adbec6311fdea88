"""Domain models: the original editor's shapes round-trip; bad input names its field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tutopanda.models.base import MAX_JSON_DEPTH
from tutopanda.models.lecture import LectureContent, LecturePatch

EDITOR_TIMELINE: dict[str, Any] = {
    "id": "timeline-run-1",
    "name": "Timeline",
    "duration": 999,  # recomputed, as the original repository does
    "assemblyStrategy": "speed-adjustment",
    "tracks": {
        "visual": [
            {
                "id": "visual-0-0",
                "name": "Segment 1",
                "kind": "kenBurns",
                "startTime": 0,
                "duration": 7.5,
                "effectName": "portraitZoomIn",
                "imageAssetId": "img-r-0-0",
                "startScale": 1,
                "endScale": 1.2,
                "startX": 0,
                "startY": 0,
                "endX": 0,
                "endY": 0,
            },
            {
                "id": "visual-1",
                "name": "Segment 2",
                "kind": "video",
                "startTime": 7.5,
                "duration": 4.5,
                "videoAssetId": "video-r-1",
                "speedAdjustment": 1.1,
                "volume": 0,
            },
        ],
        "voice": [
            {
                "id": "voice-0",
                "name": "Narration 1",
                "kind": "voice",
                "startTime": 0,
                "duration": 7.5,
                "narrationAssetId": "narration-r-0",
                "volume": 1,
                "customEditorFlag": {"pinned": True},
            },
        ],
        "music": [
            {
                "id": "music-r",
                "name": "Background Score",
                "kind": "music",
                "startTime": 0,
                "duration": 12,
                "volume": 0.3,
                "fadeInDuration": 2,
                "fadeOutDuration": 3,
            },
        ],
        "soundEffects": [],
    },
}


def test_editor_timeline_round_trips_with_recomputed_duration() -> None:
    sections = LecturePatch.model_validate({"timeline": EDITOR_TIMELINE}).sections()
    assert sections["timeline"] == {**EDITOR_TIMELINE, "duration": 12.0}


def test_passthrough_keys_survive_on_assets() -> None:
    image = {"id": "img-1", "prompt": "a forum", "style": "Pixar", "thumbnailHint": [1, 2]}
    assert LecturePatch.model_validate({"images": [image]}).sections() == {"images": [image]}


def test_missing_tracks_become_empty() -> None:
    timeline = LecturePatch.model_validate({"timeline": {"tracks": {}}}).sections()["timeline"]
    assert timeline == {
        "id": "timeline",
        "name": "Timeline",
        "duration": 0.0,
        "tracks": {"visual": [], "voice": [], "music": [], "soundEffects": []},
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"chapters": []}, "chapters"),
        ({"title": None}, "title"),
        ({"title": ""}, "title"),
        ({"images": [{"id": "x"}]}, "prompt"),
        (
            {
                "timeline": {
                    "tracks": {
                        "voice": [
                            {
                                "id": "v",
                                "name": "n",
                                "kind": "voice",
                                "startTime": -1,
                                "duration": 1,
                            }
                        ]
                    }
                }
            },
            "startTime",
        ),
        (
            {
                "timeline": {
                    "tracks": {
                        "visual": [
                            {"id": "v", "name": "n", "kind": "gif", "startTime": 0, "duration": 1}
                        ]
                    }
                }
            },
            "visual",
        ),
        ({"music": [{"id": "m", "duration": float("nan")}]}, "duration"),
        ({"script": {"segments": []}}, "segments"),
    ],
)
def test_invalid_sections_name_the_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        LecturePatch.model_validate(body)
    locations = [".".join(str(part) for part in error["loc"]) for error in raised.value.errors()]
    assert any(field in location for location in locations), locations


def test_deep_nesting_and_nul_are_refused_anywhere() -> None:
    deep: Any = "leaf"
    for _ in range(MAX_JSON_DEPTH + 1):
        deep = {"k": deep}
    with pytest.raises(ValidationError, match="nested deeper"):
        LecturePatch.model_validate({"images": [{"id": "i", "prompt": "p", "extra": deep}]})
    with pytest.raises(ValidationError, match="NUL"):
        LecturePatch.model_validate({"images": [{"id": "i", "prompt": "p", "x\x00": 1}]})
    with pytest.raises(ValidationError, match="surrogate"):
        LecturePatch.model_validate({"images": [{"id": "i", "prompt": "a\ud800"}]})


def test_content_normalises_null_lists() -> None:
    content = LectureContent.model_validate({"title": "t", "images": None, "timeline": None})
    assert (content.images, content.timeline) == ([], None)


json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=20)
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.text(min_size=1, max_size=8).filter(lambda k: "\x00" not in k), children, max_size=3
        )
    ),
    max_leaves=10,
)


@given(extra=st.dictionaries(st.sampled_from(["hint", "zIndex", "meta", "tags"]), json_values))
def test_any_extra_json_on_a_clip_round_trips(extra: dict[str, Any]) -> None:
    clip = {"id": "c", "name": "n", "kind": "soundFx", "startTime": 1, "duration": 2, **extra}
    sections = LecturePatch.model_validate({"timeline": {"tracks": {"soundEffects": [clip]}}})
    stored = sections.sections()["timeline"]
    assert stored["tracks"]["soundEffects"] == [clip]  # type: ignore[index,call-overload]
