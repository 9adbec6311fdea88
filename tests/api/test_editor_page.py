"""`/editor/`: the page's own files are public, nothing else is, and no path gives a 500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.helpers import assert_problem
from tutopanda.resources import resource_dir

Client = TestClient[Litestar]
EDITOR = resource_dir("editor")


def page_files() -> list[str]:
    return sorted(str(p.relative_to(EDITOR)) for p in EDITOR.rglob("*") if p.is_file())


def test_the_page_and_its_modules_need_no_token(client: Client) -> None:
    for url in ("/editor/", "/editor"):
        page = client.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert '<script type="module" src="/editor/app.js">' in page.text
    for name in page_files():
        response = client.get(f"/editor/{name}")
        assert response.status_code == 200, name
        assert response.content == (EDITOR / name).read_bytes()
        assert "no-cache" in response.headers["cache-control"]
    assert client.get("/editor/app.js").headers["content-type"].startswith("text/javascript")


def test_the_page_loads_nothing_from_elsewhere() -> None:
    """Offline: every URL in the page's files is its own (no CDN, font, or absolute URL)."""
    for name in page_files():
        text = (EDITOR / name).read_text()
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", text, re.IGNORECASE), name
        for imported in re.findall(r"from '([^']+)'|import\('([^']+)'\)", text):
            target = next(part for part in imported if part)
            assert target.startswith("."), (name, target)
            assert (EDITOR / name).parent.joinpath(target).resolve().is_file(), (name, target)


@pytest.mark.parametrize(
    "path",
    [
        "/editor/missing.js",
        "/editor/views/",
        "/editor/views",
        "/editor/%00",
        "/editor/app.js/x",
        "/editor/index.html/..%2Findex.html",
        "/editor/a%00b.js",
        "/editor/" + "x" * 5000,
        "/editor/" + "/".join(["d"] * 300),
        "/editor/..%2F..%2F..%2Fetc%2Fpasswd",
        "/editor/%2e%2e/%2e%2e/pyproject.toml",
        "/editor/\u00e9\u0301.js",
    ],
)
def test_unknown_or_hostile_names_are_404_problems(client: Client, path: str) -> None:
    body = assert_problem(client.get(path), 404, "not_found")
    assert str(Path(EDITOR)) not in body["detail"]


def test_a_dot_segment_does_not_reach_the_api_without_a_token(client: Client) -> None:
    """`/editor/../projects` must not borrow the page's exemption from authentication: the
    server decodes `%2E%2E` to `..` (clients fold a literal `..` away before sending)."""
    for path in ("/editor/%2E%2E/projects", "/editor/%2e%2e/lectures/1/history"):
        assert_problem(client.get(path), 404, "not_found")


def test_writes_to_the_page_are_refused(client: Client) -> None:
    assert_problem(client.post("/editor/app.js", content=b"x"), 405, "method_not_allowed")


def test_the_page_is_not_part_of_the_api_document(client: Client) -> None:
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith("/editor")]
