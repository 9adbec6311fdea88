"""The names of code that the README and docs/ mention: SQL objects, files, Python names, tasks.

A doc that names code is tested (tests/unit/test_doc_names.py, tests/db/test_doc_sql_names.py):
a rename cannot leave the docs describing a house that is gone.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = (
    ROOT / "README.md",
    ROOT / "bench" / "README.md",
    ROOT / "clients" / "typescript" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
)

_SQL = re.compile(r"(?<![\w./-])(api|app|audit|procrastinate)\.([a-z_][a-z0-9_]*)\b(?![./-]\w)")
_FILE_EXTENSIONS = {"js", "py", "css", "html", "json", "md", "sql", "toml", "png", "lua"}
_PATH = re.compile(
    r"(?<![\w./-])((?:\.ci|api|bench|clients|docs|migrations|sql|tests|tools|tutopanda|workers)"
    r"/[\w./<>*{}-]*[\w>*}])"
)
_PYTHON = re.compile(r"(?<![\w./-])(tutopanda(?:\.\w+)+)")
_MAKE = re.compile(r"`make ([a-z][a-z-]*)")
# Paths the docs name that are not files of the repository: a placeholder, or what a run writes.
_NOT_FILES = re.compile(r"NNNN|<|\*|\{|^bench/results/|^test-artifacts/")
# Examples in a programming language name their own variables (`api = TutopandaClient(…)`).
_PROGRAM = re.compile(r"^```(?:python|sh|js|ts|tsx)\n.*?^```", flags=re.DOTALL | re.MULTILINE)


@cache
def _texts() -> dict[str, str]:
    return {str(doc.relative_to(ROOT)): _PROGRAM.sub("", doc.read_text("utf-8")) for doc in DOCS}


def _found(pattern: re.Pattern[str], group: int = 0) -> set[tuple[str, str]]:
    return {
        (doc, match.group(group))
        for doc, text in _texts().items()
        for match in pattern.finditer(text)
    }


def sql_names() -> set[tuple[str, str]]:
    """(doc, schema.name) of every SQL object a doc names (files such as app.js left out)."""
    return {
        (doc, f"{schema}.{name}")
        for doc, text in _texts().items()
        for schema, name in _SQL.findall(text)
        if name not in _FILE_EXTENSIONS
    }


def file_paths() -> set[tuple[str, str]]:
    """(doc, path) of every repository path a doc names."""
    return {
        (doc, path.rstrip(".")) for doc, path in _found(_PATH, 1) if not _NOT_FILES.search(path)
    }


def python_names() -> set[tuple[str, str]]:
    """(doc, dotted name) of every Python module or attribute under tutopanda a doc names."""
    return _found(_PYTHON, 1)


def make_tasks() -> set[tuple[str, str]]:
    """(doc, task) of every `make TASK` a doc shows."""
    return _found(_MAKE, 1)
