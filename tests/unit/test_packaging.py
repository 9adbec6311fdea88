"""The wheel installs one top-level package, `tutopanda`, with the API and workers inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _build_wheel(directory: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*command, "--quiet", "--wheel-dir", str(directory), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(directory.glob("tutopanda-*.whl"))


def test_the_wheel_has_no_top_level_api_or_workers(tmp_path: Path) -> None:
    with zipfile.ZipFile(_build_wheel(tmp_path)) as wheel:
        names = wheel.namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("tutopanda-")}
    assert top_level == {"tutopanda"}
    assert "tutopanda/api/app.py" in names
    assert "tutopanda/workers/app.py" in names
    assert any(name.startswith("tutopanda/_resources/sql/schema/") for name in names)
    assert any(name.startswith("tutopanda/_resources/migrations/0001") for name in names)
    assert "tutopanda/_resources/api-docs/scalar-standalone.js" in names
    assert "tutopanda/_resources/editor/index.html" in names  # the browser editor page
    assert "tutopanda/_resources/editor/views/lecture.js" in names


def test_an_editable_install_imports_only_the_checkout(tmp_path: Path) -> None:
    code = (
        "import tutopanda.cli, tutopanda.api.app, tutopanda.workers.app; print(tutopanda.__file__)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    assert Path(shown.stdout.strip()).resolve() == ROOT / "tutopanda" / "__init__.py"
    missing = subprocess.run(
        [sys.executable, "-c", "import api"],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert missing.returncode != 0


def test_the_links_point_at_the_repository_folders() -> None:
    for name in ("api", "workers", "_resources/sql", "_resources/migrations"):
        link = ROOT / "tutopanda" / name
        assert link.is_symlink()
        assert link.resolve() == ROOT / name.removeprefix("_resources/")
