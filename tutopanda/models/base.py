"""Model bases: camelCase on the wire, snake_case in Python; strict envelopes, passthrough items."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, cast

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetPydanticSchema,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import core_schema
from typing_extensions import TypeAliasType

MAX_SERIAL = 2**31 - 1  # the largest id or revision a PostgreSQL `integer`/`serial` column holds
MAX_JSON_DEPTH = 200  # nesting deeper than this is refused: the limit of the JSON parser (jiter)


def _number(ge: int | None = None, gt: int | None = None, le: int | None = None) -> Any:
    """A JSON number within bounds: an int stays an int, a float a float (1 stays 1, 1.5 stays
    1.5); NaN and infinities are refused. One error names the field (no `int`/`float` branches)."""
    bounds = {
        name: value for name, value in {"ge": ge, "gt": gt, "le": le}.items() if value is not None
    }
    words = {"ge": ">=", "gt": ">", "le": "<="}
    message = " ".join(
        ["Input should be a finite number", *(f"{words[k]} {v}" for k, v in bounds.items())]
    )

    def schema(_source: Any, _handler: Any) -> core_schema.CoreSchema:
        return core_schema.union_schema(
            [
                core_schema.int_schema(ge=ge, gt=gt, le=le),
                core_schema.float_schema(allow_inf_nan=False, ge=ge, gt=gt, le=le),
            ],
            custom_error_type="number_type",
            custom_error_message=message,
        )

    return GetPydanticSchema(schema)


# Each is published as one `number` with its bounds: pydantic's `anyOf: [integer, number]` would
# become a `oneOf` that every whole number fails (it matches both branches).
Number = Annotated[int | float, _number(), WithJsonSchema({"type": "number"})]
NonNegative = Annotated[
    int | float, _number(ge=0), WithJsonSchema({"type": "number", "minimum": 0})
]
Positive = Annotated[
    int | float, _number(gt=0), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
]
UnitInterval = Annotated[
    int | float,
    _number(ge=0, le=1),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 1}),
]


def _whole(value: Any) -> Any:
    """JSON has one number type: 5.0 is the integer 5 (as in JSON Schema); "5" and true are not."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# On an `int` field of a strict model: `5.0` is 5, while `"5"` and `true` are still refused.
WHOLE_FLOATS_ARE_INTS = BeforeValidator(_whole)
Text = Annotated[str, Field(max_length=100_000)]
Identifier = Annotated[str, Field(min_length=1, max_length=500)]

AssetStatus = Literal["generated", "needs_prompt_update", "failed"]
AspectRatio = Literal["1:1", "4:3", "3:4", "16:9", "9:16", "21:9", "3:2", "2:3"]

_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: not in PostgreSQL


def check_storable(value: Any, depth: int = 0) -> None:
    """Refuse what PostgreSQL cannot store (NUL, lone surrogates) and absurd nesting, anywhere.

    For Python input only (workers' generators): an HTTP body gets these checks on its raw bytes
    (api/bodies.py), without walking the decoded value.
    """
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        if _UNSTORABLE_TEXT.search(value):
            raise ValueError("text must not contain NUL characters or lone surrogates")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(key, depth + 1)
            check_storable(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_storable(item, depth + 1)


class WireModel(BaseModel):
    """A request or response envelope: unknown fields are an error, names are camelCase."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_max_length=1_000_000,
        allow_inf_nan=False,
    )


def _validation_error(model: type[BaseModel], error: ValueError) -> ValidationError:
    line = {"type": "value_error", "loc": (), "input": None, "ctx": {"error": error}}
    return ValidationError.from_exception_data(model.__name__, [line])  # type: ignore[list-item]


class CheckedModel(WireModel):
    """A request envelope. Over HTTP it is decoded from the raw body once, strictly (api/bodies.py);
    Python input (`model_validate`) is first checked for what PostgreSQL cannot store."""

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate Python data, after refusing NUL characters, lone surrogates, deep nesting."""
        try:
            check_storable(obj)
        except ValueError as error:
            raise _validation_error(cls, error) from None
        return super().model_validate(obj, **options)


class FilledDefaults(BaseModel):
    """Defaults count as sent, so they are stored (as the original app's Zod parsing did),
    while an optional field that was not sent stays absent rather than becoming null."""

    @model_validator(mode="after")
    def _defaults_count_as_sent(self) -> Any:
        self.__pydantic_fields_set__.update(_filled_defaults(type(self)))
        return self


@cache
def _filled_defaults(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` with a non-null default: computed once per class, not per item."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if not info.is_required() and (info.default_factory or info.default is not None)
    )


def _one_error(source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
    """One error naming the key, not one per kind of JSON value the union tried."""
    schema = handler(source)
    union = cast(dict[str, Any], schema["schema"] if schema["type"] == "nullable" else schema)
    union["custom_error_type"] = "json_data"
    union["custom_error_message"] = "Input should be JSON with finite numbers"
    return schema


if TYPE_CHECKING:
    JsonData = Any
else:
    # Any JSON value, checked natively (no Python walk); its numbers are finite (`1e400` is not,
    # and JSON cannot store an infinity) by WireModel's `allow_inf_nan=False`.
    JsonData = TypeAliasType(
        "JsonData",
        Annotated[
            bool | int | float | str | list["JsonData"] | dict[str, "JsonData"] | None,
            GetPydanticSchema(_one_error, lambda _schema, _handler: {}),
        ],
    )
# The value of an unknown key of a passthrough item, kept as sent (published as any value).
ExtraValue = Annotated[JsonData, WithJsonSchema({})]


class PassthroughModel(WireModel, FilledDefaults):
    """An item inside a section (asset, clip, segment): unknown keys are kept as sent."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})
    __pydantic_extra__: dict[str, ExtraValue] = Field(init=False)


def stored_json(model: BaseModel) -> Any:
    """A section item in its stored form: camelCase, as sent, defaults filled in."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


class AssetError(PassthroughModel):
    """Why generating an asset failed."""

    code: Text
    message: Text
    provider: Text | None = None
    provider_code: Text | None = None
