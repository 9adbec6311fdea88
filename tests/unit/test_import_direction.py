"""Arrows point one way: the web and worker layers use the core, the core never imports them
(but for the one composition root), and the SDK needs nothing of the server."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.package_map import PACKAGE_DIRS, ROOT, module_name

# The composition root wires the API and the worker together; the CLI command that runs it.
COMPOSITION_ROOT = {"tutopanda.service", "tutopanda.cli.serve"}
LAYERS = ("tutopanda.api", "tutopanda.workers")
# What the SDK (tutopanda.client) may use besides itself: the wire models, the workflow and
# asset kinds (tutopanda.workflows, a module without imports) and plain helpers.
SDK_MAY_USE = (
    "tutopanda.client",
    "tutopanda.models",
    "tutopanda.jsonvalue",
    "tutopanda.merge",
    "tutopanda.workflows",
)


def _code_modules() -> dict[str, Path]:
    modules = {}
    for folder in PACKAGE_DIRS.values():
        for path in (ROOT / folder).rglob("*.py"):
            name = module_name(path)
            if name is not None:
                modules[name] = path
    return modules


MODULES = _code_modules()


def _imports(module: str, path: Path) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in packages)


def test_the_core_imports_neither_the_api_nor_the_workers() -> None:
    core = {
        m: p for m, p in MODULES.items() if m.startswith("tutopanda") and not _within(m, LAYERS)
    }
    upward = {
        (module, name)
        for module, path in core.items()
        if module not in COMPOSITION_ROOT
        for name in _imports(module, path)
        if _within(name, LAYERS)
    }
    assert upward == set()
    assert len(core) > 50  # the walk found the core


def test_the_api_and_the_workers_do_not_import_each_other() -> None:
    for layer, other in (LAYERS, LAYERS[::-1]):
        crossing = {
            (module, name)
            for module, path in MODULES.items()
            if _within(module, (layer,))
            for name in _imports(module, path)
            if _within(name, (other,))
        }
        assert crossing == set(), layer


def test_the_sdk_needs_nothing_of_the_server() -> None:
    reaching = {
        (module, name)
        for module, path in MODULES.items()
        if _within(module, ("tutopanda.client",))
        for name in _imports(module, path)
        if name.startswith("tutopanda") and not _within(name, SDK_MAY_USE)
    }
    assert reaching == set()


@pytest.mark.parametrize("folder", ["tutopanda", "api", "workers", "tests", "bench", "tools"])
def test_nothing_imports_the_folders_by_their_repository_names(folder: str) -> None:
    """`import api` would load a second copy of tutopanda.api from a checkout."""
    stray = {
        (str(path.relative_to(ROOT)), name)
        for path in (ROOT / folder).rglob("*.py")
        for name in _imports(module_name(path) or "tests", path)
        if _within(name, ("api", "workers", "sql", "migrations"))
    }
    assert stray == set()
