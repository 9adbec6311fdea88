"""Route parameters: typed path/query parameters and the dependencies that check identifiers.

Handlers receive the caller (`user`), the lecture (`lecture`) and the run (`run`) through the
dependencies below, never the raw path values: an identifier that cannot name a row answers 404
exactly like a missing one, on every route, before anything reaches SQL.
"""

from __future__ import annotations

import re
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.enums import ParamType
from litestar.params import ParameterKwarg, PathParameter, QueryParameter

from tutopanda.api.bodies import NO_NUL_PATTERN
from tutopanda.api.database import Connection, provide_connection
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

# What handlers declare: `user: UserId`, `lecture: LectureId`, `run: RunId`, …
UserId = NamedDependency[str]
LectureId = NamedDependency[int]
ProjectId = NamedDependency[int]
DraftId = NamedDependency[int]
RunId = NamedDependency[str]
MAX_BIGSERIAL = 2**63 - 1


async def provide_user(request: Request[str, Any, Any]) -> str:
    """The caller's user id, as the bearer token names it (see api/auth.py)."""
    return request.user


async def provide_lecture(lecture_id: LectureIdPath) -> int:
    """The lecture id of the path, within the range of the `serial` column (404 otherwise)."""
    if not 1 <= lecture_id <= MAX_SERIAL:
        raise NotFound(f"lecture {lecture_id} not found")
    return lecture_id


async def provide_project(project_id: ProjectIdPath) -> int:
    """The project id of the path, within the range of the `serial` column (404 otherwise)."""
    if not 1 <= project_id <= MAX_SERIAL:
        raise NotFound(f"project {project_id} not found")
    return project_id


async def provide_draft(draft_id: DraftIdPath) -> int:
    """The conflict draft id of the path, within the range of its `bigserial` (404 otherwise)."""
    if not 1 <= draft_id <= MAX_BIGSERIAL:
        raise NotFound(f"conflict draft {draft_id} not found")
    return draft_id


async def provide_run(run_id: RunIdPath) -> str:
    """The workflow run id of the path: a lowercase UUID (404 otherwise)."""
    if not _RUN_ID.match(run_id):
        raise NotFound("workflow run not found")
    return run_id


def refuse_null_parameters(request: Request[Any, Any, Any]) -> None:
    """An optional query parameter sent as `null` (`?before=null`) is 422 naming it, like
    `?before=x`: Litestar's parser reads that text as None, as if the parameter were left out,
    while the document says it is an integer."""
    for name, parameter in request.route_handler.parsed_fn_signature.parameters.items():
        kwarg = parameter.kwarg_definition
        if not isinstance(kwarg, ParameterKwarg) or kwarg.param_type != ParamType.QUERY:
            continue
        wire = kwarg.name or name
        if parameter.is_optional and "null" in request.query_params.getall(wire, []):
            raise InvalidField(wire, "null is not a value: leave the parameter out instead")


_request_connection = asynccontextmanager(provide_connection)


async def provide_db(
    request: Request[Any, Any, Any],
    user: UserId,  # noqa: ARG001 (a dependency on the caller: see below)
) -> AsyncGenerator[Connection, None]:
    """The request's connection, checked out once the caller and the ids are known to be valid.

    Litestar resolves independent dependencies together: beside an id check that fails, a
    checkout would race it and leave its connection to the garbage collector. Depending on
    `user` puts this one in a later batch than `user`, `lecture` and `run`.
    """
    async with _request_connection(request) as conn:
        yield conn


REQUEST_DEPENDENCIES = {
    "db": Provide(provide_db),
    "user": Provide(provide_user),
    "lecture": Provide(provide_lecture),
    "run": Provide(provide_run),
    "project": Provide(provide_project),
    "draft": Provide(provide_draft),
}
