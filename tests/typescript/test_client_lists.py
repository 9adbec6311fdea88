"""The TypeScript client knows what the server sends: every problem `code` has its error class,
its typed events are those the Python SDK parses, and its sections (EditorSession's) are the
lecture's (one list per language, compared here)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from tests.typescript.conftest import NodeClient
from tutopanda.api.problems import _HTTP_CODES
from tutopanda.client.models import _EVENT_MODELS
from tutopanda.errors import DomainError
from tutopanda.models.lecture import ARRAY_SECTIONS, SECTION_NAMES

# Codes the API writes as literals (api/problems.py, api/connection_limits.py), not from a class.
_LITERAL_CODES = {
    "revision_conflict",
    "validation_failed",
    "internal_error",
    "database_unavailable",
    "request_timeout",
    "headers_too_large",
    "server_busy",
}
# Domain codes the API answers under another: the database's refusal of a value is a 422
# `validation_failed` naming the body.
_ANSWERED_AS_ANOTHER = {"invalid_input"}


def _exported(node_client: NodeClient) -> dict[str, Any]:
    script = (
        'const m = await import("@tutopanda/client");'
        "const codes = Object.keys(m.PROBLEM_CLASSES);"
        "const sections = m.SECTION_NAMES, arrays = [...m.ARRAY_SECTIONS];"
        "console.log(JSON.stringify({events: m.EVENT_NAMES, codes, sections, arrays}));"
    )
    shown = subprocess.run(
        [node_client.node, "--input-type=module", "-e", script],
        cwd=node_client.folder,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    exported: dict[str, Any] = json.loads(shown.stdout)
    return exported


def _domain_codes(kind: type[DomainError] = DomainError) -> set[str]:
    codes: set[str] = set()
    for sub in kind.__subclasses__():
        codes |= {sub.code} | _domain_codes(sub)
    return codes


def test_every_problem_code_of_the_api_has_its_error_class(node_client: NodeClient) -> None:
    api_codes = (
        set(_HTTP_CODES.values()) | _domain_codes() | _LITERAL_CODES
    ) - _ANSWERED_AS_ANOTHER
    assert api_codes - set(_exported(node_client)["codes"]) == set()


def test_the_typed_events_are_those_the_python_sdk_parses(node_client: NodeClient) -> None:
    assert set(_exported(node_client)["events"]) == set(_EVENT_MODELS)


def test_the_sections_are_the_lectures_in_their_order(node_client: NodeClient) -> None:
    exported = _exported(node_client)
    assert exported["sections"] == list(SECTION_NAMES)
    assert frozenset(exported["arrays"]) == ARRAY_SECTIONS
