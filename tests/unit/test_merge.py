"""The three-way merge, one example per rule of docs/merge.md."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tutopanda.jsonvalue import same_json
from tutopanda.merge import ABSENT, MergeResult, resolve, three_way_merge
from tutopanda.merge.document import TIMELINE
from tutopanda.models.lecture import SECTION_NAMES, LectureContent
from tutopanda.models.timeline import Timeline

Doc = dict[str, Any]


def clip(ident: str, start: float, duration: float = 2.0, **extra: Any) -> Doc:
    return {"id": ident, "name": ident, "startTime": start, "duration": duration, **extra}


def visual(ident: str, start: float, duration: float = 2.0, **extra: Any) -> Doc:
    return clip(ident, start, duration, kind="kenBurns", startScale=1, endScale=1.2, **extra)


def image(ident: str, prompt: str = "a road") -> Doc:
    return {"id": ident, "prompt": prompt}


def lecture(
    visuals: list[Doc] | None = None, images: list[Doc] | None = None, **sections: Any
) -> Doc:
    """A stored lecture document: every section, the timeline with its computed duration."""
    timeline = {
        "id": "timeline",
        "name": "Timeline",
        "tracks": {"visual": visuals or [], "voice": [], "music": [], "soundEffects": []},
    }
    document: Doc = {
        "title": "Roman roads",
        "summary": None,
        "script": {"segments": [{"narration": "n", "backgroundMusic": "m", "effect": "e"}]},
        "images": images or [],
        "videos": [],
        "narration": [],
        "music": [],
        "effects": [],
        "timeline": {**timeline, "duration": Timeline.model_validate(timeline).duration},
    }
    document.update(sections)
    return document


def track(document: Doc) -> list[Doc]:
    visuals: list[Doc] = document["timeline"]["tracks"]["visual"]
    return visuals


def ids(items: list[Doc]) -> list[str]:
    return [item["id"] for item in items]


def pointers(result: MergeResult) -> list[str]:
    return result.pointers


BASE = lecture(
    visuals=[visual("clip-1", 0), visual("clip-2", 2), visual("clip-3", 4)],
    images=[image("a"), image("b"), image("c")],
)


def edited(document: Doc = BASE) -> Doc:
    return copy.deepcopy(document)


def test_nothing_sent_is_theirs_unchanged() -> None:
    theirs = edited()
    theirs["title"] = "Roads of Rome"
    result = three_way_merge(BASE, {}, theirs)
    assert result.sections == {}
    assert result.conflicts == ()
    assert result.document == theirs


def test_edits_of_different_fields_of_one_clip_both_apply() -> None:
    mine, theirs = edited(), edited()
    track(mine)[2]["startTime"] = 5
    track(theirs)[2]["name"] = "Forum"
    result = three_way_merge(BASE, {"timeline": mine["timeline"]}, theirs)
    assert result.conflicts == ()
    assert track(result.document)[2] == {**track(theirs)[2], "startTime": 5}
    assert list(result.sections) == ["timeline"]


def test_an_insert_before_my_clip_is_not_a_conflict_with_my_edit() -> None:
    mine, theirs = edited(), edited()
    track(mine)[2]["startScale"] = 1.1
    track(theirs).insert(0, visual("intro", 0, 1))
    result = three_way_merge(BASE, {"timeline": mine["timeline"]}, theirs)
    assert result.conflicts == ()
    assert ids(track(result.document)) == ["intro", "clip-1", "clip-2", "clip-3"]
    assert track(result.document)[3]["startScale"] == 1.1


def test_one_path_changed_differently_is_a_conflict_named_by_ids() -> None:
    mine, theirs = edited(), edited()
    track(mine)[2]["startTime"] = 5
    track(theirs)[2]["startTime"] = 6
    track(theirs)[0]["name"] = "Opening"
    result = three_way_merge(BASE, {"timeline": mine["timeline"]}, theirs)
    assert [c.as_json() for c in result.conflicts] == [
        {
            "pointer": "/timeline/tracks/visual/clip-3/startTime",
            "kind": "edit",
            "base": 4,
            "mine": 5,
            "theirs": 6,
        }
    ]
    assert track(result.document)[2]["startTime"] == 6  # a conflict keeps theirs
    assert resolve(theirs, result.pointers[0]) == 6


def test_the_same_change_on_both_sides_is_not_a_conflict() -> None:
    mine, theirs = edited(), edited()
    for document in (mine, theirs):
        track(document)[1]["duration"] = 3
        document["title"] = "Via Appia"
    result = three_way_merge(BASE, {"title": "Via Appia", "timeline": mine["timeline"]}, theirs)
    assert result.conflicts == ()
    assert result.sections == {}


@pytest.mark.parametrize("deleter", ["mine", "theirs"])
def test_delete_against_edit_is_a_conflict(deleter: str) -> None:
    deleting, editing = edited(), edited()
    del deleting["images"][1]
    editing["images"][1]["prompt"] = "a milestone"
    mine, theirs = (deleting, editing) if deleter == "mine" else (editing, deleting)
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    (conflict,) = result.conflicts
    assert (conflict.pointer, conflict.kind) == ("/images/b", "delete")
    assert getattr(conflict, deleter) is ABSENT
    assert deleter not in conflict.as_json()
    assert ids(result.document["images"]) == ids(theirs["images"])


def test_an_item_deleted_by_both_is_deleted() -> None:
    mine, theirs = edited(), edited()
    del mine["images"][0]
    del theirs["images"][0]
    theirs["images"][1]["prompt"] = "aqueduct"
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert result.conflicts == ()
    assert result.document["images"] == theirs["images"]


def test_a_removed_key_is_a_change_and_removed_by_both_is_removed() -> None:
    base = edited()
    track(base)[0]["status"] = "failed"
    track(base)[0]["effectName"] = "portraitZoomIn"
    mine, theirs = edited(base), edited(base)
    del track(mine)[0]["status"], track(theirs)[0]["status"]
    track(theirs)[0]["effectName"] = "dramaticZoomIn"
    del track(mine)[0]["effectName"]
    result = three_way_merge(base, {"timeline": mine["timeline"]}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [
        ("/timeline/tracks/visual/clip-1/effectName", "delete")
    ]
    assert "status" not in track(result.document)[0]


def test_insert_by_both_with_one_id_is_one_item_or_a_conflict() -> None:
    mine, theirs = edited(), edited()
    mine["images"].append(image("d", "a bridge"))
    theirs["images"].append(image("d", "a bridge"))
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert result.conflicts == ()
    assert ids(result.document["images"]) == ["a", "b", "c", "d"]

    theirs["images"][-1]["prompt"] = "a ford"
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [("/images/d", "insert")]
    assert result.conflicts[0].base is ABSENT


def test_a_reorder_by_one_side_applies_with_the_other_sides_edits_and_inserts() -> None:
    mine, theirs = edited(), edited()
    theirs["images"] = [theirs["images"][2], theirs["images"][0], theirs["images"][1]]
    mine["images"].insert(1, image("x"))
    mine["images"][2]["prompt"] = "b2"
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert result.conflicts == ()
    assert ids(result.document["images"]) == ["c", "a", "x", "b"]  # docs/merge.md's example
    assert result.document["images"][3]["prompt"] == "b2"
    swapped = three_way_merge(BASE, {"images": theirs["images"]}, mine)
    assert swapped.document["images"] == result.document["images"]


def test_reorders_by_both_agree_or_conflict_on_the_array() -> None:
    mine, theirs = edited(), edited()
    mine["images"].reverse()
    theirs["images"].reverse()
    theirs["images"][0]["prompt"] = "c2"
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert result.conflicts == ()
    assert result.document["images"] == theirs["images"]

    theirs["images"] = [theirs["images"][1], theirs["images"][0], theirs["images"][2]]
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    (conflict,) = result.conflicts
    assert (conflict.pointer, conflict.kind) == ("/images", "order")
    assert (conflict.base, conflict.mine, conflict.theirs) == (
        BASE["images"],
        mine["images"],
        theirs["images"],
    )
    assert result.document["images"] == theirs["images"]


def test_one_id_added_by_both_at_different_places_is_an_order_conflict() -> None:
    mine, theirs = edited(), edited()
    mine["images"].insert(0, image("d"))
    theirs["images"].append(image("d"))
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [("/images", "order")]


def test_inserts_in_one_gap_are_ordered_by_their_first_id_whoever_is_mine() -> None:
    mine, theirs = edited(), edited()
    mine["images"][1:1] = [image("z"), image("y")]
    theirs["images"][1:1] = [image("m")]
    forward = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    backward = three_way_merge(BASE, {"images": theirs["images"]}, mine)
    assert ids(forward.document["images"]) == ["a", "m", "z", "y", "b", "c"]
    assert backward.document["images"] == forward.document["images"]


def test_my_insert_goes_after_its_predecessor_even_when_theirs_deleted_it() -> None:
    mine, theirs = edited(), edited()
    mine["images"].insert(2, image("x"))  # a, b, x, c
    del theirs["images"][1]  # a, c
    theirs["images"].insert(0, image("first"))
    result = three_way_merge(BASE, {"images": mine["images"]}, theirs)
    assert result.conflicts == ()
    assert ids(result.document["images"]) == ["first", "a", "x", "c"]


def test_arrays_without_ids_are_one_value() -> None:
    base = edited()
    base["script"]["segments"] = [
        {"narration": f"n{i}", "backgroundMusic": "m", "effect": "e"} for i in range(3)
    ]
    mine, theirs = edited(base), edited(base)
    mine["script"]["segments"][0]["narration"] = "mine"
    result = three_way_merge(base, {"script": mine["script"]}, theirs)
    assert result.document["script"] == mine["script"]

    theirs["script"]["segments"][2]["narration"] = "theirs"
    result = three_way_merge(base, {"script": mine["script"]}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [("/script/segments", "edit")]


def test_an_array_with_a_repeated_id_is_one_value() -> None:
    base = edited()
    base["images"] = [image("a"), image("a", "again")]
    mine, theirs = edited(base), edited(base)
    mine["images"][0]["prompt"] = "mine"
    theirs["images"][1]["prompt"] = "theirs"
    result = three_way_merge(base, {"images": mine["images"]}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [("/images", "edit")]


def test_a_type_change_replaces_the_whole_value() -> None:
    theirs = edited()
    track(theirs)[0]["name"] = "Opening"
    result = three_way_merge(BASE, {"timeline": None}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [("/timeline", "edit")]
    result = three_way_merge(BASE, {"timeline": None}, BASE)
    assert result.sections == {"timeline": None}

    base = edited()
    base["images"][0]["error"] = {"code": "c", "message": "m"}
    mine, theirs = edited(base), edited(base)
    mine["images"][0]["error"] = ["c", "m"]
    theirs["images"][0]["error"]["message"] = "moderated"
    result = three_way_merge(base, {"images": mine["images"]}, theirs)
    assert [(c.pointer, c.kind) for c in result.conflicts] == [("/images/a/error", "edit")]
    theirs["images"][0]["error"]["message"] = "m"
    result = three_way_merge(base, {"images": mine["images"]}, theirs)
    assert result.document["images"][0]["error"] == ["c", "m"]


def test_absent_and_null_sections() -> None:
    base = {name: value for name, value in BASE.items() if name != "summary"}
    theirs = edited()
    theirs["images"] = None  # an array section's null is the empty array
    result = three_way_merge(base, {"summary": "A road trip", "images": BASE["images"]}, theirs)
    assert result.conflicts == ()
    assert result.sections == {"summary": "A road trip"}

    mine = edited()
    mine["images"].append(image("d"))
    result = three_way_merge(BASE, {"images": mine["images"]}, {**BASE, "images": None})
    assert result.sections == {"images": [image("d")]}

    with pytest.raises(ValueError, match="revision"):
        three_way_merge(BASE, {"revision": 3}, BASE)


def test_one_and_one_point_zero_are_equal_but_true_is_not_one() -> None:
    base = edited()
    track(base)[0]["volume"] = 1
    mine, theirs = edited(base), edited(base)
    track(mine)[0]["volume"] = 1.0
    track(theirs)[0]["volume"] = 0.5
    result = three_way_merge(base, {"timeline": mine["timeline"]}, theirs)
    assert result.conflicts == ()
    assert track(result.document)[0]["volume"] == 0.5

    track(mine)[0]["volume"] = True
    result = three_way_merge(base, {"timeline": mine["timeline"]}, theirs)
    assert [c.pointer for c in result.conflicts] == ["/timeline/tracks/visual/clip-1/volume"]


def test_the_timeline_duration_is_recomputed_never_a_conflict() -> None:
    mine, theirs = edited(), edited()
    track(mine)[2]["duration"] = 10  # ends at 14
    mine["timeline"]["duration"] = 14
    track(theirs).append(visual("clip-4", 6, 3))  # ends at 9
    theirs["timeline"]["duration"] = 9
    result = three_way_merge(BASE, {"timeline": mine["timeline"]}, theirs)
    assert result.conflicts == ()
    assert result.document["timeline"]["duration"] == 14
    assert ids(track(result.document)) == ["clip-1", "clip-2", "clip-3", "clip-4"]
    LectureContent.model_validate(result.document)

    track(mine)[0]["startTime"] = -1
    with pytest.raises(ValidationError):
        three_way_merge(BASE, {"timeline": mine["timeline"]}, theirs)
    assert TIMELINE in SECTION_NAMES


def test_pointers_escape_ids_and_resolve_in_any_revision() -> None:
    base = edited()
    base["images"] = [image("img/1~a")]
    mine, theirs = edited(base), edited(base)
    mine["images"][0]["prompt"] = "mine"
    theirs["images"] = []
    result = three_way_merge(base, {"images": mine["images"]}, theirs)
    assert result.pointers == ["/images/img~11~0a"]
    assert resolve(base, "/images/img~11~0a/prompt") == "a road"
    assert resolve(theirs, "/images/img~11~0a") is ABSENT
    assert resolve(base, "") == base
    assert resolve(base, "/title/x") is ABSENT
    with pytest.raises(ValueError, match="Pointer"):
        resolve(base, "title")


def test_only_sections_that_differ_from_theirs_are_written() -> None:
    mine, theirs = edited(), edited()
    mine["title"] = "Via Appia"
    theirs["images"].append(image("d"))
    sent = {"title": "Via Appia", "images": mine["images"], "timeline": mine["timeline"]}
    result = three_way_merge(BASE, sent, theirs)
    assert result.sections == {"title": "Via Appia"}
    assert result.document == {**theirs, "title": "Via Appia"}


def reference_same(before: Any, after: Any) -> bool:
    """The JSON equality this module had first (tutopanda/audit/diff.py's `_same`)."""
    if isinstance(before, bool) or isinstance(after, bool):
        return type(before) is type(after) and before == after
    if isinstance(before, int | float) and isinstance(after, int | float):
        return before == after
    if type(before) is not type(after):
        return False
    if isinstance(before, dict):
        return before.keys() == after.keys() and all(
            reference_same(before[k], after[k]) for k in before
        )
    if isinstance(before, list):
        return len(before) == len(after) and all(map(reference_same, before, after))
    return bool(before == after)


scalars = (
    st.none() | st.booleans() | st.sampled_from([0, 1, 2, 0.0, 1.0, 2.5]) | st.sampled_from("ab")
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from("xy"), children, max_size=2)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(before=values, after=values)
def test_same_json_is_the_reference_equality(before: Any, after: Any) -> None:
    assert same_json(before, after) == reference_same(before, after)
    assert same_json(before, json.loads(json.dumps(before)))
