"""Typed route parameters shared by the controllers (path, query)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import PathParameter, QueryParameter

MAX_SERIAL = 2**31 - 1

LectureId = Annotated[int, PathParameter(description="the lecture id")]
RunId = Annotated[str, PathParameter(description="the workflow run id (a UUID)")]
RevisionNumber = Annotated[int, PathParameter(ge=0, le=MAX_SERIAL, description="a revision")]
Limit = Annotated[int, QueryParameter(ge=1, le=500, description="revisions per page")]
Before = Annotated[
    int | None,
    QueryParameter(ge=0, le=MAX_SERIAL, description="only revisions older than this one"),
]
FromRevision = Annotated[
    int, QueryParameter(name="from", ge=0, le=MAX_SERIAL, description="the older revision")
]
ToRevision = Annotated[
    int, QueryParameter(name="to", ge=0, le=MAX_SERIAL, description="the newer revision")
]
