"""What Litestar leaves out of the OpenAPI document, so that it is as strict as the server.

A parameter left out is absent, never `null`: Litestar documents an optional parameter as
`oneOf: [X, null]` and its parser reads `?before=null` as left out, so the document gets X alone
and the server refuses the text `null` (422). An optional body may be left out, but is not
`null`. A 409 that keeps a conflict draft links its `draftId` to the drafts routes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from litestar import Litestar, Request, Response
from litestar.openapi.spec import Link, OpenAPIType, Operation, Reference, RequestBody, Schema

from tutopanda.api.openapi import answer_options
from tutopanda.api.params import refuse_null_parameters, refuse_unknown_ids


async def before_route(request: Request[Any, Any, Any]) -> Response[None] | None:
    """before_request of the app: ids no row can have are 404, parameters as the document types
    them, OPTIONS answered."""
    refuse_unknown_ids(request)
    refuse_null_parameters(request)
    return await answer_options(request)


def _nullable(schema: Schema | Reference | None) -> Schema | Reference | None:
    """X when `schema` is Litestar's `oneOf: [X, null]` of an optional value, else None."""
    if not isinstance(schema, Schema) or not schema.one_of or len(schema.one_of) != 2:
        return None
    values = [
        one
        for one in schema.one_of
        if not (isinstance(one, Schema) and one.type == OpenAPIType.NULL)
    ]
    return values[0] if len(values) == 1 else None


def _never_null(schema: Schema, value: Schema | Reference) -> Schema | Reference:
    """`schema` (its bounds and description) with `value` for its `oneOf: [value, null]`."""
    if isinstance(value, Reference):
        return value
    merged = dataclasses.replace(schema, one_of=None)
    for name, item in vars(value).items():
        if item is not None:
            setattr(merged, name, item)
    return merged


def _operations(app: Litestar) -> Iterator[tuple[str, str, Operation]]:
    for path, item in (app.openapi_schema.paths or {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            operation: Operation | None = getattr(item, method, None)
            if operation is not None:
                yield path, method, operation


# A 409 `revision_conflict` of a save or restore names the draft keeping the refused sections:
# these links lead from it to the drafts routes (schemathesis follows them too).
_DRAFT_ROUTES = {
    "ReadDraft": ("/lectures/{lecture_id}/drafts/{draft_id}", "get"),
    "ApplyDraft": ("/lectures/{lecture_id}/drafts/{draft_id}/apply", "post"),
    "DiscardDraft": ("/lectures/{lecture_id}/drafts/{draft_id}", "delete"),
}
_KEEPS_DRAFTS = (
    ("/lectures/{lecture_id}", "patch"),
    ("/lectures/{lecture_id}/history/{revision}/restore", "post"),
)


def complete_document(app: Litestar) -> None:
    """A step of the document (api/app.py): parameters and optional bodies without `null`, the
    links of a 409's draft."""
    operations = {(path, method): operation for path, method, operation in _operations(app)}
    for operation in operations.values():
        for parameter in operation.parameters or []:
            if isinstance(parameter, Reference) or not isinstance(parameter.schema, Schema):
                continue
            if (value := _nullable(parameter.schema)) is not None:
                parameter.schema = _never_null(parameter.schema, value)
        body = operation.request_body
        if not isinstance(body, RequestBody):
            continue
        for media in body.content.values():
            if isinstance(media.schema, Schema) and (value := _nullable(media.schema)):
                media.schema = _never_null(media.schema, value)
                body.required = False
    links = {
        name: Link(
            operation_id=operations[route].operation_id,
            parameters={
                "lecture_id": "$request.path.lecture_id",
                "draft_id": "$response.body#/draftId",
            },
            description="the conflict draft keeping the refused sections",
        )
        for name, route in _DRAFT_ROUTES.items()
    }
    for route in _KEEPS_DRAFTS:
        responses = operations[route].responses or {}
        conflict = responses.get("409")
        if conflict is not None and not isinstance(conflict, Reference):
            conflict.links = dict(links)
