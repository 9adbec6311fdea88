"""`/editor/`: the browser editor page, plain files shipped in the package (no build step).

Only the page's own files are public (api/auth.py); every API call the page makes carries a
bearer token: the app's, from TUTOPANDA_EDITOR_TOKEN_URL (`/editor/config.json` tells the page),
or a pasted development token. An unknown or unreadable name is a 404 problem, never a 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Response, get
from litestar.datastructures import CacheControlHeader
from litestar.file_system import BaseLocalFileSystem
from litestar.router import Router
from litestar.static_files import create_static_files_router
from litestar.types import PathType
from litestar.types.file_types import FileInfo

from tutopanda.resources import resource_dir

EDITOR_PATH = "/editor"
CONFIG_PATH = f"{EDITOR_PATH}/config.json"


class _PageFiles(BaseLocalFileSystem):
    """The local file system, where any name that cannot be looked up is simply not there.

    Litestar treats only FileNotFoundError as "no such file"; a NUL byte (ValueError), a name
    too long, or a path through a file (`app.js/x`, NotADirectoryError) would otherwise be a 500.
    """

    async def info(self, path: PathType, **kwargs: Any) -> FileInfo:
        try:
            return await super().info(path, **kwargs)
        except (OSError, ValueError) as error:
            raise FileNotFoundError(str(path)) from error


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an http(s) URL (what a browser compares for CORS and CSP)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def editor_config(token_url: str | None) -> Any:
    """`GET /editor/config.json`: where the page takes its token (null: a pasted one)."""

    @get(CONFIG_PATH, include_in_schema=False, cache_control=CacheControlHeader(no_cache=True))
    async def config() -> Response[dict[str, str | None]]:
        return Response({"tokenUrl": token_url})

    return config


def editor_router() -> Router:
    """The static files of `tutopanda/_resources/editor`, `index.html` for `/editor/`."""
    return create_static_files_router(
        path=EDITOR_PATH,
        directories=[resource_dir("editor")],
        file_system=_PageFiles(),
        html_mode=True,
        name="editor",
        include_in_schema=False,
        cache_control=CacheControlHeader(no_cache=True),  # a new version shows on reload
    )
