"""Security headers: each HTML page (and its files) gets its Content-Security-Policy, no framing,
no Referer; every answer, JSON and errors included, is `nosniff` (api/security_headers.py)."""

from __future__ import annotations

import re

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.api.conftest import Headers
from tutopanda.api.security_headers import API_POLICY, DOCS_POLICY, EDITOR_POLICY
from tutopanda.resources import resource_dir

Client = TestClient[Litestar]


def _assert_secured(response: httpx.Response, policy: str) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize(
    ("path", "status", "policy"),
    [
        ("/editor/", 200, EDITOR_POLICY),
        ("/editor/app.js", 200, EDITOR_POLICY),
        ("/editor/editor.css", 200, EDITOR_POLICY),
        ("/editor/nope.js", 404, EDITOR_POLICY),
        ("/schema", 200, DOCS_POLICY),
        ("/schema/openapi.json", 200, DOCS_POLICY),
        ("/schema/swagger", 404, DOCS_POLICY),
        ("/health", 200, API_POLICY),
        ("/projects", 401, API_POLICY),
        ("/no/such/route", 404, API_POLICY),
    ],
)
def test_every_answer_carries_the_headers_of_its_page(
    client: Client, path: str, status: int, policy: str
) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    _assert_secured(response, policy)


def test_api_answers_and_their_errors_too(client: Client, auth: Headers) -> None:
    for response in (
        client.get("/projects", headers=auth()),
        client.get("/lectures/999999", headers=auth()),
        client.post("/projects", content=b"{", headers=auth()),
    ):
        _assert_secured(response, API_POLICY)


def test_the_editor_page_has_no_inline_script_or_style() -> None:
    """What its policy allows: the page's own files only (`index.html` names them)."""
    page = (resource_dir("editor") / "index.html").read_text("utf-8")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.DOTALL)
    assert scripts
    assert all(" src=" in attributes and not content.strip() for attributes, content in scripts)
    assert "<style" not in page
    assert " style=" not in page
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handler


def test_policies_allow_no_inline_script_no_eval_and_no_other_origin() -> None:
    for policy in (EDITOR_POLICY, DOCS_POLICY, API_POLICY):
        directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
        assert directives["default-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives.get("script-src", "'self'") == "'self'"
        assert "http" not in policy
        assert "*" not in policy
    # Inline styles on the API reference only: Scalar's bundle writes them as it renders.
    assert "'unsafe-inline'" not in EDITOR_POLICY
    assert "style-src 'self' 'unsafe-inline'" in DOCS_POLICY
