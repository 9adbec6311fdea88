"""The command line: bad configuration is one line on stderr and exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.processes import free_port


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutopanda", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_bad_setting_is_one_line_and_exit_2() -> None:
    result = run("db", "status", TUTOPANDA_PORT="not-a-port")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("tutopanda: invalid setting TUTOPANDA_PORT")


def test_unreachable_database_is_one_line_naming_its_variable_and_exit_1() -> None:
    nowhere = f"postgresql://nobody@127.0.0.1:{free_port()}/none"
    for args, env, variable in (
        (("db", "migrate"), {"DATABASE_URL": nowhere}, "DATABASE_URL"),
        (
            ("db", "migrate"),  # migrate uses the direct URL
            {"DATABASE_URL": "postgresql://u@h/db", "TUTOPANDA_DIRECT_DATABASE_URL": nowhere},
            "TUTOPANDA_DIRECT_DATABASE_URL",
        ),
    ):
        result = run(*args, **env)
        assert result.returncode == 1
        assert result.stderr.strip().count("\n") == 0
        assert result.stderr.startswith(f"tutopanda: cannot reach the database ({variable}): ")


def test_unknown_command_is_a_usage_error() -> None:
    assert run("frobnicate").returncode == 2


def test_bad_arguments_are_one_line_and_exit_2() -> None:
    for args in (("serve", "--port", "abc"), ("db", "nope"), ("audit", "query"), ("frob",)):
        result = run(*args)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("tutopanda")
