"""The TypeScript client (clients/typescript) under Node: its built package and its tools.

`make install` installs its tools (`npm ci`) and builds it. Without Node or the build the tests
here are skipped with the reason; under CI (CI=true) they fail: the suite must not pass by
skipping them (as for better-auth and Chromium).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.openapi_types import CLIENT


@dataclass(frozen=True)
class NodeClient:
    """Node, and the client's folder with its tools installed and its package built."""

    node: str
    folder: Path

    def tool(self, *path: str) -> str:
        """A file of an installed package: `tool("typescript", "bin", "tsc")`."""
        return str(self.folder / "node_modules" / Path(*path))


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node_client() -> NodeClient:
    node = shutil.which("node")
    if node is None:
        _missing("node (Node.js 20+) is not on PATH: the TypeScript client's tests need it")
    if not (CLIENT / "node_modules" / "typescript").is_dir():
        _missing(f"{CLIENT / 'node_modules'} is missing: `make install` installs it (npm ci)")
    if not (CLIENT / "dist" / "index.js").is_file():
        _missing(f"{CLIENT / 'dist'} is missing: `make install` builds it")
    assert node is not None
    return NodeClient(node=node, folder=CLIENT)
