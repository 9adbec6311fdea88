"""The wheel installs one top-level package, `tutopanda`, with the API and workers inside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tools.package_map import PACKAGE_DIRS, listed_packages, package_folders

ROOT = Path(__file__).resolve().parents[2]


def _build_wheel(directory: Path) -> Path:
    """The wheel of the files a clone has (tracked, or new and not ignored), built in a copy:
    the build backend writes build/ and *.egg-info/ beside the sources it builds."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    source = directory / "source"
    for name in listed:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*command, "--quiet", "--wheel-dir", str(directory), str(source)],
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
    assert "tutopanda/api/controllers/lectures.py" in names
    assert "tutopanda/workers/app.py" in names
    assert "tutopanda/workers/generators/timeline.py" in names
    assert "tutopanda/py.typed" in names  # the SDK is typed for its users' mypy
    for folder in ("sql/schema", "sql/queries", "migrations"):
        shipped = {name for name in names if name.startswith(f"tutopanda/_resources/{folder}/")}
        expected = {
            f"tutopanda/_resources/{folder}/{p.name}" for p in (ROOT / folder).glob("*.sql")
        }
        assert shipped - {f"tutopanda/_resources/{folder}/__init__.py"} == expected
    assert "tutopanda/_resources/api-docs/scalar-standalone.js" in names
    assert "tutopanda/_resources/editor/index.html" in names  # the browser editor page
    assert "tutopanda/_resources/editor/views/lecture.js" in names
    assert "tutopanda/_resources/editor/vendor/client.js" in names  # its TypeScript client


def test_an_editable_install_imports_only_the_checkout(tmp_path: Path) -> None:
    code = (
        "import tutopanda.cli, tutopanda.api.app, tutopanda.workers.app\n"
        "from tutopanda.resources import sql_dir, migrations_dir\n"
        "print(tutopanda.__file__, tutopanda.api.app.__file__, tutopanda.workers.app.__file__)\n"
        "print(sql_dir(), migrations_dir())"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True
    )
    modules, folders = (line.split() for line in shown.stdout.splitlines())
    assert [Path(m) for m in modules] == [
        ROOT / "tutopanda" / "__init__.py",
        ROOT / "api" / "app.py",
        ROOT / "workers" / "app.py",
    ]
    assert [Path(f) for f in folders] == [ROOT / "sql", ROOT / "migrations"]
    for name in ("api", "workers", "sql", "migrations"):
        missing = subprocess.run(
            [sys.executable, "-c", f"import {name}"],
            check=False,
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert missing.returncode != 0, f"a top-level {name!r} is importable"


def test_the_repository_has_no_symlinks() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert [line for line in tracked if line.startswith("120000")] == []


def test_every_package_folder_is_listed_for_the_build_backend() -> None:
    """A new folder of code or files under a mapped folder must be named in pyproject.toml, or
    the wheel would silently leave it out."""
    assert set(package_folders()) == set(listed_packages())
    assert PACKAGE_DIRS["tutopanda.api"] == "api"
    assert PACKAGE_DIRS["tutopanda.workers"] == "workers"
