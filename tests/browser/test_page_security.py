"""The pages' Content-Security-Policy in Chromium: markup in a project name stays text, and a
script injected into the page anyway is refused by the policy, not merely never written."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer
from tests.browser.editor_support import api, sign_in
from tutopanda.api.security_headers import DOCS_POLICY, EDITOR_POLICY

# Every violation of the policy, as the page reports it: [directive, blocked URI, source file].
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) =>
  window.__violations.push([event.effectiveDirective, event.blockedURI, event.sourceFile]));
"""
IMG = "<img src=x onerror=\"window.__ran = 'img'\">"
SCRIPT = "<script>window.__ran = 'script'</script>"


def _violations(page: Page) -> list[list[str]]:
    found: list[list[str]] = page.evaluate("window.__violations")
    return found


def _ran(page: Page) -> Any:
    return page.evaluate("window.__ran")


def test_markup_in_a_project_name_runs_nothing_and_the_policy_refuses_injected_script(
    browser_page: Page, browser_server: BrowserServer
) -> None:
    page = browser_page
    page.add_init_script(WATCH_VIOLATIONS)
    with api(browser_server) as client:
        for name in (IMG, SCRIPT):
            client.post("/projects", json={"prompt": "Roads", "name": name}).raise_for_status()
    response = page.goto("/editor/")
    assert response is not None
    assert response.headers["content-security-policy"] == EDITOR_POLICY
    sign_in(page, browser_server)
    projects = page.get_by_role("list", name="Projects")
    for name in (IMG, SCRIPT):  # shown as the text it is
        expect(projects.get_by_role("heading", name=name, exact=True)).to_be_visible()
    assert _ran(page) is None
    assert _violations(page) == []  # nothing even tried: the page writes text, never markup

    # Were markup ever written into the page, the policy would still refuse to run it.
    page.evaluate(f"document.body.insertAdjacentHTML('beforeend', {IMG!r})")
    page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.textContent = "window.__ran = 'inline'";
        document.body.append(script);
    }"""
    )
    page.wait_for_function("window.__violations.length >= 2")
    assert _ran(page) is None
    directives = sorted(directive for directive, _, _ in _violations(page))
    assert directives == ["script-src-attr", "script-src-elem"]
    expect(projects.get_by_role("heading", name=SCRIPT, exact=True)).to_be_visible()  # still works


def test_the_api_reference_renders_under_its_policy(browser_page: Page) -> None:
    page = browser_page
    page.add_init_script(WATCH_VIOLATIONS)
    response = page.goto("/schema")
    assert response is not None
    assert response.headers["content-security-policy"] == DOCS_POLICY
    assert response.headers["x-frame-options"] == "DENY"
    expect(page.get_by_role("heading", name="Tutopanda lecture store")).to_be_visible()
    # Scalar's bundle probes once whether it may compile code (`Function("")`, zod's JIT
    # check): refused, it carries on without. Nothing else is refused.
    assert [directive for directive, _, _ in _violations(page)] in ([], ["script-src"])
    assert all(blocked == "eval" for _, blocked, _ in _violations(page))
