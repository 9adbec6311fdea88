"""msgspec Structs generated from the pydantic models of a lecture: the same checks, at msgspec's
speed, for the form an editor sends (camelCase keys, no key the models do not name).

The pydantic models stay the one definition: `struct_of(model)` derives each Struct from the
model's fields (names, aliases, types, bounds, defaults) and refuses, at import, any field, bound
or validator it does not know, so a model change cannot leave the Structs quietly behind.
A Struct decodes what was sent (a field left out is UNSET); `fill_defaults` then adds what
pydantic would store besides (the defaults of `FilledDefaults` models, a timeline's recomputed
duration) and counts the keys it added. What a Struct refuses is not decided here: the caller
hands the body to pydantic, whose answer (and error messages) stand (api/save_body.py).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, cast, get_args, get_origin

import msgspec
from annotated_types import MaxLen, MinLen
from msgspec import UNSET, Meta, UnsetType
from pydantic import BaseModel, WithJsonSchema
from pydantic.fields import FieldInfo

from tutopanda.models.base import (
    FilledDefaults,
    NonNegative,
    Number,
    Positive,
    UnitInterval,
    WireModel,
)
from tutopanda.models.timeline import last_clip_end

_FINITE = sys.float_info.max  # a bound on every float: 1e400 (an infinity) is refused
_meta = cast(Callable[..., Meta], Meta)  # Meta(**bounds): its overloads name each bound


def _number(**bounds: float) -> Any:
    """A JSON number as the model's: an int stays an int, a float a float, both within bounds."""
    return Union[  # noqa: UP007 (a runtime type)
        Annotated[int, _meta(**bounds)] if bounds else int,
        Annotated[float, _meta(**_finite(bounds))],
    ]


def _finite(bounds: dict[str, float]) -> dict[str, float]:
    """`bounds` with the largest finite floats as the bounds it leaves open."""
    lower = {} if "gt" in bounds or "ge" in bounds else {"ge": -_FINITE}
    upper = {} if "le" in bounds else {"le": _FINITE}
    return {**lower, **upper, **bounds}


# The numbers of tutopanda.models.base, by the object that gives each its pydantic schema.
_NUMBERS = {
    get_args(Number)[1]: _number(),
    get_args(NonNegative)[1]: _number(ge=0),
    get_args(Positive)[1]: _number(gt=0),
    get_args(UnitInterval)[1]: _number(ge=0, le=1),
}
_STR_MAX_LENGTH = WireModel.model_config.get("str_max_length")
# Model validators with their counterpart here (run by `fill_defaults`), by name.
_FILLED = "_defaults_count_as_sent"  # FilledDefaults: what _Plan.defaults does
_DURATION = "_duration_is_the_last_clip_end"  # Timeline: _last_clip_end


class UnsupportedModel(TypeError):
    """A model holds something this module cannot check like pydantic does."""


def _last_clip_end(timeline: Any) -> None:
    """Timeline's `_duration_is_the_last_clip_end`, on the Struct (ValueError past any number)."""
    tracks = timeline.tracks
    clips = (*tracks.visual, *tracks.voice, *tracks.music, *tracks.sound_effects)
    timeline.duration = last_clip_end(clips)


_AFTER: dict[str, Callable[[Any], None]] = {_DURATION: _last_clip_end}


@dataclass(frozen=True)
class _Plan:
    """What `fill_defaults` does on a Struct: the defaults it sets when left out (each with the
    number of keys it adds to the JSON), the fields holding Structs that need filling, and the
    model validator to run after."""

    defaults: tuple[tuple[str, Callable[[], Any], int], ...]
    children: tuple[tuple[str, bool], ...]  # (field, holds a list)
    after: Callable[[Any], None] | None

    @property
    def needed(self) -> bool:
        return bool(self.defaults or self.children or self.after)


_PLANS: dict[type[msgspec.Struct], _Plan] = {}


def fill_defaults(value: Any) -> int:
    """Set what pydantic stores beside what was sent on `value` (a Struct of this module) and its
    Structs; the number of JSON keys that adds. ValueError where pydantic's validator refuses."""
    plan = _PLANS.get(type(value))
    if plan is None:
        return 0
    added = 0
    for name, default, keys in plan.defaults:
        if getattr(value, name) is UNSET:
            setattr(value, name, default())
            added += keys
    for name, many in plan.children:
        child = getattr(value, name)
        if many and isinstance(child, list):
            for item in child:
                added += fill_defaults(item)
        elif isinstance(child, msgspec.Struct):
            added += fill_defaults(child)
    if plan.after is not None:
        plan.after(value)
    return added


@cache
def struct_of(model: type[BaseModel], tag_field: str | None = None) -> type[msgspec.Struct]:
    """The Struct checking what `model` checks (with `tag_field`: as a member of a union told
    apart by that field, whose value is the tag)."""
    decorators = model.__pydantic_decorators__
    validators = set(decorators.model_validators)
    if decorators.field_validators or decorators.validators or decorators.root_validators:
        raise UnsupportedModel(f"{model.__name__} has field validators")
    unknown = validators - {_FILLED, *_AFTER}
    if unknown:
        raise UnsupportedModel(f"{model.__name__} has model validators {sorted(unknown)}")
    filled = issubclass(model, FilledDefaults)
    fields: list[tuple[str, Any, Any]] = []
    names: dict[str, str] = {}
    defaults: list[tuple[str, Callable[[], Any], int]] = []
    children: list[tuple[str, bool]] = []
    tag: str | None = None
    for name, info in model.model_fields.items():
        if name == tag_field:
            tag = _literal_value(model, info)
            continue
        kind = _translate(info.rebuild_annotation())
        names[name] = info.alias or name
        if info.is_required():
            fields.append((name, kind, msgspec.NODEFAULT))
        else:
            fields.append((name, Union[kind, UnsetType], UNSET))  # noqa: UP007
            if info.default_factory is not None or info.default is not None:
                if not filled:
                    raise UnsupportedModel(f"{model.__name__}.{name}: a default pydantic drops")
                defaults.append((name, *_default(info)))
        if (many := _holds_structs(kind)) is not None:
            children.append((name, many))
    struct = msgspec.defstruct(
        model.__name__,
        fields,
        rename=names,
        kw_only=True,  # a required field may follow one with a default, as in the model
        forbid_unknown_fields=True,
        tag_field=tag_field if tag is not None else None,
        tag=tag,
    )
    after = next((_AFTER[name] for name in validators if name in _AFTER), None)
    plan = _Plan(tuple(defaults), tuple(children), after)
    if plan.needed:
        _PLANS[struct] = plan
    return struct


def _literal_value(model: type[BaseModel], info: FieldInfo) -> str:
    args = get_args(info.annotation)
    if get_origin(info.annotation) is not Literal or len(args) != 1 or not isinstance(args[0], str):
        raise UnsupportedModel(f"{model.__name__}: its tag is not one string literal")
    return args[0]


def _default(info: FieldInfo) -> tuple[Callable[[], Any], int]:
    """A factory of the field's default as a Struct value, and the keys the default adds."""
    if info.default_factory is not None:
        source = info.default_factory
        if isinstance(source, type) and issubclass(source, BaseModel):
            struct = struct_of(source)

            def make() -> Any:
                made = struct()
                fill_defaults(made)
                return made
        else:
            make = source  # type: ignore[assignment]
    else:
        value = info.default
        make = lambda: value  # noqa: E731 (immutable defaults: numbers and strings)
    return make, 1 + msgspec.json.encode(make()).count(b":")


def _holds_structs(kind: Any) -> bool | None:
    """Whether `fill_defaults` has work in a value of `kind`: True in a list of Structs, False in
    a Struct; None: no work (no Struct, or none with defaults or a validator, however deep)."""
    for member in _members(kind):
        if get_origin(member) is list:
            if any(item in _PLANS for item in _members(get_args(member)[0])):
                return True
        elif member in _PLANS:
            return False
    return None


def _members(kind: Any) -> tuple[Any, ...]:
    if get_origin(kind) is Annotated:
        return _members(get_args(kind)[0])
    if get_origin(kind) in (Union, types.UnionType):
        return tuple(m for arg in get_args(kind) for m in _members(arg))
    return (kind,)


def _translate(annotation: Any) -> Any:
    """The msgspec type of a pydantic annotation (Annotated metadata included)."""
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        return _constrained(base, metadata)
    return _constrained(annotation, [])


def _constrained(base: Any, metadata: list[Any]) -> Any:
    bounds: dict[str, int] = {}
    discriminator: str | None = None
    for item in _flattened(metadata):
        if item in _NUMBERS:
            return _NUMBERS[item]
        if isinstance(item, MinLen):
            bounds["min_length"] = item.min_length
        elif isinstance(item, MaxLen):
            bounds["max_length"] = item.max_length
        elif isinstance(item, FieldInfo) and isinstance(item.discriminator, str):
            discriminator = item.discriminator
        elif not isinstance(item, WithJsonSchema):
            raise UnsupportedModel(f"no msgspec check for {item!r}")
    if get_origin(base) in (Union, types.UnionType):
        if bounds:
            raise UnsupportedModel(f"bounds on a union: {base!r}")
        members = [
            struct_of(arg, discriminator) if discriminator else _translate(arg)
            for arg in get_args(base)
        ]
        return Union[tuple(members)]  # noqa: UP007
    if discriminator:
        raise UnsupportedModel(f"a discriminator outside a union: {base!r}")
    return _bounded(base, bounds)


def _bounded(base: Any, bounds: dict[str, int]) -> Any:
    """The msgspec type of `base`, a type that is not a union, with length `bounds`."""
    if base is str:
        if _STR_MAX_LENGTH is not None:
            bounds.setdefault("max_length", _STR_MAX_LENGTH)
        return Annotated[str, _meta(**bounds)]
    if get_origin(base) is list:
        (item,) = get_args(base)
        kind = types.GenericAlias(list, (_translate(item),))
        return Annotated[kind, _meta(**bounds)] if bounds else kind
    if bounds:
        raise UnsupportedModel(f"length bounds on {base!r}")
    if get_origin(base) is Literal or base in (bool, type(None)):
        return base
    if isinstance(base, type) and issubclass(base, BaseModel):
        return struct_of(base)
    raise UnsupportedModel(f"no msgspec type for {base!r}")


def _flattened(metadata: list[Any]) -> list[Any]:
    """Annotated metadata, with a FieldInfo's own constraints in its place."""
    flat: list[Any] = []
    for item in metadata:
        if isinstance(item, FieldInfo):
            flat.extend(_flattened(list(item.metadata)))
            if item.discriminator is not None:
                flat.append(item)
        else:
            flat.append(item)
    return flat
