"""`/editor/`: the browser editor page, plain files shipped in the package (no build step).

Only the page's own files are public (api/auth.py); every API call the page makes carries the
bearer token the user pasted. An unknown or unreadable file is a 404 problem, never a 500.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, Router
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.static_files import create_static_files_router

from tutopanda.resources import resource_dir

EDITOR_PATH = "/editor"
_MAX_NAME = 200  # no file of the page has a longer path


def _refuse_unservable(request: Request[Any, Any, Any]) -> None:
    """Before the file lookup: names the file system cannot hold are simply not found.

    A NUL byte or an over-long name makes `os.stat` raise instead of answering "no such file".
    """
    path = request.url.path
    if "\x00" in path or len(path) > _MAX_NAME or any(len(part) > 100 for part in path.split("/")):
        raise NotFoundException("no such file of the editor page")


def editor_router() -> Router:
    """The static files of `tutopanda/_resources/editor`, `index.html` for `/editor/`."""
    folder: Path = resource_dir("editor")
    return create_static_files_router(
        path=EDITOR_PATH,
        directories=[folder],
        html_mode=True,
        name="editor",
        include_in_schema=False,
        before_request=_refuse_unservable,
        cache_control=CacheControlHeader(no_cache=True),  # a new version shows on reload
    )
