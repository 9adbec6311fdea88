"""JSON Patch diffs: applying the patch to the old value gives the new one (RFC 6902)."""

from __future__ import annotations

import json
from typing import Any

import jsonpatch
from hypothesis import given, settings
from hypothesis import strategies as st

from tutopanda.audit.diff import json_patch, section_diff


def as_json(value: Any) -> str:
    """Compare as JSON text: in Python, False == 0, but not in JSON."""
    return json.dumps(value, sort_keys=True)


scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5)
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b", "c/d", "e~f", ""]), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400)
@given(before=documents, after=documents)
def test_the_patch_turns_before_into_after(before: Any, after: Any) -> None:
    patch = json_patch(before, after)
    assert as_json(jsonpatch.apply_patch(before, patch)) == as_json(after)
    if as_json(before) == as_json(after):
        assert patch == []


def test_small_changes_give_small_patches() -> None:
    before = {"segments": [{"narration": "a", "effect": "x"}, {"narration": "b"}]}
    after = {"segments": [{"narration": "a", "effect": "y"}]}
    assert json_patch(before, after) == [
        {"op": "replace", "path": "/segments/0/effect", "value": "y"},
        {"op": "remove", "path": "/segments/1"},
    ]
    assert json_patch({"x/y": 1}, {"x/y": 2}) == [{"op": "replace", "path": "/x~1y", "value": 2}]
    assert json_patch([1], [1.0]) == []
    assert json_patch([1], [True]) == [{"op": "replace", "path": "/0", "value": True}]


def test_section_diff_lists_only_changed_sections() -> None:
    before: dict[str, Any] = {"title": "A", "summary": None, "script": None, "images": []}
    after: dict[str, Any] = {
        "title": "B",
        "summary": None,
        "script": {"segments": []},
        "images": [],
    }
    assert section_diff(before, after) == {
        "title": [{"op": "replace", "path": "", "value": "B"}],
        "script": [{"op": "replace", "path": "", "value": {"segments": []}}],
    }
