"""Which requests write: the unsafe methods, and the routes that take one but store nothing."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.routes import HTTPRoute
from litestar.types import Scope

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# The `opt` key of a route that takes an unsafe method but writes nothing stored (presence):
# not counted, not documented with a 429, and its Idempotency-Key is neither claimed nor kept
# (api/idempotency.py): sent again, it simply runs again.
NOT_A_WRITE = "not_a_write"


def stores_a_write(scope: Scope) -> bool:
    """Whether the request's route writes something stored (not marked NOT_A_WRITE)."""
    handler = scope.get("route_handler")
    return handler is None or not handler.opt.get(NOT_A_WRITE, False)


def not_writes(app: Litestar) -> set[tuple[str, str]]:
    """The (OpenAPI path, method) of the routes marked NOT_A_WRITE."""
    exempt: set[tuple[str, str]] = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {lecture_id:int} -> {lecture_id}
        for handler in route.route_handlers:
            if handler.opt.get(NOT_A_WRITE, False):
                exempt.update((path, method) for method in handler.http_methods)
    return exempt
