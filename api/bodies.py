"""Request bodies: the raw bytes parsed once and validated once, strictly, into the handler's model.

One JSON parse (jiter, the parser inside pydantic) refuses what is not JSON a lecture can hold:
invalid UTF-8, lone surrogates, NaN/Infinity, duplicate keys in any object, nesting deeper
than MAX_JSON_DEPTH; then one strict pydantic validation (no coercion: `"2"` is not 2, `"yes"`
is not true; numbers too large for a double, like `1e400`, are refused there too). An escaped
NUL (`\\u0000`, which PostgreSQL cannot store) is looked for in the decoded value only when the
bytes hold one.

Every request model (a `CheckedModel`) is decoded this way: `StrictBodies` is the app's plugin
that gives each handler's `data` this DTO, so no handler can opt out by forgetting.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar, get_args

import jiter
from litestar.dto import AbstractDTO, DTOConfig, DTOFieldDefinition
from litestar.dto._backend import DTOBackend
from litestar.openapi.spec import Reference, Schema
from litestar.plugins import SerializationPlugin
from litestar.typing import FieldDefinition
from typing_extensions import override

from tutopanda.models.base import CheckedModel

T = TypeVar("T", bound=CheckedModel)

_ESCAPED_NUL = b"\\u0000"  # or a backslash followed by "u0000": the decoded value tells
# What the OpenAPI document says of every string, keys included (api/openapi.py): no NUL.
HOLDS_NUL = "\\u0000"  # a pattern (JSON Schema's, Python's) that finds a NUL anywhere
NO_NUL_PATTERN = f"^[^{HOLDS_NUL}]*$"


class MalformedBody(ValueError):
    """The body is not JSON we accept (syntax, encoding, duplicate keys, nesting, numbers)."""


def parse_json(body: bytes) -> Any:
    """The JSON value of `body`; MalformedBody when it is not acceptable JSON."""
    try:
        value = jiter.from_json(body, allow_inf_nan=False, catch_duplicate_keys=True)
    except ValueError as error:
        raise MalformedBody(f"the body is not valid JSON: {error}") from None
    if _ESCAPED_NUL in body:
        _refuse_nul(value)
    return value


def _refuse_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise MalformedBody("text must not contain NUL characters (\\u0000)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key)
            _refuse_nul(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item)


def decode_body(model: type[T], body: bytes) -> T:
    """`body` as a `model`: MalformedBody (400) or pydantic's ValidationError (422)."""
    value = parse_json(body)
    validated: T = model.__pydantic_validator__.validate_python(value, strict=True)
    return validated


class StrictJson(AbstractDTO[T]):
    """The DTO of a request body: `decode_body` of the raw bytes (no builtins round trip)."""

    config = DTOConfig()

    @override
    def decode_bytes(self, value: bytes) -> Any:
        """The handler's `data`, from the raw body; an optional body (`Model | None`) may be
        left out entirely (None)."""
        members = get_args(self.model_type)
        if not members:
            return decode_body(self.model_type, value)
        if not value.strip():
            return None
        model = next(m for m in members if m is not type(None))
        return decode_body(model, value)

    @override
    def decode_builtins(self, value: dict[str, Any]) -> Any:
        """Form bodies are not accepted: the API speaks JSON."""
        raise MalformedBody("the body must be JSON")

    @classmethod
    @override
    def create_for_field_definition(
        cls,
        field_definition: FieldDefinition,
        handler_id: str,
        backend_cls: type[DTOBackend] | None = None,
    ) -> None:
        """Nothing to prepare: pydantic holds the model's validator."""

    @classmethod
    @override
    def create_openapi_schema(
        cls, field_definition: FieldDefinition, handler_id: str, schema_creator: Any
    ) -> Reference | Schema:
        """The model's own schema (see api/openapi.py)."""
        schema: Reference | Schema = schema_creator.for_field_definition(
            FieldDefinition.from_annotation(cls.model_type)
        )
        return schema

    @classmethod
    @override
    def generate_field_definitions(
        cls, model_type: type[Any]
    ) -> Generator[DTOFieldDefinition, None, None]:
        """Unused: the body is never built field by field."""
        yield from ()

    @classmethod
    @override
    def detect_nested_field(cls, field_definition: FieldDefinition) -> bool:
        """Unused: nested models are pydantic's business."""
        return False


class StrictBodies(SerializationPlugin):
    """Every `data: SomeCheckedModel` of a handler is decoded by StrictJson."""

    def supports_type(self, field_definition: FieldDefinition) -> bool:
        """Request models only; responses stay with the pydantic plugin."""
        return field_definition.is_subclass_of(CheckedModel)

    def create_dto_for_type(self, field_definition: FieldDefinition) -> type[AbstractDTO[Any]]:
        """A StrictJson DTO for this model."""
        return StrictJson[field_definition.annotation]  # type: ignore[name-defined]
