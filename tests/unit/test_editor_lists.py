"""One concept, one list: the names the editor page (plain JS) spells are the server's.

The page has no build step to import Python's lists from, so it keeps its own copies; each is
read from the JS source here and compared with the Python list it copies.
"""

from __future__ import annotations

import re
from typing import get_args

import pytest

from tutopanda.client.errors import ProblemError
from tutopanda.client.waiting import STOPPED
from tutopanda.events.subscription import REMOVED
from tutopanda.models.history import RevisionSource
from tutopanda.models.members import Role
from tutopanda.models.timeline import TimelineTracks
from tutopanda.models.workflow import FINISHED, RunStatus
from tutopanda.resources import resource_dir
from tutopanda.workflows import ASSET_SECTIONS, WORKFLOW_KINDS

EDITOR = resource_dir("editor")
JsArray = list["str | JsArray"]

# A string, a bracket, a comma, or what a reader skips (white space, comments).
_TOKEN = re.compile(
    r"""(?P<skip>\s+|//[^\n]*|/\*.*?\*/)|(?P<punct>[\[\],])"""
    r"""|'(?P<single>[^'\\\n]*)'|"(?P<double>[^"\\\n]*)\"""",
    re.DOTALL,
)
_STRING = r"""(['"])([^'"\\\n]*)\1"""


def _source(name: str) -> str:
    return (EDITOR / name).read_text()


def _array_at(text: str, start: int) -> tuple[JsArray, int]:
    """The array literal of strings (and arrays of them) opening at `start`, and its end."""
    items: JsArray = []
    position = start + 1
    while True:
        token = _TOKEN.match(text, position)
        assert token, f"not an array of plain strings: {text[position : position + 40]!r}"
        position = token.end()
        if token["punct"] == "]":
            return items, position
        if token["punct"] == "[":
            inner, position = _array_at(text, token.start())
            items.append(inner)
        elif token["single"] is not None or token["double"] is not None:
            items.append(token["single"] if token["single"] is not None else token["double"])


def js_array(file: str, name: str) -> JsArray:
    """`const NAME = [...]` or `new Set([...])` of `file`, however the literal is laid out."""
    text = _source(file)
    found = re.search(rf"\b(?:const|let|var)\s+{name}\s*=\s*(?:new\s+Set\s*\(\s*)?\[", text)
    assert found, f"{file} has no array {name}"
    return _array_at(text, found.end() - 1)[0]


def js_strings(file: str, name: str) -> list[str]:
    """A flat array of strings (see js_array)."""
    items = js_array(file, name)
    strings = [item for item in items if isinstance(item, str)]
    assert strings == items, f"{file}: {name} is not a flat array of strings"
    return strings


def test_the_parser_reads_any_layout() -> None:
    text = "[ // sections\n  'a', \"b\",\n  /* c */ ['d', 'e'],\n]"
    assert _array_at(text, 0) == (["a", "b", ["d", "e"]], len(text))


def test_the_timeline_draws_the_tracks_of_a_timeline() -> None:
    keys = [track[0] for track in js_array("views/timeline.js", "TRACKS")]
    assert keys == list(TimelineTracks.model_json_schema(by_alias=True)["properties"])


def test_the_editor_knows_why_a_removed_members_stream_ends() -> None:
    found = re.search(r"\bconst REMOVED = " + _STRING, _source("views/lecture.js"))
    assert found, "views/lecture.js has no REMOVED"
    assert found[2] == REMOVED


def test_the_sharing_panel_offers_the_roles() -> None:
    assert js_strings("views/sharing.js", "ROLES") == list(get_args(Role))


def test_progress_ends_with_the_finished_run_statuses() -> None:
    assert set(js_strings("views/progress.js", "FINISHED")) == FINISHED


def test_a_regeneration_is_waited_for_while_it_works() -> None:
    working = set(get_args(RunStatus)) - STOPPED
    assert set(js_strings("views/inspector.js", "ACTIVE")) == working


def _problem_codes() -> set[str]:
    """The API's problem codes the SDK tells apart (its exceptions)."""
    codes: set[str] = set()
    classes: list[type[ProblemError]] = [ProblemError]
    while classes:
        kind = classes.pop()
        codes.update(kind.codes)
        classes.extend(kind.__subclasses__())
    return codes


# Where the editor compares a value from the server with one name, or passes one: what comes
# before the quoted name, and the names the server defines there.
NAMED = {
    "run status": (r"\b(?:run|data)\.status\s*[!=]==?\s*", set(get_args(RunStatus))),
    "workflow kind": (r"\.kind\s*[!=]==?\s*", set(WORKFLOW_KINDS)),
    "asset kind": (r"\bregenerateAsset\(\s*[\w.]+\s*,\s*", set(ASSET_SECTIONS)),
    "problem code": (r"\.code\s*[!=]==?\s*", _problem_codes()),
    "revision source": (r"\.source\s*[!=]==?\s*", set(get_args(RevisionSource))),
}


@pytest.mark.parametrize("what", list(NAMED))
def test_every_name_the_editor_spells_is_the_servers(what: str) -> None:
    before, names = NAMED[what]
    spelled = {
        (str(path.relative_to(EDITOR)), found[1])
        for path in EDITOR.rglob("*.js")
        if "vendor" not in path.relative_to(EDITOR).parts  # the client's bundle: its own tests
        for found in re.findall(before + _STRING, path.read_text())
    }
    assert spelled, f"the editor compares no {what}: is the pattern still right?"
    assert {(file, name) for file, name in spelled if name not in names} == set()
