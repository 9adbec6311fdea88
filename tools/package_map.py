"""The package layout the build backend installs (pyproject.toml's [tool.setuptools]), for the
tools that must see it too: the type checker and the import-direction test."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@cache
def _setuptools() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return dict(tomllib.load(file)["tool"]["setuptools"])


PACKAGE_DIRS: dict[str, str] = dict(_setuptools()["package-dir"])


def listed_packages() -> list[str]:
    """The packages pyproject.toml names."""
    return list(_setuptools()["packages"])


def package_folders() -> list[str]:
    """The package every folder under a mapped folder installs as (code or files alike)."""
    found: list[str] = []
    for package, folder in PACKAGE_DIRS.items():
        for directory in [ROOT / folder, *sorted((ROOT / folder).rglob("*"))]:
            relative = directory.relative_to(ROOT / folder).parts
            if not directory.is_dir() or not all(part.isidentifier() for part in relative):
                continue
            if "__pycache__" in relative or _mapped_elsewhere(package, relative):
                continue
            found.append(".".join((package, *relative)))
    return found


def _mapped_elsewhere(package: str, relative: tuple[str, ...]) -> bool:
    return any(
        ".".join((package, *relative[:n])) in PACKAGE_DIRS for n in range(1, 1 + len(relative))
    )


def module_name(path: Path) -> str | None:
    """The module a Python file installs as (None: not inside a mapped folder)."""
    path = path.resolve()
    best: tuple[int, str] | None = None
    for package, folder in PACKAGE_DIRS.items():
        base = ROOT / folder
        if path.is_relative_to(base) and (best is None or len(folder) > best[0]):
            parts = path.relative_to(base).with_suffix("").parts
            if parts and parts[-1] == "__init__":
                parts = parts[:-1]
            best = (len(folder), ".".join((package, *parts)))
    return None if best is None else best[1]
