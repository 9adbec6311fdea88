"""Properties of the three-way merge over generated lectures and concurrent edit scripts."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tutopanda.jsonvalue import same_json
from tutopanda.merge import ABSENT, MergeResult, three_way_merge
from tutopanda.models.lecture import ARRAY_SECTIONS, SECTION_NAMES, LectureContent
from tutopanda.models.timeline import Timeline

Doc = dict[str, Any]
Draw = Callable[[st.SearchStrategy[Any]], Any]
TRACKS = {"visual": "kenBurns", "voice": "voice", "music": "music", "soundEffects": "soundFx"}
TIMES = [0, 1, 2.5, 4, 7.25]
WORDS = ["roads", "Rome", "legions", "stone", "milestone"]
EXAMPLES = settings(max_examples=200, deadline=None)


def new_clip(draw: Draw, track: str, ident: str) -> Doc:
    clip = {
        "id": ident,
        "name": draw(st.sampled_from(WORDS)),
        "kind": TRACKS[track],
        "startTime": draw(st.sampled_from(TIMES)),
        "duration": draw(st.sampled_from([1, 2, 3.5])),
    }
    if track == "visual":
        clip |= {"startScale": 1, "endScale": draw(st.sampled_from([1.2, 1.3]))}
    return clip


def new_image(draw: Draw, _track: str, ident: str) -> Doc:
    return {"id": ident, "prompt": draw(st.sampled_from(WORDS)), "label": "Segment"}


def new_narration(draw: Draw, _track: str, ident: str) -> Doc:
    return {"id": ident, "duration": draw(st.sampled_from(TIMES)), "finalScript": "words"}


def new_segment(draw: Draw) -> Doc:
    word = st.sampled_from(WORDS)
    return {"narration": draw(word), "backgroundMusic": draw(word), "effect": draw(word)}


def arrays(document: Doc) -> dict[str, tuple[list[Doc], Callable[[Draw, str, str], Doc]]]:
    """The arrays of items with ids in a document, by name, with a maker of new items."""
    found: dict[str, tuple[list[Doc], Callable[[Draw, str, str], Doc]]] = {
        "images": (document["images"], new_image),
        "narration": (document["narration"], new_narration),
    }
    if document["timeline"] is not None:
        for track in TRACKS:
            found[track] = (document["timeline"]["tracks"][track], new_clip)
    return found


def with_duration(document: Doc) -> Doc:
    """The document as the store keeps it: the timeline's duration computed."""
    if document["timeline"] is not None:
        document["timeline"]["duration"] = Timeline.model_validate(document["timeline"]).duration
    return document


@st.composite
def lectures(draw: Draw) -> Doc:
    """A stored lecture: ids unique per array, a script without ids, maybe no timeline yet."""

    def items(name: str, maker: Callable[[Draw, str, str], Doc], most: int) -> list[Doc]:
        count = draw(st.integers(most // 2, most))
        return [maker(draw, name, f"{name}-{index}") for index in range(count)]

    timeline = draw(st.integers(0, 4)) > 0 and {
        "id": "timeline",
        "name": "Timeline",
        "tracks": {track: items(track, new_clip, 4) for track in TRACKS},
        "assemblyStrategy": "speed-adjustment",
    }
    return with_duration(
        {
            "title": draw(st.sampled_from(WORDS)),
            "summary": draw(st.none() | st.sampled_from(WORDS)),
            "script": {"segments": [new_segment(draw) for _ in range(draw(st.integers(1, 3)))]},
            "images": items("images", new_image, 4),
            "videos": [],
            "narration": items("narration", new_narration, 3),
            "music": [],
            "effects": [],
            "timeline": timeline or None,
        }
    )


def pick_array(draw: Draw, document: Doc, focus: str) -> tuple[str, list[Doc], Callable[..., Doc]]:
    """An array to edit: mostly the one both writers are busy with."""
    names = sorted(arrays(document))
    name = focus if focus in names and draw(st.integers(0, 3)) > 0 else draw(st.sampled_from(names))
    items, maker = arrays(document)[name]
    return name, items, maker


def edit_field(draw: Draw, document: Doc, focus: str) -> None:
    name, items, maker = pick_array(draw, document, focus)
    if items:
        item = draw(st.sampled_from(items))
        status = draw(st.sampled_from(["generated", "failed"]))  # a key items start without
        fresh = maker(draw, name, item["id"]) | {"status": status}
        key = draw(st.sampled_from(sorted(set(fresh) - {"id", "kind"})))
        item[key] = fresh[key]


def drop_field(draw: Draw, document: Doc, focus: str) -> None:
    _, items, _ = pick_array(draw, document, focus)
    if items:
        item = draw(st.sampled_from(items))
        for key in ("label", "endScale", "status"):
            item.pop(key, None)


def insert(draw: Draw, document: Doc, focus: str) -> None:
    name, items, maker = pick_array(draw, document, focus)
    ident = f"{name}-new-{draw(st.integers(0, 2))}"  # both sides may pick the same id
    place = draw(st.sampled_from(["end", "start", "anywhere"]))  # appending is the usual
    if ident not in [item["id"] for item in items]:
        at = {"end": len(items), "start": 0}.get(place) or draw(st.integers(0, len(items)))
        items.insert(at, maker(draw, name, ident))


def delete(draw: Draw, document: Doc, focus: str) -> None:
    _, items, _ = pick_array(draw, document, focus)
    if items:
        del items[draw(st.integers(0, len(items) - 1))]


def move(draw: Draw, document: Doc, focus: str) -> None:
    _, items, _ = pick_array(draw, document, focus)
    if len(items) > 1:
        item = items.pop(draw(st.integers(0, len(items) - 1)))
        items.insert(draw(st.integers(0, len(items))), item)


def duplicate(draw: Draw, document: Doc, focus: str) -> None:
    """A repeated id: the array is merged as one value from then on."""
    _, items, _ = pick_array(draw, document, focus)
    if items and draw(st.integers(0, 3)) == 0:
        items.append(copy.deepcopy(draw(st.sampled_from(items))))


def retitle(draw: Draw, document: Doc, focus: str) -> None:
    document["title"] = draw(st.sampled_from(WORDS))


def rewrite_script(draw: Draw, document: Doc, focus: str) -> None:
    segments = document["script"]["segments"]
    segments[draw(st.integers(0, len(segments) - 1))] = new_segment(draw)


def replace_section(draw: Draw, document: Doc, focus: str) -> None:
    name = draw(st.sampled_from(["summary", "images", "narration", "timeline"]))
    if name == "summary":
        document["summary"] = draw(st.none() | st.sampled_from(WORDS))
    elif name == "timeline":
        document["timeline"] = None
    else:
        document[name] = [new_image(draw, name, "images-0")] if name == "images" else []


EDITS = [edit_field, edit_field, drop_field, insert, insert, delete, move, move, duplicate]
EDITS += [retitle, rewrite_script, replace_section]


@st.composite
def edit_scripts(draw: Draw, base: Doc, focus: str) -> Doc:
    """`base` after a few edits, as one writer would save it."""
    document = copy.deepcopy(base)
    for edit in draw(st.lists(st.sampled_from(EDITS), min_size=1, max_size=5)):
        edit(draw, document, focus)
    return with_duration(document)


@st.composite
def concurrent_edits(draw: Draw) -> tuple[Doc, Doc, Doc]:
    """A lecture and two writers' versions of it, often busy in the same array."""
    base = draw(lectures())
    focus = draw(st.sampled_from(["images", "narration", *TRACKS]))
    return base, draw(edit_scripts(base, focus)), draw(edit_scripts(base, focus))


def dirty(base: Doc, document: Doc) -> Doc:
    """The sections an editor sends: those it changed."""
    return {
        name: document[name] for name in SECTION_NAMES if not same_json(document[name], base[name])
    }


def merge(base: Doc, mine: Doc, theirs: Doc) -> MergeResult:
    result = three_way_merge(base, dirty(base, mine), theirs)
    LectureContent.model_validate(result.document)  # valid lectures merge to a valid lecture
    return result


@EXAMPLES
@given(concurrent_edits())
def test_a_merge_does_not_depend_on_who_saved_first(edits: tuple[Doc, Doc, Doc]) -> None:
    base, one, other = edits
    forward, backward = merge(base, one, other), merge(base, other, one)
    both = [
        name for name in SECTION_NAMES if name in dirty(base, one) and name in dirty(base, other)
    ]
    event(f"conflicts: {bool(forward.conflicts)}, a section changed by both: {bool(both)}")
    assert sorted(forward.pointers) == sorted(backward.pointers)
    if not forward.conflicts:
        assert same_json(forward.document, backward.document)


OBJECT, ARRAY = ("object",), ("array",)  # markers of a container: never a JSON value


def pointer(parent: str, token: str) -> str:
    return f"{parent}/{token.replace('~', '~0').replace('/', '~1')}"


def flatten(document: Doc) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Every path of a document with its value (arrays with unique ids entered by id), and the
    ids of each such array in order: the oracle, written apart from the merge."""
    leaves: dict[str, Any] = {}
    orders: dict[str, list[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            leaves[path] = OBJECT
            for key, item in value.items():
                walk(item, pointer(path, key))
        elif (
            isinstance(value, list)
            and all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)
            and len({item["id"] for item in value}) == len(value)
        ):
            leaves[path] = ARRAY
            orders[path] = [item["id"] for item in value]
            for item in value:
                walk(item, pointer(path, item["id"]))
        else:
            leaves[path] = value

    for name in SECTION_NAMES:
        value = document.get(name)
        walk([] if value is None and name in ARRAY_SECTIONS else value, "/" + name)
    leaves.pop("/timeline/duration", None)  # derived: recomputed, checked by the model
    return leaves, orders


def lost_changes(base: Doc, side: Doc, result: MergeResult) -> list[str]:
    """What `side` changed that is not in the result and not under a conflict: a value at a
    path, its order of the items it kept, or the place of an item it inserted (after the item
    before it on its side)."""
    (before, before_orders), (after, after_orders) = flatten(base), flatten(side)
    merged, merged_orders = flatten(result.document)

    def covered(path: str) -> bool:
        return any(path == c or path.startswith(c + "/") for c in result.pointers)

    lost = [
        path
        for path in before.keys() | after.keys()
        if not same_json(before.get(path, ABSENT), after.get(path, ABSENT))
        and not same_json(merged.get(path, ABSENT), after.get(path, ABSENT))
        and not covered(path)
    ]
    for path, ids in after_orders.items():
        if covered(path):
            continue
        old, now = before_orders.get(path, []), merged_orders.get(path, [])
        kept = [ident for ident in ids if ident in old]
        survivors = [ident for ident in now if ident in kept]
        if kept != [ident for ident in old if ident in kept] and survivors != [
            ident for ident in kept if ident in survivors
        ]:
            lost.append(f"order of {path}")
        previous = None  # the item before, on this side, that is in the result
        for ident in ids:
            if ident in now:
                if ident not in old and previous and now.index(previous) > now.index(ident):
                    lost.append(f"place of {path}/{ident}")
                previous = ident
    return lost


@EXAMPLES
@given(concurrent_edits())
def test_no_change_is_dropped_without_a_conflict(edits: tuple[Doc, Doc, Doc]) -> None:
    base, mine, theirs = edits
    result = merge(base, mine, theirs)
    assert lost_changes(base, mine, result) == []
    assert lost_changes(base, theirs, result) == []
    assert result.sections == {
        name: value for name, value in result.document.items() if not same_json(value, theirs[name])
    }


@EXAMPLES
@given(concurrent_edits())
def test_with_nothing_to_merge_the_result_is_the_one_change(edits: tuple[Doc, Doc, Doc]) -> None:
    base, change, _ = edits
    mine_only = merge(base, change, base)
    assert mine_only.conflicts == ()
    assert same_json(mine_only.document, change)
    assert same_json(mine_only.sections, dirty(base, change))
    theirs_only = merge(base, base, change)
    assert theirs_only.conflicts == ()
    assert same_json(theirs_only.document, change)
    assert theirs_only.sections == {}
    every_section = three_way_merge(base, change, base)  # unchanged sections sent too
    assert same_json(every_section.document, change)
