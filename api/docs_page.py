"""The interactive API documentation at /schema, served whole by this service: it works offline.

Scalar's browser bundle is vendored at an exact version (tutopanda/_resources/api-docs: its
VENDORED.json records the version and SHA-256, `make docs-assets` re-fetches and verifies it), so
the page neither needs a CDN nor changes when Scalar publishes. Assets are served under
/schema/assets/<digest>/<name>: the digest follows the content, so a browser may keep an asset
for a year without asking again and a page never runs a bundle other than the one it names.
Scalar is told to leave out everything that talks to its own servers (fonts, telemetry, AI).

Swagger UI is not offered: it would be a second bundle to vendor and keep up to date for the same
document, which Scalar renders and lets a reader try; tools read /schema/openapi.json.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
from functools import cache, cached_property
from typing import Annotated, Any

from litestar import Request, Response, Router, get
from litestar.enums import MediaType
from litestar.exceptions import NotFoundException
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.params import PathParameter

from tutopanda.resources import api_docs_dir

SCHEMA_PATH = "/schema"  # the documentation page, the OpenAPI document and the page's files
ASSETS_PATH = "/assets"  # inside the OpenAPI router (/schema): public like the page itself
IMMUTABLE = "public, max-age=31536000, immutable"
_MEDIA_TYPES = {
    "scalar-standalone.js": "text/javascript",  # Litestar adds "; charset=utf-8" to text/*
    "favicon.svg": "image/svg+xml",
}
# Nothing that reaches Scalar's own servers: web fonts, telemetry, the AI agent chat, and the
# developer tools (shown on localhost by default) that share or deploy the document there.
_SCALAR_OPTIONS: dict[str, Any] = {
    "withDefaultFonts": False,
    "telemetry": False,
    "agent": {"disabled": True},
    "mcp": {"disabled": True},
    "showDeveloperTools": "never",
}


class DocsAsset:
    """One file the documentation page loads, read once per process."""

    def __init__(self, name: str, media_type: str, content: bytes) -> None:
        self.name = name
        self.media_type = media_type
        self.content = content
        self.digest = hashlib.sha256(content).hexdigest()[:16]

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.content, compresslevel=6, mtime=0)

    def url(self, schema_path: str) -> str:
        return f"{schema_path}{ASSETS_PATH}/{self.digest}/{self.name}"


@cache
def docs_assets() -> dict[str, DocsAsset]:
    folder = api_docs_dir()
    return {
        name: DocsAsset(name, media_type, (folder / name).read_bytes())
        for name, media_type in _MEDIA_TYPES.items()
    }


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether `Accept-Encoding` allows gzip (RFC 9110: `gzip;q=0` refuses it)."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() in ("gzip", "*"):
            if not params.strip():
                return True
            key, _, value = params.partition("=")
            try:
                return key.strip() == "q" and float(value) > 0
            except ValueError:
                return False
    return False


# In a thread: the first answer of a process reads and compresses the bundle (~0.4 s of CPU),
# which must not stall the event loop that carries the live event streams.
@get(f"{ASSETS_PATH}/{{digest:str}}/{{name:str}}", include_in_schema=False, sync_to_thread=True)
def docs_asset(
    request: Request[Any, Any, Any],
    digest: Annotated[str, PathParameter()],
    name: Annotated[str, PathParameter()],
) -> Response[bytes]:
    """A vendored asset, when the digest in its URL is the one this version serves."""
    asset = docs_assets().get(name)
    if asset is None or asset.digest != digest:
        raise NotFoundException("no such documentation asset")
    headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding", "ETag": f'"{digest}"'}
    content = asset.content
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        content = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(content, media_type=asset.media_type, headers=headers)


async def _no_html_error(response: Response[Any]) -> Response[Any]:
    """Litestar answers an unknown name under /schema (`/schema/swagger`) with an HTML page of
    its own: a 404 problem, as everywhere else."""
    if response.status_code == 404 and response.media_type == MediaType.HTML:
        raise NotFoundException("no such page: the API reference is /schema")
    return response


def schema_router() -> Router:
    """The router Litestar fills with the documentation routes (OpenAPIConfig.openapi_router)."""
    return Router(
        SCHEMA_PATH,
        route_handlers=[],
        include_in_schema=False,
        before_request=_document_completed,
        after_request=_no_html_error,
        dto=None,
        return_dto=None,
    )


def _document_completed(request: Request[Any, Any, Any]) -> None:
    """The app completes its OpenAPI document when first asked for it (api/app.py); the
    documentation routes ask Litestar's plugin, which knows nothing of that: ask the app first."""
    request.app.openapi_schema  # noqa: B018 (read for what reading it does)


class OfflineScalarPlugin(OpenAPIRenderPlugin):
    """Scalar from the vendored bundle, with the favicon and everything else from here."""

    def __init__(self, path: str = "/") -> None:
        super().__init__(path=path)
        self.schema_path = SCHEMA_PATH

    def receive_router(self, router: Router) -> None:
        self.schema_path = router.path
        router.register(docs_asset)

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        assets = docs_assets()
        title = html.escape(str(openapi_schema.get("info", {}).get("title", "API")))
        document = self.get_openapi_json_route(request)
        # Scalar's HTML API: the bundle mounts the reference before the element with the id
        # "api-reference", configured by its attribute; no inline script (api/security_headers.py).
        configuration = html.escape(json.dumps({"url": document, **_SCALAR_OPTIONS}))
        favicon = assets["favicon.svg"].url(self.schema_path)
        script = assets["scalar-standalone.js"].url(self.schema_path)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/svg+xml" href="{favicon}">
</head>
<body>
<noscript>The API reference needs JavaScript. The OpenAPI document is at
<a href="{html.escape(document)}">{html.escape(document)}</a>.</noscript>
<script id="api-reference" type="application/json" data-configuration="{configuration}"></script>
<script src="{script}"></script>
</body>
</html>
""".encode()
