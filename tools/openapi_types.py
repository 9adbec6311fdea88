"""`make openapi-types`: regenerate clients/typescript/src/generated/openapi.ts from the app's
OpenAPI document, with the TypeScript client's pinned openapi-typescript
(clients/typescript/scripts/openapi-types.mjs, which `npm run generate` runs on a served one).

The document is the one the API serves, built without a server or a database: the app is made
and its startup hooks complete the document (idempotency keys, 429s, the `contract` rules), which
is all the serving route adds. `--check` writes nothing and exits 1 when the checked-in types are
not what the document gives (tests/typescript/test_generated_types.py compares them with the
document a running app serves).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools.package_map import ROOT

CLIENT = ROOT / "clients" / "typescript"
OUTPUT = CLIENT / "src" / "generated" / "openapi.ts"
GENERATOR = CLIENT / "scripts" / "openapi-types.mjs"  # its options, once for npm and make
INSTALLED = CLIENT / "node_modules" / "openapi-typescript"


def app_document() -> dict[str, Any]:
    """The OpenAPI document of the app as it serves it (default settings, no database)."""
    from tutopanda.api.app import create_app  # noqa: PLC0415 - the app only when asked for
    from tutopanda.settings import load_settings  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as home:
        settings = load_settings({"TUTOPANDA_HOME": home, "TUTOPANDA_JWT_SECRET": "x" * 48})
        app = create_app(settings, "postgresql://unused@127.0.0.1:1/unused")
        for hook in app.on_startup:  # each completes the document, as at a server's start
            hook(app)  # type: ignore[call-arg]
        document: dict[str, Any] = app.openapi_schema.to_schema()
    return document


def generated_types(document: Mapping[str, Any]) -> str:
    """The TypeScript that the pinned openapi-typescript writes for `document`."""
    node = shutil.which("node")
    if node is None or not INSTALLED.is_dir():
        raise FileNotFoundError(f"node, or {INSTALLED}, is missing: `make install` installs it")
    with tempfile.TemporaryDirectory() as scratch:
        source, output = Path(scratch) / "openapi.json", Path(scratch) / "openapi.ts"
        source.write_text(json.dumps(document), encoding="utf-8")
        subprocess.run(  # noqa: S603 - node and the repository's own script
            [node, str(GENERATOR), str(source), str(output)],
            cwd=CLIENT,
            check=True,
            capture_output=True,
            text=True,
        )
        return output.read_text(encoding="utf-8")


def main(arguments: list[str]) -> int:
    expected = generated_types(app_document())
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    if "--check" in arguments:
        if current != expected:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run `make openapi-types`", file=sys.stderr)
            return 1
        return 0
    if current != expected:
        OUTPUT.write_text(expected, encoding="utf-8")
        print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
