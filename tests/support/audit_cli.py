"""Running `tutopanda audit …` (and other commands) as a real process against a test database."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.databases import TestDatabase


def tutopanda(
    database: TestDatabase, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m tutopanda ARGS` with DATABASE_URL set to the test database."""
    return subprocess.run(
        [sys.executable, "-m", "tutopanda", *args],
        env={**os.environ, "DATABASE_URL": database.admin_url, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, prefix: str) -> None:
    """The command failed with `code`, printed nothing on stdout and one line on stderr."""
    assert (result.returncode, result.stdout) == (code, ""), result.stderr
    assert result.stderr.startswith(f"tutopanda: {prefix}"), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
