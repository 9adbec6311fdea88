"""The OpenAPI document says exactly what the API does: pydantic's own JSON Schema for every model.

Litestar re-derives a schema from each pydantic field and loses what pydantic enforces (bounds
inside Optional, `minimum: 0`, union shapes). Here every pydantic model becomes one component,
converted from `model_json_schema()` (validation mode, camelCase): the same schema pydantic
validates requests with, and the one schemathesis checks responses against (tests/api). One rule
is added to it: no string holds NUL (U+0000), keys included, as PostgreSQL cannot store it (the
server refuses a body holding one, api/bodies.py); any JSON value is the component `JsonValue`,
which says so at every depth. api/contract.py completes the rest of the document.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from collections.abc import Iterator
from typing import Any

from litestar import Request, Response
from litestar._openapi.datastructures import SchemaRegistry
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Discriminator, OpenAPIType, Reference, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition
from pydantic import BaseModel
from typing_extensions import override

from tutopanda.api.bodies import HOLDS_NUL

# JSON Schema keyword -> attribute of Litestar's Schema.
_ATTRIBUTES = {
    str(field.metadata.get("alias", field.name)): field.name for field in dataclasses.fields(Schema)
}
_REF_PREFIX = "#/$defs/"


class PydanticSchemas(OpenAPISchemaPlugin):
    """Publishes each pydantic model as a component holding pydantic's JSON Schema."""

    @override
    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return field_definition.is_subclass_of(BaseModel)

    @override
    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        registry: SchemaRegistry = schema_creator.schema_registry
        return _component(registry, field_definition.annotation)  # type: ignore[return-value]


def _component(registry: SchemaRegistry, model: type[BaseModel]) -> Reference:
    """A reference to the component of `model`, registered (and filled) on first use."""
    field = FieldDefinition.from_annotation(model)
    reference = registry.get_reference_for_field_definition(field)
    if reference is not None:
        return reference
    schema = registry.get_schema_for_field_definition(field)
    document = _json_schema(model)
    models = {cls.__name__: cls for cls in _models_within(model)}
    converted = _convert(document, document.get("$defs", {}), models, registry)
    for name, value in vars(converted).items():
        setattr(schema, name, value)
    reference = registry.get_reference_for_field_definition(field)
    assert reference is not None  # registered just above
    return reference


def _json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """pydantic's JSON Schema of `model` (validation mode, camelCase), a copy of its own."""
    document: dict[str, Any] = json.loads(_json_schema_text(model))
    return document


@functools.cache
def _json_schema_text(model: type[BaseModel]) -> str:
    """Made once per model and process: making them took ~0.1 s of every app's start (each test
    client's, tests/api)."""
    return json.dumps(model.model_json_schema(by_alias=True, mode="validation"))


class JsonValue:
    """The key of the component `JsonValue`: any JSON value, no string of which holds NUL."""


def _holding_nul() -> Schema:
    """A string holding NUL, for `not`. (Not `pattern: ^[^\\u0000]*$` on each string:
    schemathesis drew every string from that regular expression, its run took 3 times longer.)"""
    return Schema(pattern=HOLDS_NUL)


def _json_value(registry: SchemaRegistry) -> Reference:
    """A reference to the component `JsonValue`, registered on first use (it refers to itself)."""
    field = FieldDefinition.from_annotation(JsonValue)
    if (reference := registry.get_reference_for_field_definition(field)) is not None:
        return reference
    schema = registry.get_schema_for_field_definition(field)
    reference = registry.get_reference_for_field_definition(field)
    assert reference is not None  # registered just above
    schema.description = JsonValue.__doc__
    schema.any_of = [
        Schema(type=OpenAPIType.NULL),
        Schema(type=OpenAPIType.BOOLEAN),
        Schema(type=OpenAPIType.NUMBER),
        Schema(type=OpenAPIType.STRING, schema_not=_holding_nul()),
        Schema(type=OpenAPIType.ARRAY, items=reference),
        Schema(
            type=OpenAPIType.OBJECT,
            additional_properties=reference,
            property_names=Schema(schema_not=_holding_nul()),
        ),
    ]
    return reference


def _without_nul(node: dict[str, Any], values: dict[str, Any], registry: SchemaRegistry) -> None:
    """A string without a pattern of its own (ours admit no NUL) holds no NUL; nor do the keys
    of an open object, and the values it admits beyond its properties are `JsonValue`."""
    if node.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(node):
        values["schema_not"] = _holding_nul()
    extra = node.get("additionalProperties", False)
    if extra is not False:
        values["property_names"] = Schema(schema_not=_holding_nul())
    if extra is True:
        values["additional_properties"] = _json_value(registry)


def _convert(
    node: Any, defs: dict[str, Any], models: dict[str, type[BaseModel]], registry: SchemaRegistry
) -> Any:
    """A JSON Schema dict as Litestar's Schema; `$ref`s to models become component references,
    and any value (`{}`, pydantic's JsonValue) the component `JsonValue`."""
    if isinstance(node, list):
        return [_convert(item, defs, models, registry) for item in node]
    if not isinstance(node, dict):
        return node
    if not node:
        return _json_value(registry)
    if "$ref" in node:
        name = node["$ref"].removeprefix(_REF_PREFIX)
        target = (
            _component(registry, models[name])
            if name in models
            else _convert(defs[name], defs, models, registry)  # not a model: inline
        )
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        if not siblings:
            return target
        return _convert({**siblings, "allOf": [{"$ref": node["$ref"]}]}, defs, models, registry)
    values: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            continue
        if key == "discriminator":
            mapping = {
                tag: f"#/components/schemas/{ref.removeprefix(_REF_PREFIX)}"
                for tag, ref in value.get("mapping", {}).items()
            }
            values["discriminator"] = Discriminator(value["propertyName"], mapping or None)
        elif key in ("properties", "patternProperties", "dependentSchemas"):
            values[_ATTRIBUTES[key]] = {
                name: _convert(item, defs, models, registry) for name, item in value.items()
            }
        elif key in ("default", "const", "enum", "examples", "required"):
            values[_ATTRIBUTES[key]] = value
        else:
            values[_ATTRIBUTES[key]] = _convert(value, defs, models, registry)
    _without_nul(node, values, registry)
    return Schema(**values)


def _models_within(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """The pydantic models a model's fields refer to, at any depth (for `$ref` names)."""
    seen: set[type[BaseModel]] = set()
    pending: list[Any] = [model]
    while pending:
        annotation = pending.pop()
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                continue
            seen.add(annotation)
            yield annotation
            pending.extend(info.annotation for info in annotation.model_fields.values())
        else:
            pending.extend(typing.get_args(annotation))


async def answer_options(request: Request[Any, Any, Any]) -> Response[None] | None:
    """OPTIONS lists every method of the path.

    Litestar's automatic answer lists only the methods registered before it (GET /projects and
    PATCH /lectures/{id} were missing), so the Allow header is computed from the routes here.
    """
    if request.method != "OPTIONS":
        return None
    template = request.scope["path_template"]
    methods = {
        method
        for route in request.app.routes
        if isinstance(route, HTTPRoute) and route.path_format == template
        for method in route.methods
    }
    return Response(None, status_code=204, headers={"Allow": ", ".join(sorted(methods))})


NOT_MODIFIED = ResponseSpec(
    data_container=None,
    description="Not Modified: `If-None-Match` names the current revision (no body)",
)
