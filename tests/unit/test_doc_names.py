"""Every file, Python name and `make` task the README and docs/ name exists (SQL names:
tests/db/test_doc_sql_names.py)."""

from __future__ import annotations

import importlib
import re

from tests.support.doc_names import ROOT, file_paths, make_tasks, python_names


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


def test_every_named_file_exists() -> None:
    named = file_paths()
    assert len(named) > 50  # the docs were read
    assert {(doc, path) for doc, path in named if not (ROOT / path).exists()} == set()


def test_every_named_python_module_or_attribute_exists() -> None:
    named = python_names()
    assert named
    assert {(doc, name) for doc, name in named if not _resolves(name)} == set()


def test_every_named_make_task_exists() -> None:
    tasks = set(re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))
    named = make_tasks()
    assert named
    assert {(doc, task) for doc, task in named if task not in tasks} == set()
