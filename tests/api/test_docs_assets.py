"""/schema and its assets over HTTP: every file the page names is served here, public and cached;
anything else under /schema/assets is a 404 problem (rendering in Chromium: tests/browser)."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tutopanda.api.docs_page import IMMUTABLE
from tutopanda.resources import api_docs_dir

Client = TestClient[Litestar]
_ASSET_URL = re.compile(r'(?:src|href)="([^"]+)"')


def _page_urls(client: Client) -> list[str]:
    page = client.get("/schema")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    return _ASSET_URL.findall(page.text)


def test_every_url_of_the_page_is_served_here_without_a_token(client: Client) -> None:
    urls = _page_urls(client)
    assert "/schema/openapi.json" in urls  # the <noscript> link
    assets = [url for url in urls if url != "/schema/openapi.json"]
    assert len(assets) == 2
    media_types = {}
    for url in assets:
        assert re.fullmatch(r"/schema/assets/[0-9a-f]{16}/[a-z-]+\.(js|svg)", url), url
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["cache-control"] == IMMUTABLE
        assert answer.headers["etag"] == f'"{url.split("/")[3]}"'
        media_types[url.rsplit("/", 1)[1]] = answer.headers["content-type"]
    assert media_types == {
        "scalar-standalone.js": "text/javascript; charset=utf-8",
        "favicon.svg": "image/svg+xml",
    }


def test_the_bundle_served_is_the_pinned_one(client: Client) -> None:
    (script,) = [url for url in _page_urls(client) if url.endswith(".js")]
    manifest = json.loads((api_docs_dir() / "VENDORED.json").read_text("utf-8"))
    pinned = manifest["files"]["scalar-standalone.js"]["sha256"]
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert hashlib.sha256(plain.content).hexdigest() == pinned
    assert script.split("/")[3] == pinned[:16]
    # httpx would undo the gzip itself: read the raw bytes to see what travels.
    with client.stream("GET", script, headers={"Accept-Encoding": "br, gzip"}) as packed:
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["vary"] == "Accept-Encoding"
        raw = b"".join(packed.iter_raw())
    assert len(raw) < len(plain.content) / 2
    assert gzip.decompress(raw) == plain.content
    refused = client.get(script, headers={"Accept-Encoding": "gzip;q=0, deflate"})
    assert "content-encoding" not in refused.headers


@pytest.mark.parametrize(
    "path",
    [
        "/schema/assets/0000000000000000/scalar-standalone.js",  # not this version's digest
        "/schema/assets/{digest}/nope.js",
        "/schema/assets/{digest}/VENDORED.json",  # in the folder, but not an asset
        "/schema/assets/{digest}/..%2F..%2F..%2Fpyproject.toml",
        "/schema/assets/%00/%ff%fe",
        "/schema/assets/" + "a" * 5000 + "/x.js",
        "/schema/assets/scalar-standalone.js",
        "/schema/assets/{digest}/scalar-standalone.js/more",
    ],
)
def test_anything_else_under_assets_is_a_404_problem(client: Client, path: str) -> None:
    (script,) = [url for url in _page_urls(client) if url.endswith(".js")]
    answer = client.get(path.replace("{digest}", script.split("/")[3]))
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "not_found"


def test_the_asset_routes_stay_out_of_the_document(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert paths
    assert not [path for path in paths if path.startswith("/schema")]


@pytest.mark.parametrize(
    "path",
    [
        "/schema/swagger",
        "/schema/redoc",
        "/schema/elements",
        "/schema/rapidoc",
        "/schema/nope",
        "/schema/openapi.yaml",
        "/schema/openapi.json/more",
        "/schema/%00",
    ],
)
def test_swagger_ui_is_not_offered_and_no_other_name_either(client: Client, path: str) -> None:
    """Litestar answers an unknown name under /schema with an HTML page of its own: here it is
    a 404 problem like everywhere else (api/docs_page.py)."""
    answer = client.get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "not_found"


def test_the_page_runs_no_inline_script(client: Client) -> None:
    """Its Content-Security-Policy allows only the page's own script files: Scalar is configured
    by an attribute of a JSON data block (never run), the bundle mounts the reference itself."""
    page = client.get("/schema").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert [attributes for attributes, _ in scripts if " src=" in attributes]
    for attributes, content in scripts:
        assert " src=" in attributes or 'type="application/json"' in attributes, attributes
        assert not content.strip()
    assert "<style" not in page
