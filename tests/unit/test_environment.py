"""The environment: every setting is in README's Configuration table, a TUTOPANDA_* variable
that names nothing is a warning naming the closest setting, and the project's own tools'
variables are never reported."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.support.doc_names import ROOT
from tutopanda.environment import is_known, unknown_variables
from tutopanda.settings import ENVIRONMENT_VARIABLES

_NAME = re.compile(r"\bTUTOPANDA_[A-Z0-9_]*[A-Z0-9]\b")
_SUFFIXES = (".py", ".md", ".toml", ".sh", ".yml", ".js")
_SKIPPED = {".venv", ".git", "node_modules", ".tutopanda", "test-artifacts", "__pycache__"}


def test_a_misspelled_variable_is_paired_with_the_closest_setting() -> None:
    environ = {
        "TUTOPANDA_SERVER_PROCESES": "2",
        "TUTOPANDA_DATABASE_URL": "postgresql://u@h/db",
        "TUTOPANDA_FROBNICATE": "1",
        "TUTOPANDA_PORT": "8000",
        "TUTOPANDA_TEST_DATABASE_URL": "postgresql://u@h/db",
        "TUTOPANDA_BENCH_ONLY": "http",
        "PATH": "/usr/bin",
    }
    assert unknown_variables(environ) == {
        "TUTOPANDA_DATABASE_URL": "DATABASE_URL",
        "TUTOPANDA_FROBNICATE": None,
        "TUTOPANDA_SERVER_PROCESES": "TUTOPANDA_SERVER_PROCESSES",
    }


def test_every_variable_the_repository_names_is_known() -> None:
    """The test suite's, the benchmarks' and the docs' TUTOPANDA_* names are settings or the
    tools' own: a server the tests start is never told it was given an unknown variable."""
    named = {
        (str(path.relative_to(ROOT)), name)
        for path in _files()
        for name in _NAME.findall(path.read_text("utf-8", errors="replace"))
    }
    assert len(named) > 50
    assert {(path, name) for path, name in named if not is_known(name)} == set()


def _files() -> list[Path]:
    """The repository's code, docs and build files but this one (its misspellings are on
    purpose), without descending into the virtualenv and other generated folders."""
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [name for name in subfolders if name not in _SKIPPED]
        found += [
            Path(folder, name) for name in names if name == "Makefile" or name.endswith(_SUFFIXES)
        ]
    return [path for path in found if path != Path(__file__)]


def test_every_setting_is_in_the_readme_configuration_table() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in _NAME.findall(line)
    }
    rows |= {"DATABASE_URL"} if "| `DATABASE_URL`" in table else set()
    assert set(ENVIRONMENT_VARIABLES.values()) - rows == set()


def test_the_command_warns_once_per_unknown_variable() -> None:
    """At start, on stderr, in the one log format; the command still runs."""
    result = subprocess.run(
        [sys.executable, "-m", "tutopanda", "token", "--user", "ida"],
        env={
            **os.environ,
            "TUTOPANDA_JWT_SECRET": "env-secret-" + "e" * 40,
            "TUTOPANDA_SERVER_PROCESES": "2",
            "TUTOPANDA_TEST_ANYTHING": "1",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(".") == 2  # a JWT
    assert result.stderr.splitlines() == [
        "WARNING tutopanda.settings: TUTOPANDA_SERVER_PROCESES is not a setting and is ignored: "
        "did you mean TUTOPANDA_SERVER_PROCESSES?"
    ]
