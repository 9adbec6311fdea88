"""Model bases: camelCase on the wire, snake_case in Python; strict envelopes, passthrough items."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

MAX_JSON_DEPTH = 32  # nesting deeper than this in a section is refused (PostgreSQL and sanity)

# Numbers keep their JSON form (1 stays 1, 1.5 stays 1.5); NaN and infinities are refused.
Number = Annotated[int | float, AllowInfNan(False)]
NonNegative = Annotated[int | float, AllowInfNan(False), Field(ge=0)]
Positive = Annotated[int | float, AllowInfNan(False), Field(gt=0)]
UnitInterval = Annotated[int | float, AllowInfNan(False), Field(ge=0, le=1)]
Text = Annotated[str, Field(max_length=100_000)]
Identifier = Annotated[str, Field(min_length=1, max_length=500)]

AssetStatus = Literal["generated", "needs_prompt_update", "failed"]
AspectRatio = Literal["1:1", "4:3", "3:4", "16:9", "9:16", "21:9", "3:2", "2:3"]


def _check_json(value: Any, depth: int) -> None:
    """Refuse NUL characters (PostgreSQL cannot store them) and absurd nesting, anywhere."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, depth + 1)
            _check_json(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth + 1)


class WireModel(BaseModel):
    """A request or response envelope: unknown fields are an error, names are camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_max_length=1_000_000,
    )


class CheckedModel(WireModel):
    """An envelope whose whole input is checked for NUL characters and nesting first."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_unstorable_json(cls, data: Any) -> Any:
        _check_json(data, 0)
        return data


class FilledDefaults(BaseModel):
    """Defaults count as sent, so they are stored (as the original app's Zod parsing did),
    while an optional field that was not sent stays absent rather than becoming null."""

    @model_validator(mode="after")
    def _defaults_count_as_sent(self) -> Any:
        for name, info in type(self).model_fields.items():
            if not info.is_required() and (
                info.default_factory is not None or info.default is not None
            ):
                self.__pydantic_fields_set__.add(name)
        return self


class PassthroughModel(WireModel, FilledDefaults):
    """An item inside a section (asset, clip, segment): unknown keys are kept as sent."""

    model_config = ConfigDict(extra="allow")


def stored_json(model: BaseModel) -> Any:
    """A section item in its stored form: camelCase, as sent, defaults filled in."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


class AssetError(PassthroughModel):
    """Why generating an asset failed."""

    code: Text
    message: Text
    provider: Text | None = None
    provider_code: Text | None = None
