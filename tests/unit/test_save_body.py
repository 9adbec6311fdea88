"""The fast path of a save body (api/save_body.py) against pydantic's: whatever `checked_save`
decides, pydantic accepts too and stores the same (the same JSON, number types included, the same
sections sent, the same merge and force); and the form an editor sends is decided there."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Self

import msgspec
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_snake

from bench.payloads import payload as bench_payload
from tutopanda.api.bodies import MalformedBody, parse_json
from tutopanda.api.save_body import _SaveBody, checked_save
from tutopanda.models.assets import (
    ImageAsset,
    MusicAsset,
    NarrationAsset,
    SoundEffectAsset,
    VideoAsset,
)
from tutopanda.models.base import AssetError, WireModel
from tutopanda.models.lecture import LecturePatch
from tutopanda.models.script import LectureScript, LectureSegment
from tutopanda.models.structs import UnsupportedModel, struct_of
from tutopanda.models.timeline import (
    KenBurnsClip,
    MusicClip,
    SoundFxClip,
    Timeline,
    TimelineTracks,
    VideoClip,
    VoiceClip,
)
from tutopanda.models.wire import SaveRequest

Strategy = st.SearchStrategy[Any]
Draw = Callable[[Strategy], Any]
PROPERTY = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# The oracle: pydantic alone, as api/bodies.py decides without the fast path.


def slow_path(body: bytes) -> SaveRequest:
    """MalformedBody (400) or ValidationError (422), or the save pydantic reads in `body`."""
    value = parse_json(body)
    validated: SaveRequest = SaveRequest.__pydantic_validator__.validate_python(value, strict=True)
    return validated


def same(a: Any, b: Any) -> bool:
    """JSON values equal with their types: 1 is not 1.0, -0.0 is not 0.0, True is not 1."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return bool(a == b)


def agrees(body: bytes) -> bool:
    """Whether the fast path decided `body`; when it did, pydantic must accept the body and read
    the same save in it."""
    fast = checked_save(body)
    if fast is None:
        return False
    try:
        slow = slow_path(body)
    except (MalformedBody, ValidationError) as error:
        pytest.fail(f"the fast path accepted a body pydantic refuses: {body!r}\n{error}")
    stored = json.loads(slow.payload.stored_text())
    assert same(json.loads(fast.payload.stored_text()), stored), body
    sections = fast.payload.sections()
    assert same(sections, stored), body
    assert set(sections) == slow.payload.model_fields_set, body
    assert fast.merge is slow.merge, body
    assert fast.force is slow.force, body
    return True


def test_same_tells_number_types_apart() -> None:
    assert same({"a": [1, 1.5, None, "x", True]}, {"a": [1, 1.5, None, "x", True]})
    assert not same(1, 1.0)
    assert not same(0.0, -0.0)
    assert not same(True, 1)
    assert not same({"a": 1}, {"a": 1, "b": 1})


# Bodies, as JSON values first. `wild` ones hold wrong values, snake_case keys, unknown keys.

SENTINEL = "\ue000"  # never generated: stands for invalid UTF-8 in a body's bytes
TRICKY = ':"\\/{}[],é€😀\u2028 '


def chars(wild: bool) -> Strategy:
    """Characters of strings: JSON's own, non-ASCII; control characters only when `wild`."""
    every = (
        st.characters(codec="utf-8", exclude_characters=SENTINEL)
        if wild
        else st.characters(codec="utf-8", exclude_categories=["Cc"], exclude_characters=SENTINEL)
    )
    return st.sampled_from(TRICKY) | every


def strings(wild: bool, least: int = 0, most: int = 100_000) -> Strategy:
    """Short strings of tricky characters, or strings at the bounds of their length (and just
    past them when `wild`)."""
    lengths = {least, most} | ({least - 1, most + 1} - {-1} if wild else set())
    at_bounds = st.builds(
        lambda char, length: char * length,
        st.sampled_from(["a", "é", "😀", ":"]),
        st.sampled_from(sorted(lengths)),
    )
    short = st.text(chars(wild), min_size=least, max_size=min(most, 8))
    return st.integers(0, 9).flatmap(lambda n: at_bounds if n == 0 else short)


NUMBER_EDGES = [0, 0.0, -0.0, 1, 1.0, 0.5, 1.2, 10**30, 2**63, 2**64, 1e308, 5e-324, 1e22]


def numbers() -> Strategy:
    """Any finite number: ints (huge ones too), floats, negative zero."""
    return st.one_of(
        st.integers(-3, 10),
        st.integers(-(10**30), 10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([*NUMBER_EDGES, -1, -1e308, -(10**30)]),
    )


def non_negative() -> Strategy:
    return st.one_of(
        st.integers(0, 10),
        st.integers(0, 10**30),
        st.floats(min_value=0, max_value=1e308),
        st.sampled_from(NUMBER_EDGES),
    )


def positive() -> Strategy:
    return st.one_of(
        st.integers(1, 10),
        st.integers(1, 10**30),
        st.floats(min_value=0, max_value=1e308, exclude_min=True),
        st.sampled_from([1, 1.0, 0.5, 5e-324, 10**30, 1e308]),
    )


def unit_interval() -> Strategy:
    return st.one_of(
        st.integers(0, 1), st.floats(min_value=0, max_value=1), st.sampled_from([-0.0, 0.0, 1.0])
    )


WRONG: Strategy = st.sampled_from(
    [None, True, False, "1", "", [], {}, -1, -0.5, 1.5, 10**30, "x" * 501, "kenBurns", {"a": 1}]
)


def ends_at_a_number(clip: dict[str, Any]) -> bool:
    """Whether the clip's start plus its duration is a finite double (as Timeline computes it)."""
    try:
        return math.isfinite(float(clip["startTime"]) + float(clip["duration"]))
    except OverflowError:  # an integer past the largest double
        return False


def nullable(strategy: Strategy) -> Strategy:
    return st.none() | strategy


@dataclass(frozen=True)
class Shapes:
    """Strategies of the JSON values of a save; `wild`: some values wrong, some keys in
    snake_case, some unknown keys (kept by passthrough items, refused elsewhere)."""

    wild: bool

    def maybe_wrong(self, strategy: Strategy) -> Strategy:
        if not self.wild:
            return strategy
        return st.integers(0, 24).flatmap(lambda n: WRONG if n == 0 else strategy)

    def obj(self, required: dict[str, Strategy], optional: dict[str, Strategy]) -> Strategy:
        wrong = self.maybe_wrong
        plain = st.fixed_dictionaries(
            {key: wrong(value) for key, value in required.items()},
            optional={key: wrong(value) for key, value in optional.items()},
        )
        return roughened(plain) if self.wild else plain

    def text(self) -> Strategy:
        return strings(self.wild)

    def identifier(self) -> Strategy:
        return strings(self.wild, 1, 500)

    def status(self) -> Strategy:
        return nullable(st.sampled_from(["generated", "needs_prompt_update", "failed"]))

    def asset_error(self) -> Strategy:
        text = self.text()
        return self.obj(
            {"code": text, "message": text},
            {"provider": nullable(text), "providerCode": nullable(text)},
        )

    def outcome(self) -> dict[str, Strategy]:
        return {"status": self.status(), "error": nullable(self.asset_error())}

    def texts(self, *names: str) -> dict[str, Strategy]:
        return {name: nullable(self.text()) for name in names}

    def image(self) -> Strategy:
        ratio = nullable(st.sampled_from(["1:1", "16:9", "9:16", "21:9"]))
        return self.obj(
            {"id": self.identifier(), "prompt": self.text()},
            {
                **self.texts("label", "model", "size", "sourceUrl"),
                **self.outcome(),
                "aspectRatio": ratio,
                "width": nullable(non_negative()),
                "height": nullable(non_negative()),
                "style": nullable(st.sampled_from(["Ghibli", "Pixar", "Anime"])),
            },
        )

    def video(self) -> Strategy:
        return self.obj(
            {
                "id": self.identifier(),
                "segmentStartImagePrompt": self.text(),
                "movieDirections": self.text(),
            },
            {
                **self.texts("label", "model", "videoPath", "startingImageId"),
                **self.outcome(),
                "resolution": nullable(st.sampled_from(["480p", "720p", "1080p"])),
                "duration": nullable(non_negative()),
                "aspectRatio": nullable(st.sampled_from(["4:3", "3:2"])),
            },
        )

    def narration(self) -> Strategy:
        return self.obj(
            {"id": self.identifier()},
            {
                **self.texts("label", "finalScript", "model", "voice", "language", "sourceUrl"),
                **self.outcome(),
                "duration": nullable(non_negative()),
            },
        )

    def music(self) -> Strategy:
        return self.obj(
            {"id": self.identifier()},
            {
                **self.texts("label", "prompt", "type", "audioUrl", "key"),
                **self.outcome(),
                "duration": nullable(non_negative()),
                "bpm": nullable(numbers()),
            },
        )

    def effect(self) -> Strategy:
        return self.obj(
            {"id": self.identifier()},
            {
                **self.texts("label", "prompt", "audioUrl", "category"),
                "promptInfluence": nullable(numbers()),
                "duration": nullable(non_negative()),
            },
        )

    def script(self) -> Strategy:
        words = strings(self.wild, 1)
        segment = self.obj({"narration": words, "backgroundMusic": words, "effect": words}, {})
        least = 0 if self.wild else 1
        return self.obj({"segments": st.lists(segment, min_size=least, max_size=2)}, {})

    def clip(self, kind: str, **optional: Strategy) -> Strategy:
        clip = self.obj(
            {
                "id": self.identifier(),
                "name": self.text(),
                "kind": st.just(kind),
                "startTime": non_negative(),
                "duration": positive(),
            },
            {**self.outcome(), **optional},
        )
        # An editor's clip ends at a number: both paths refuse one ending past the largest
        # double (REFUSED, "clips ending past the largest double").
        return clip if self.wild else clip.filter(ends_at_a_number)

    def timeline(self) -> Strategy:
        volume = nullable(unit_interval())
        audio = {"audioUrl": nullable(self.text()), "volume": volume}
        scales = ("startScale", "endScale", "startX", "startY", "endX", "endY")
        ken_burns = self.clip(
            "kenBurns",
            **self.texts("effectName", "imageAssetId", "imageUrl"),
            **dict.fromkeys(scales, numbers()),
        )
        video = self.clip(
            "video",
            **self.texts("videoAssetId", "videoUrl"),
            volume=volume,
            originalDuration=nullable(non_negative()),
            speedAdjustment=nullable(positive()),
            transitionType=nullable(st.sampled_from(["freeze-fade", "crossfade", "none"])),
            transitionDuration=nullable(non_negative()),
        )
        voice = self.clip("voice", narrationAssetId=nullable(self.text()), **audio)
        music = self.clip(
            "music",
            musicAssetId=nullable(self.text()),
            fadeInDuration=nullable(non_negative()),
            fadeOutDuration=nullable(non_negative()),
            **audio,
        )
        sound = self.clip("soundFx", effectAssetId=nullable(self.text()), **audio)
        tracks = self.obj(
            {},
            {
                "visual": st.lists(ken_burns | video, max_size=2),
                "voice": st.lists(voice, max_size=1),
                "music": st.lists(music, max_size=1),
                "soundEffects": st.lists(sound, max_size=1),
            },
        )
        return self.obj(
            {},
            {
                "id": self.identifier(),
                "name": self.text(),
                "duration": non_negative(),
                "tracks": tracks,
                "assemblyStrategy": nullable(
                    st.sampled_from(["speed-adjustment", "styled-transition"])
                ),
            },
        )

    def patch(self) -> Strategy:
        def listed(item: Strategy) -> Strategy:
            return nullable(st.lists(item, max_size=2))

        sections = {
            "title": strings(self.wild, 1, 500),
            "summary": nullable(self.text()),
            "script": nullable(self.script()),
            "images": listed(self.image()),
            "videos": listed(self.video()),
            "narration": listed(self.narration()),
            "music": listed(self.music()),
            "effects": listed(self.effect()),
            "timeline": nullable(self.timeline()),
        }
        patch = self.obj({}, sections)
        return patch if self.wild else patch.filter(bool)

    def body(self) -> Strategy:
        flag = st.booleans()
        return self.obj({"payload": self.patch()}, {"merge": flag, "force": flag})


json_values: Strategy = st.recursive(
    st.none() | st.booleans() | numbers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=4,
)


@st.composite
def roughened(draw: Draw, plain: Strategy) -> dict[str, Any]:
    """An object of `plain` with a key in snake_case now and then, or an unknown key."""
    value: dict[str, Any] = draw(plain)
    renamed = {
        to_snake(key) if draw(st.integers(0, 14)) == 0 else key: item for key, item in value.items()
    }
    if draw(st.integers(0, 9)) == 0:
        extra = draw(st.sampled_from(["extra", "x:y", "Title", "", "é"]))
        renamed[extra] = draw(json_values)
    return renamed


WILD_BODIES = Shapes(wild=True).body()
EDITOR_BODIES = Shapes(wild=False).body()


# JSON text: objects whose keys may repeat, tokens written as they are, strings escaped at will.


class Obj(list[tuple[str, Any]]):
    """A JSON object as its members in order: a key may be sent twice."""


class Raw(str):
    """A token written into the body as it is (valid JSON or not)."""

    __slots__ = ()


def members(value: Any) -> Any:
    """`value` with its objects as Obj."""
    if isinstance(value, dict):
        return Obj((key, members(item)) for key, item in value.items())
    if isinstance(value, list):
        return [members(item) for item in value]
    return value


def objects_in(value: Any) -> list[Obj]:
    found: list[Obj] = []
    if isinstance(value, Obj):
        found.append(value)
        for _key, item in value:
            found.extend(objects_in(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(objects_in(item))
    return found


def slots_in(value: Any) -> list[Callable[[Any], None]]:
    """Setters of every value inside `value` (members and array items)."""
    found: list[Callable[[Any], None]] = []
    if isinstance(value, Obj):
        for index, (_key, item) in enumerate(value):
            found.append(member_setter(value, index))
            found.extend(slots_in(item))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append(item_setter(value, index))
            found.extend(slots_in(item))
    return found


def member_setter(holder: Obj, index: int) -> Callable[[Any], None]:
    key = holder[index][0]

    def put(new: Any) -> None:
        holder[index] = (key, new)

    return put


def item_setter(holder: list[Any], index: int) -> Callable[[Any], None]:
    def put(new: Any) -> None:
        holder[index] = new

    return put


def plain_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def inner(change: Callable[[str], str]) -> Callable[[str], str]:
    """A way of writing strings that changes what is between the quotes."""
    return lambda text: f'"{change(plain_string(text)[1:-1])}"'


ESCAPES: dict[str, Callable[[str], str]] = {
    "plain": plain_string,
    "ascii": json.dumps,  # every non-ASCII character (and emoji, as surrogate pairs) as \u
    "colons": inner(lambda text: text.replace(":", "\\u003a")),
    "quotes": inner(lambda text: text.replace('\\"', "\\u0022")),
    "letters": inner(lambda text: text.replace("e", "\\u0065")),  # keys too: "titl\u0065"
    "accents": inner(lambda text: text.replace("é", "\\u00e9")),
}
SEPARATORS = [(",", ":"), (", ", ": "), ("\n,\t", " : "), (",\r\n  ", ":")]


@dataclass(frozen=True)
class Style:
    comma: str
    colon: str
    string: Callable[[str], str]

    def render(self, value: Any) -> str:
        if isinstance(value, Raw):
            return str(value)
        if isinstance(value, Obj):
            return (
                "{"
                + self.comma.join(
                    f"{self.string(key)}{self.colon}{self.render(item)}" for key, item in value
                )
                + "}"
            )
        if isinstance(value, list):
            return "[" + self.comma.join(self.render(item) for item in value) + "]"
        if isinstance(value, str):
            return self.string(value)
        return json.dumps(value)  # numbers (ints of any size), booleans, null


# A duplicate's value: the same, or another one (with colons, of another type).
DUPLICATES: Strategy = st.sampled_from(
    ["a", "b:c", "::", "", 0, 1.5, True, None, "kenBurns", "video", []]
)
RAW_TOKENS = st.sampled_from(
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e400",
        "-1e400",
        "01",
        "-0",
        "-01.5",
        "1.",
        ".5",
        "+1",
        "1e",
        "0x10",
        "1E2",
        "1" + "0" * 300,  # an int, still below the largest double (above: the bug test below)
        '"\\u003a"',
        '"a\\u0000b"',
        '"\\ud800"',
        '"\\udc00x"',
        '"\\u0022"',
        '"\\u00e9"',
        '"\\ud83d\\ude00"',
        '"\\/\\t"',
        '"\\x"',
        f'"a{SENTINEL}b"',
        "'a'",
        "[1,]",
        "{,}",
    ]
)
INVALID_UTF8 = st.sampled_from(
    [b"\xff", b"\xed\xa0\x80", b"\xc0\xba", b"\xf4\x90\x80\x80", b"\x80"]
)
AROUND = st.sampled_from(["", "", "", " ", "\n", "x", ",", "}", "\x00", "\ufeff", "{}", "null"])


@st.composite
def wild_bodies(draw: Draw) -> bytes:
    """A save body (valid or not), then often mutated: a key sent twice, tokens JSON refuses or
    pydantic alone reads, escapes, whitespace, garbage around it, invalid UTF-8."""
    tree = members(draw(WILD_BODIES if draw(st.booleans()) else EDITOR_BODIES))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2]))):
        if draw(st.booleans()):
            holders = [found for found in objects_in(tree) if found]
            holder = draw(st.sampled_from(holders))
            key, item = holder[draw(st.integers(0, len(holder) - 1))]
            twin = item if draw(st.booleans()) else draw(DUPLICATES)
            holder.insert(draw(st.integers(0, len(holder))), (key, twin))
            event("mutated: a key sent twice")
        else:
            slot = draw(st.sampled_from(slots_in(tree)))
            slot(Raw(draw(RAW_TOKENS)))
            event("mutated: a raw token")
    comma, colon = draw(st.sampled_from(SEPARATORS))
    escape = draw(st.sampled_from(["plain"] * 6 + sorted(ESCAPES)))
    text = draw(AROUND) if draw(st.integers(0, 9)) == 0 else ""
    text += Style(comma, colon, ESCAPES[escape]).render(tree)
    text += draw(AROUND) if draw(st.integers(0, 3)) == 0 else ""
    return text.encode("utf-8", "surrogatepass").replace(SENTINEL.encode(), draw(INVALID_UTF8))


@st.composite
def editor_bodies(draw: Draw) -> bytes:
    """A valid save in the editor's form: camelCase keys, no unknown one, no escape sequence
    `\\u`, no key twice, at least one section."""
    comma, colon = draw(st.sampled_from(SEPARATORS))
    tree = members(draw(EDITOR_BODIES))
    return Style(comma, colon, plain_string).render(tree).encode()


@PROPERTY
@given(wild_bodies())
def test_what_the_fast_path_decides_pydantic_decides_alike(body: bytes) -> None:
    decided = agrees(body)
    event(f"decided by the fast path: {decided}")


@st.composite
def bodies_with_a_key_twice(draw: Draw) -> bytes:
    """An editor's body with one key sent twice, at any depth, with the same value or another
    (holding colons, of another type), before or after the first; its strings at times escaped."""
    tree = members(draw(EDITOR_BODIES))
    holder = draw(st.sampled_from([found for found in objects_in(tree) if found]))
    key, item = holder[draw(st.integers(0, len(holder) - 1))]
    twin = item if draw(st.booleans()) else draw(DUPLICATES)
    holder.insert(draw(st.integers(0, len(holder))), (key, twin))
    comma, colon = draw(st.sampled_from(SEPARATORS))
    escape = draw(st.sampled_from(["plain"] * 3 + sorted(ESCAPES)))
    return Style(comma, colon, ESCAPES[escape]).render(tree).encode("utf-8", "surrogatepass")


@PROPERTY
@given(bodies_with_a_key_twice())
def test_a_key_sent_twice_is_left_to_pydantic(body: bytes) -> None:
    with pytest.raises(MalformedBody, match="duplicate key"):
        slow_path(body)
    assert checked_save(body) is None, body


@PROPERTY
@given(editor_bodies())
def test_the_editors_form_is_decided_by_the_fast_path(body: bytes) -> None:
    assume(b"\\u" not in body)  # the bytes \u, even an escaped backslash then u: for pydantic
    assert agrees(body), body


@pytest.mark.parametrize(("size_kb", "version"), [(2, "a"), (2, "b"), (20, "a")])
def test_the_bench_payloads_take_the_fast_path(size_kb: int, version: str) -> None:
    sections = getattr(bench_payload(size_kb), version)
    body = f'{{"payload":{sections}}}'.encode()
    assert agrees(body)
    assert agrees(f'{{"merge":true,"payload":{sections},"force":false}}'.encode())


# Hostile bodies, written out.

CLIP = '"id":"c","name":"n","startTime":2,"duration":3'


def timeline_body(tracks: str, extra: str = "") -> bytes:
    return f'{{"payload":{{"timeline":{{{extra}"tracks":{{{tracks}}}}}}}}}'.encode()


# (id, body): pydantic refuses each, so the fast path must leave each to pydantic.
REFUSED = [
    ("title twice", b'{"payload":{"title":"a","title":"b"}}'),
    ("title twice, same value", b'{"payload":{"title":"a","title":"a"}}'),
    ("a duplicate holding colons", b'{"payload":{"title":"a:b:c","title":"d"}}'),
    ("the kept duplicate holding colons", b'{"payload":{"title":"a","title":"b:c"}}'),
    ("payload twice", b'{"payload":{"title":"a"},"payload":{"title":"b"}}'),
    ("merge twice", b'{"payload":{"title":"a"},"merge":true,"merge":false}'),
    ("force twice", b'{"force":false,"payload":{"title":"a"},"force":true}'),
    ("section twice", b'{"payload":{"summary":"x","title":"t","summary":null}}'),
    (
        "kind twice in a clip",
        timeline_body(f'"visual":[{{{CLIP},"kind":"kenBurns","kind":"video"}}]'),
    ),
    (
        "kind twice, same value",
        timeline_body(f'"voice":[{{{CLIP},"kind":"voice","kind":"voice"}}]'),
    ),
    (
        "startTime twice, a colon in a name",
        timeline_body(
            '"voice":[{"id":"c","name":"a:b","kind":"voice","startTime":0,'
            '"startTime":1,"duration":1}]'
        ),
    ),
    (
        "startScale twice (a default left out)",
        timeline_body(f'"visual":[{{{CLIP},"kind":"kenBurns","startScale":2,"startScale":1}}]'),
    ),
    ("duration twice (recomputed)", timeline_body('"voice":[]', '"duration":1,"duration":2,')),
    ("tracks twice", b'{"payload":{"timeline":{"tracks":{},"tracks":{}}}}'),
    ("a track twice", timeline_body('"voice":[],"voice":[]')),
    ("an escaped colon against a duplicate", b'{"payload":{"title":"a","title":"b\\u003a"}}'),
    ("an escaped colon in the dropped value", b'{"payload":{"title":"\\u003a","title":"b"}}'),
    ("an escaped colon for the key", b'{"payload":{"title"\\u003a"a","title":"b"}}'),
    ("NUL", b'{"payload":{"title":"a\\u0000b"}}'),
    ("NUL in a key", b'{"payload":{"title":"a","\\u0000":1}}'),
    ("a lone high surrogate", b'{"payload":{"title":"\\ud800"}}'),
    ("a lone low surrogate", b'{"payload":{"title":"a\\udc00b"}}'),
    ("a raw NUL", b'{"payload":{"title":"a\x00b"}}'),
    ("a raw newline", b'{"payload":{"title":"a\nb"}}'),
    ("an encoded surrogate", b'{"payload":{"title":"a\xed\xa0\x80b"}}'),
    ("an overlong colon", b'{"payload":{"title":"a\xc0\xbab"}}'),
    ("invalid UTF-8", b'{"payload":{"title":"a\xffb"}}'),
    ("a BOM", b'\xef\xbb\xbf{"payload":{"title":"a"}}'),
    ("trailing garbage", b'{"payload":{"title":"a"}}x'),
    ("two bodies", b'{"payload":{"title":"a"}}{}'),
    ("an empty payload", b'{"payload":{}}'),
    ("no payload", b'{"merge":true}'),
    ("a null payload", b'{"payload":null}'),
    ("a null title", b'{"payload":{"title":null}}'),
    ("an empty title", b'{"payload":{"title":""}}'),
    ("a title too long", b'{"payload":{"title":"' + "😀".encode() * 501 + b'"}}'),
    ("an extra top-level key", b'{"payload":{"title":"a"},"extra":1}'),
    ("a snake_case top-level key", b'{"payload":{"title":"a"},"merge_onto":1}'),
    ("an unknown section", b'{"payload":{"title":"a","subtitle":"b"}}'),
    ("merge not a bool", b'{"payload":{"title":"a"},"merge":1}'),
    ("merge null", b'{"payload":{"title":"a"},"merge":null}'),
    ("force a string", b'{"payload":{"title":"a"},"force":"true"}'),
    ("NaN", timeline_body('"voice":[]', '"duration":NaN,')),
    ("Infinity", timeline_body(f'"voice":[{{{CLIP},"kind":"voice","volume":Infinity}}]')),
    ("1e400", timeline_body(f'"voice":[{{{CLIP},"kind":"voice","volume":1e400}}]')),
    ("a leading zero", timeline_body(f'"voice":[{{{CLIP},"kind":"voice","volume":01}}]')),
    ("a bool for a number", timeline_body(f'"voice":[{{{CLIP},"kind":"voice","volume":true}}]')),
    ("a volume above 1", timeline_body(f'"voice":[{{{CLIP},"kind":"voice","volume":1.5}}]')),
    ("a negative duration sent", timeline_body('"voice":[]', '"duration":-1,')),
    ("a null track", timeline_body('"voice":null')),
    ("a clip on the wrong track", timeline_body(f'"visual":[{{{CLIP},"kind":"voice"}}]')),
    (
        "a zero clip duration",
        timeline_body('"voice":[{"id":"c","name":"n","kind":"voice","startTime":0,"duration":0}]'),
    ),
    (
        "a null startScale",
        timeline_body(f'"visual":[{{{CLIP},"kind":"kenBurns","startScale":null}}]'),
    ),
    ("an empty script", b'{"payload":{"script":{"segments":[]}}}'),
    (
        "clips ending past the largest double: no finite duration",
        timeline_body(
            '"voice":[{"id":"c","name":"n","kind":"voice","startTime":1e308,"duration":1e308}]'
        ),
    ),
    (
        "a clip starting at an integer past the largest double",
        timeline_body(
            '"voice":[{"id":"c","name":"n","kind":"voice","startTime":1'
            + "0" * 309
            + ',"duration":1}]'
        ),
    ),
]

# (id, body): pydantic accepts each, reading something the fast path leaves to it or decides.
ACCEPTED = [
    ("a title", b'{"payload":{"title":"a"}}'),
    (
        "JSON's characters in strings",
        '{"payload":{"title":"16:9 \\"q\\" \\\\ \\/ \\t é😀"},"merge":false,"force":true}'.encode(),
    ),
    ("an escaped accent", b'{"payload":{"title":"\\u00e9"}}'),
    ("an escaped quote", b'{"payload":{"title":"\\u0022"}}'),
    ("an escaped colon", b'{"payload":{"title":"a\\u003ab"}}'),
    ("a surrogate pair", b'{"payload":{"title":"\\ud83d\\ude00"}}'),
    ("an escaped key", b'{"payload":{"t\\u0069tle":"x"}}'),
    ("whitespace", b' \n{ "payload" :\t{ "title" : "a" } , "merge" : true }\r\n'),
    ("nulls clear sections", b'{"payload":{"summary":null,"images":null,"timeline":null}}'),
    ("a snake_case track", timeline_body('"sound_effects":[]')),
    (
        "a snake_case clip field",
        timeline_body('"voice":[{"id":"c","name":"n","kind":"voice","start_time":2,"duration":3}]'),
    ),
    ("an unknown key of an item", b'{"payload":{"images":[{"id":"i","prompt":"p","x":[1,{}]}]}}'),
    ("an empty timeline", b'{"payload":{"timeline":{}}}'),
    ("a timeline without tracks", b'{"payload":{"timeline":{"id":"t","name":"T"}}}'),
    ("a duration sent", timeline_body(f'"voice":[{{{CLIP},"kind":"voice"}}]', '"duration":99,')),
    ("Ken Burns defaults", timeline_body(f'"visual":[{{{CLIP},"kind":"kenBurns"}}]')),
    (
        "numbers",
        timeline_body(
            '"voice":[{"id":"c","name":"n","kind":"voice","startTime":-0.0,'
            '"duration":1e22,"volume":1.0},{"id":"d","name":"n","kind":"voice",'
            '"startTime":1E2,"duration":5e-324,"volume":-0},{"id":"e","name":"n",'
            '"kind":"voice","startTime":100000000000000000000000000000,"duration":1.5}]'
        ),
    ),
]


@pytest.mark.parametrize("body", [body for _, body in REFUSED], ids=[name for name, _ in REFUSED])
def test_a_body_pydantic_refuses_is_left_to_it(body: bytes) -> None:
    with pytest.raises((MalformedBody, ValidationError)):
        slow_path(body)
    assert not agrees(body)


@pytest.mark.parametrize("body", [body for _, body in ACCEPTED], ids=[name for name, _ in ACCEPTED])
def test_a_body_pydantic_accepts_is_read_alike(body: bytes) -> None:
    slow_path(body)
    agrees(body)


@pytest.mark.parametrize(
    "body",
    [
        b'{"payload":{"title":"a"}}',
        b'{"payload":{"timeline":{}}}',
        timeline_body(f'"voice":[{{{CLIP},"kind":"voice"}}]', '"duration":99,'),
        timeline_body(f'"visual":[{{{CLIP},"kind":"kenBurns"}}]'),
        b'{"payload":{"summary":null,"images":null,"timeline":null},"merge":true}',
    ],
)
def test_the_editors_own_bodies_are_decided_by_the_fast_path(body: bytes) -> None:
    assert agrees(body)


def test_what_the_fast_path_stores_of_a_timeline() -> None:
    """Defaults filled in, and the duration recomputed whatever was sent."""
    clips = f'"visual":[{{{CLIP},"kind":"kenBurns"}}],"voice":[{{{CLIP},"kind":"voice"}}]'
    save = checked_save(timeline_body(clips, '"duration":99,'))
    assert save is not None
    timeline = save.payload.sections()["timeline"]
    assert isinstance(timeline, dict)
    assert same(timeline["duration"], 5.0)
    assert same((timeline["id"], timeline["name"]), ("timeline", "Timeline"))
    tracks = timeline["tracks"]
    assert isinstance(tracks, dict)
    assert same(tracks["music"], [])
    assert same(tracks["soundEffects"], [])
    assert isinstance(tracks["visual"], list)
    ken_burns = tracks["visual"][0]
    assert isinstance(ken_burns, dict)
    defaults = {"startScale": 1, "endScale": 1.2, "startX": 0, "startY": 0, "endX": 0, "endY": 0}
    assert same({name: ken_burns[name] for name in defaults}, defaults)
    assert set(save.payload.sections()) == {"timeline"}
    empty = checked_save(b'{"payload":{"timeline":{}}}')
    assert empty is not None
    assert same(
        empty.payload.sections(),
        {
            "timeline": {
                "id": "timeline",
                "name": "Timeline",
                "duration": 0.0,
                "tracks": {"visual": [], "voice": [], "music": [], "soundEffects": []},
            }
        },
    )


# The Structs follow the models.


def test_the_fast_envelope_has_the_save_requests_fields() -> None:
    assert _SaveBody.__struct_fields__ == tuple(SaveRequest.model_fields)
    assert struct_of(LecturePatch).__struct_fields__ == tuple(LecturePatch.model_fields)


MODELS: list[type[BaseModel]] = [
    LecturePatch,
    LectureScript,
    LectureSegment,
    ImageAsset,
    VideoAsset,
    NarrationAsset,
    MusicAsset,
    SoundEffectAsset,
    AssetError,
    Timeline,
    TimelineTracks,
    KenBurnsClip,
    VideoClip,
    VoiceClip,
    MusicClip,
    SoundFxClip,
]


@pytest.mark.parametrize("model", MODELS, ids=[model.__name__ for model in MODELS])
def test_a_struct_names_its_models_fields_by_their_aliases(model: type[BaseModel]) -> None:
    fields = msgspec.structs.fields(struct_of(model))
    assert [field.name for field in fields] == list(model.model_fields)
    aliases = [info.alias or name for name, info in model.model_fields.items()]
    assert [field.encode_name for field in fields] == aliases


@pytest.mark.parametrize(("model", "kind"), [(KenBurnsClip, "kenBurns"), (VideoClip, "video")])
def test_a_visual_clip_struct_is_told_apart_by_its_kind(model: type[BaseModel], kind: str) -> None:
    struct = struct_of(model, "kind")
    assert struct.__struct_config__.tag_field == "kind"
    assert struct.__struct_config__.tag == kind
    assert struct.__struct_fields__ == tuple(name for name in model.model_fields if name != "kind")


class WithFieldValidator(WireModel):
    name: str

    @field_validator("name")
    @classmethod
    def _stripped(cls, name: str) -> str:
        return name.strip()


class WithModelValidator(WireModel):
    name: str

    @model_validator(mode="after")
    def _checked(self) -> Self:
        return self


class WithDict(WireModel):
    counts: dict[str, int]


class WithSet(WireModel):
    tags: set[str]


class WithPlainInt(WireModel):
    count: int


class WithPattern(WireModel):
    code: Annotated[str, Field(pattern="^[a-z]+$")]


class WithDroppedDefault(WireModel):
    name: str = "x"


UNSUPPORTED: list[type[BaseModel]] = [
    WithFieldValidator,
    WithModelValidator,
    WithDict,
    WithSet,
    WithPlainInt,
    WithPattern,
    WithDroppedDefault,
]


@pytest.mark.parametrize("model", UNSUPPORTED, ids=[model.__name__ for model in UNSUPPORTED])
def test_a_model_the_structs_cannot_follow_is_refused(model: type[BaseModel]) -> None:
    with pytest.raises(UnsupportedModel):
        struct_of(model)
