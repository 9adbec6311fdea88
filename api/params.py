"""Route parameters: typed path/query parameters and the dependencies that check identifiers.

Handlers receive the caller (`user`), the lecture (`lecture`) and the run (`run`) through the
dependencies below, never the raw path values: an identifier that cannot name a row answers 404
exactly like a missing one, on every route, before anything reaches SQL.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from functools import cache
from typing import Annotated, Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.enums import ParamType
from litestar.handlers import HTTPRouteHandler
from litestar.params import ParameterKwarg, PathParameter, QueryParameter

from tutopanda.api.bodies import NO_NUL_PATTERN
from tutopanda.api.database import Connection, request_connection
from tutopanda.api.problems import InvalidField
from tutopanda.errors import NotFound
from tutopanda.models.base import MAX_SERIAL
from tutopanda.models.workflow import RUN_ID_PATTERN
from tutopanda.workflows import AssetKind

_RUN_ID = re.compile(RUN_ID_PATTERN)

LectureIdPath = Annotated[int, PathParameter(description="the lecture id")]
ProjectIdPath = Annotated[int, PathParameter(description="the project id")]
DraftIdPath = Annotated[int, PathParameter(description="the conflict draft id")]
AssetKindPath = Annotated[AssetKind, PathParameter(description="the kind of asset")]
AssetIdPath = Annotated[
    str,
    PathParameter(
        min_length=1, max_length=500, pattern=NO_NUL_PATTERN, description="the asset's id"
    ),
]
RunIdPath = Annotated[str, PathParameter(description="the workflow run id (a lowercase UUID)")]
RevisionNumber = Annotated[int, PathParameter(ge=0, le=MAX_SERIAL, description="a revision")]
Limit = Annotated[int, QueryParameter(ge=1, le=500, description="revisions per page")]
Before = Annotated[
    int | None,
    QueryParameter(
        ge=0,
        le=MAX_SERIAL,
        description="only revisions older than this one",
        schema_extra={"minimum": 0},  # Litestar drops a bound of 0 on an optional parameter
    ),
]
ProjectLimit = Annotated[int, QueryParameter(ge=1, le=200, description="projects per page")]
ProjectBefore = Annotated[
    int | None,
    QueryParameter(
        ge=1,
        le=MAX_SERIAL,
        description="only projects older than this one: the previous page's `nextBefore`",
    ),
]
FromRevision = Annotated[
    int, QueryParameter(name="from", ge=0, le=MAX_SERIAL, description="the older revision")
]
ToRevision = Annotated[
    int, QueryParameter(name="to", ge=0, le=MAX_SERIAL, description="the newer revision")
]

# What handlers declare: `user: UserId` (the caller) and the path's ids as such (`lecture_id:
# LectureIdPath`, …), which `refuse_unknown_ids` has checked before anything else runs.
UserId = NamedDependency[str]
MAX_BIGSERIAL = 2**63 - 1
# Each id of a path, its kind (for the 404) and the largest value its column holds.
_PATH_IDS = {
    "lecture_id": ("lecture", MAX_SERIAL),
    "project_id": ("project", MAX_SERIAL),
    "draft_id": ("conflict draft", MAX_BIGSERIAL),
}


async def provide_user(request: Request[str, Any, Any]) -> str:
    """The caller's user id, as the bearer token names it (see api/auth.py)."""
    return request.user


def refuse_unknown_ids(request: Request[Any, Any, Any]) -> None:
    """404 for an id of the path that no row can have: below 1, beyond its column's range, a run
    id that is not a lowercase UUID. Checked before the body is read or a connection taken."""
    refuse_unknown_ids_of(request.path_params)


def refuse_unknown_ids_of(path_params: dict[str, Any]) -> None:
    """`refuse_unknown_ids` of a route's parsed path parameters."""
    for name, value in path_params.items():
        if name == "run_id":
            if not _RUN_ID.match(value):
                raise NotFound("workflow run not found")
        elif (known := _PATH_IDS.get(name)) is not None and not 1 <= value <= known[1]:
            raise NotFound(f"{known[0]} {value} not found")


def refuse_null_parameters(request: Request[Any, Any, Any]) -> None:
    """An optional query parameter sent as `null` (`?before=null`) is 422 naming it, like
    `?before=x`: Litestar's parser reads that text as None, as if the parameter were left out,
    while the document says it is an integer."""
    if not request.scope["query_string"]:
        return
    for wire in _optional_query_names(request.route_handler):
        if "null" in request.query_params.getall(wire, []):
            raise InvalidField(wire, "null is not a value: leave the parameter out instead")


@cache
def _optional_query_names(handler: HTTPRouteHandler) -> tuple[str, ...]:
    """The names on the wire of the handler's optional query parameters."""
    return tuple(
        kwarg.name or name
        for name, parameter in handler.parsed_fn_signature.parameters.items()
        if isinstance(kwarg := parameter.kwarg_definition, ParameterKwarg)
        and kwarg.param_type == ParamType.QUERY
        and parameter.is_optional
    )


async def provide_db(
    request: Request[Any, Any, Any],
    user: UserId,  # noqa: ARG001 (a dependency on the caller: see below)
) -> AsyncGenerator[Connection, None]:
    """The request's connection, checked out once the caller is known (and the path's ids, by
    `refuse_unknown_ids`, before any dependency).

    Depending on `user` puts this one in a batch of its own after `user`: Litestar resolves a
    batch of several dependencies in a task group (~50 us a request), and beside a dependency
    that fails a checkout would leave its connection to the garbage collector.
    """
    async with request_connection(request.scope) as conn:
        yield conn


REQUEST_DEPENDENCIES = {
    "db": Provide(provide_db),
    "user": Provide(provide_user),
}
