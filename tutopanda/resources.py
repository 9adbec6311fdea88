"""Locates the `sql/` and `migrations/` folders in a source checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `name` (`sql` or `migrations`) shipped with this version of the code."""
    checkout = _PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    installed = _PACKAGE_DIR / "_resources" / name
    if installed.is_dir():
        return installed
    raise FileNotFoundError(f"the {name}/ folder is missing from this installation")


def sql_dir() -> Path:
    """Re-creatable database objects and named queries."""
    return resource_dir("sql")


def migrations_dir() -> Path:
    """Numbered, immutable yoyo migrations."""
    return resource_dir("migrations")
