"""Hooks of the schemathesis run (tests/api/test_openapi_conformance.py).

Schemathesis draws header values from a small space and sends the same `Idempotency-Key` with
different requests; the API rightly answers the second one 422 (api/idempotency.py). A real
client sends a fresh key per write, so each well-formed key drawn is made unique per call; a
malformed one is sent as drawn (and must still be refused).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis

_WELL_FORMED = re.compile(r"^[!#-~]{1,255}$")


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """A well-formed Idempotency-Key of a positive case becomes one of its own for this call.

    Negative cases are left exactly as drawn: editing one makes schemathesis re-derive what it
    left out (a missing Authorization header would then be sent after all)."""
    meta = case.meta
    if case.headers is None or meta is None or meta.generation.mode.is_negative:
        return
    for name, value in list(case.headers.items()):
        if name.lower() == "idempotency-key" and _WELL_FORMED.match(str(value)):
            case.headers[name] = f"{uuid.uuid4()}"
