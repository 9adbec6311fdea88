"""The editor page's copy of the TypeScript client (tutopanda/_resources/editor/vendor/client.js,
checked in: the service serves it and needs no Node) is the bundle of the client's sources as
they are: a change to clients/typescript/src that is not bundled again (`make editor-client`)
fails here."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.typescript.conftest import NodeClient
from tutopanda.resources import resource_dir

BUNDLE = resource_dir("editor") / "vendor" / "client.js"


def test_the_editor_serves_the_bundle_of_the_clients_sources(
    node_client: NodeClient, tmp_path: Path
) -> None:
    fresh = tmp_path / "client.js"
    subprocess.run(
        [node_client.node, str(node_client.folder / "scripts" / "editor-bundle.mjs"), str(fresh)],
        check=True,
        timeout=60,
    )
    assert BUNDLE.read_bytes() == fresh.read_bytes(), (
        f"{BUNDLE} is not the bundle of clients/typescript/src: run `make editor-client`"
    )
