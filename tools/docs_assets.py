"""`make docs-assets`: fetch the pinned Scalar bundle from the npm registry and verify it.

The API documentation page (/schema) runs Scalar from files vendored into the package, so it
works with no internet and never changes under us. `VENDORED.json` beside the files records the
npm package, its exact version, the tarball's integrity (as the registry publishes it) and the
SHA-256 of every file taken from it. This tool re-fetches that version with `npm pack` (npm's
configured registry; npm checks the tarball against the registry's integrity), checks the
integrity again itself, checks each file's SHA-256 and writes the files.

    python -m tools.docs_assets                   # re-fetch the pinned version, verify, write
    python -m tools.docs_assets --version 1.73.0  # pin this version (records its digests)
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "tutopanda" / "_resources" / "api-docs"
MANIFEST = ASSETS / "VENDORED.json"


class VerificationError(Exception):
    """A fetched tarball or file is not the one the manifest pins."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def npm_pack(package: str, version: str, destination: Path) -> tuple[Path, str]:
    """The registry tarball of package@version and the integrity npm reports for it."""
    npm = shutil.which("npm")
    if npm is None:
        raise VerificationError("npm is needed (Debian: apt-get install npm)")
    # The package and version come from our own manifest or the maintainer's command line.
    shown = subprocess.run(  # noqa: S603
        [npm, "pack", f"{package}@{version}", "--json", "--pack-destination", str(destination)],
        check=True,
        capture_output=True,
        text=True,
    )
    (packed,) = json.loads(shown.stdout)
    if packed["version"] != version:
        raise VerificationError(f"npm packed {packed['version']}, not {version}")
    return destination / packed["filename"], str(packed["integrity"])


def check_integrity(tarball: Path, integrity: str) -> None:
    """Subresource-integrity form, as npm records it: `sha512-<base64>`."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise VerificationError(f"unexpected integrity algorithm {algorithm!r}")
    actual = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if actual != expected:
        raise VerificationError(f"{tarball.name}: integrity {actual} is not the pinned {expected}")


def extract(tarball: Path, member: str) -> bytes:
    with tarfile.open(tarball, "r:gz") as archive:
        handle = archive.extractfile(member)
        if handle is None:
            raise VerificationError(f"{member} is not a file in {tarball.name}")
        return handle.read()


def refresh(manifest: dict[str, Any], new_version: str | None) -> dict[str, Any]:
    """Fetch, verify and write the files; the manifest to keep (changed only on a new pin)."""
    repin = new_version is not None
    version = new_version or manifest["version"]
    with tempfile.TemporaryDirectory() as folder:
        tarball, integrity = npm_pack(manifest["package"], version, Path(folder))
        if not repin and integrity != manifest["integrity"]:
            raise VerificationError(f"the registry's integrity {integrity} is not the pinned one")
        check_integrity(tarball, integrity)
        files = {}
        for target, entry in manifest["files"].items():
            data = extract(tarball, entry["from"])
            digest = sha256_of(data)
            if not repin and digest != entry["sha256"]:
                raise VerificationError(f"{entry['from']}: SHA-256 {digest} is not the pinned one")
            (ASSETS / target).write_bytes(data)
            files[target] = {"from": entry["from"], "sha256": digest, "bytes": len(data)}
    return {**manifest, "version": version, "integrity": integrity, "files": files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", help="pin this exact version instead of the recorded one")
    args = parser.parse_args(argv)
    manifest = json.loads(MANIFEST.read_text("utf-8"))
    try:
        updated = refresh(manifest, args.version)
    except (VerificationError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or error
        print(f"docs-assets: {detail}", file=sys.stderr)
        return 1
    MANIFEST.write_text(json.dumps(updated, indent=2) + "\n", "utf-8")
    print(f"docs-assets: {updated['package']}@{updated['version']} verified and written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
