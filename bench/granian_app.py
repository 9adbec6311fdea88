"""The API as an ASGI app factory for granian (the bench compares it with `tutopanda serve`).

Configured like `tutopanda serve --no-worker`: settings from the environment, the same app.
"""

from __future__ import annotations

from litestar import Litestar

from tutopanda.api.app import create_app
from tutopanda.db.connection import admin_url
from tutopanda.settings import load_settings


def create() -> Litestar:
    """The Litestar app `tutopanda serve` runs, for `granian --factory`."""
    settings = load_settings()
    return create_app(settings, admin_url(settings))
