"""An auto-save's body checked at msgspec's speed, when it is in the form an editor sends.

The body of `PATCH /lectures/{id}` is the hot path of the API: an editor sends the whole dirty
section on every pause, and pydantic (jiter, strict validation, then writing the stored form)
costs ~7 times what msgspec does for a 20 KB timeline. So a save body is first decoded by the
Structs tutopanda.models.structs derives from the pydantic models. It is accepted here only when
nothing can differ from what api/bodies.py would decide:

- no `\\u` escape: the NUL, lone surrogates, and a colon written as an escape are pydantic's
  to judge;
- every key is one the models name, in camelCase (an unknown key, kept by a passthrough item,
  or a snake_case one goes to pydantic);
- no key is sent twice: jiter refuses that, msgspec keeps the last. Every colon of such a body
  ends a key or is a character of a string; the Structs' JSON has one for each key decoded (plus
  those the defaults add) and each colon of the strings kept. A duplicate key is missing from it,
  with its value, so the counts differ;
- the payload has a section.

Anything else (`None`) goes to pydantic, which accepts or refuses it with its own messages.
A test (tests/unit/test_save_body.py) checks that both agree on what they both accept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import msgspec
from msgspec import UNSET, UnsetType
from pydantic import JsonValue

from tutopanda.models.lecture import LecturePatch
from tutopanda.models.structs import fill_defaults, struct_of

_COLON = b":"
_Patch = struct_of(LecturePatch)
_SECTIONS = _Patch.__struct_fields__


@dataclass(frozen=True)
class EncodedSections:
    """The sections of a checked body, as the text to store (tutopanda.models.StoredSections)."""

    text: str

    def stored_text(self) -> str:
        return self.text

    def sections(self) -> dict[str, JsonValue]:
        """The sections as JSON values (parsed only when asked: a merge that met a newer one)."""
        decoded: dict[str, JsonValue] = json.loads(self.text)
        return decoded


@dataclass(frozen=True)
class CheckedSave:
    """A save request decided here: SaveRequest's `payload` (encoded), `merge` and `force`."""

    payload: EncodedSections
    merge: bool
    force: bool


class _SaveBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """SaveRequest's fields (tests/unit/test_save_body.py compares them): `payload`, the
    sections (at least one), `merge` and `force`."""

    payload: _Patch  # type: ignore[valid-type]
    merge: bool | UnsetType = UNSET
    force: bool | UnsetType = UNSET


_DECODER = msgspec.json.Decoder(_SaveBody)
_ENCODER = msgspec.json.Encoder()


def checked_save(body: bytes) -> CheckedSave | None:
    """The save `body` asks for, when it is decided here; None: pydantic decides."""
    if body.find(b"\\") >= 0 and b"\\u" in body:  # memchr first: most bodies have no escape
        return None
    try:
        decoded = _DECODER.decode(body)
    except msgspec.DecodeError:  # its ValidationError too
        return None
    payload = decoded.payload
    if all(getattr(payload, name) is UNSET for name in _SECTIONS):
        return None
    try:
        added = fill_defaults(payload)
    except ValueError:  # a timeline ending past any number: pydantic says so
        return None
    text = _ENCODER.encode(payload)
    envelope_keys = 1 + (decoded.merge is not UNSET) + (decoded.force is not UNSET)
    if text.count(_COLON) - added + envelope_keys != body.count(_COLON):
        return None  # a key sent twice
    return CheckedSave(EncodedSections(text.decode()), decoded.merge is True, decoded.force is True)
