"""The vendored API documentation bundle is exactly the pinned one (`make docs-assets`)."""

from __future__ import annotations

import hashlib
import json
import re
from fnmatch import fnmatch
from pathlib import Path

from tutopanda.resources import api_docs_dir

ROOT = Path(__file__).resolve().parents[2]


def test_every_vendored_file_has_its_pinned_digest() -> None:
    manifest = json.loads((api_docs_dir() / "VENDORED.json").read_text("utf-8"))
    assert manifest["package"] == "@scalar/api-reference"
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"]), "pin an exact version"
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", manifest["integrity"])
    assert manifest["files"]
    for name, entry in manifest["files"].items():
        data = (api_docs_dir() / name).read_bytes()
        assert len(data) == entry["bytes"], name
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name


def test_git_keeps_the_bundles_byte_exact_and_marks_them_vendored() -> None:
    rules = [
        line.split()
        for line in (ROOT / ".gitattributes").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    manifest = json.loads((api_docs_dir() / "VENDORED.json").read_text("utf-8"))
    for name in manifest["files"]:
        path = (api_docs_dir() / name).relative_to(ROOT).as_posix()
        attributes = {attr for pattern, *attrs in rules if fnmatch(path, pattern) for attr in attrs}
        assert {"binary", "linguist-vendored"} <= attributes, path
