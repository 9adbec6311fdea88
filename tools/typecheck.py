"""`make typecheck`: mypy --strict over the code, with the package layout the build backend
installs (api/ is tutopanda.api, workers/ is tutopanda.workers: tools/package_map.py).

mypy names a file's module after its folders, and no setting of its own maps a folder to another
package name; its build API takes each source with its module name, which is what this passes.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mypy import build
from mypy.errors import CompileError
from mypy.main import process_options
from mypy.modulefinder import BuildSource

from tools.package_map import ROOT, module_name


def _installed_names(sources: list[BuildSource]) -> list[BuildSource]:
    named = []
    for source in sources:
        module = module_name(Path(source.path)) if source.path else None
        named.append(source if module is None else BuildSource(source.path, module, None))
    return named


def main(arguments: list[str]) -> int:
    """Run mypy with pyproject.toml's settings and its `files`; exit 1 on any error."""
    config = ["--config-file", str(ROOT / "pyproject.toml")]
    sources, options = process_options([*config, *arguments])
    try:
        result = build.build(_installed_names(sources), options)
    except CompileError as error:
        print("\n".join(error.messages), file=sys.stderr)
        return 2
    for message in result.errors:
        print(message)
    checked = len(sources)
    if result.errors:
        failed = len(
            {message.split(":", 1)[0] for message in result.errors if ": error:" in message}
        )
        print(f"Found errors in {failed} file(s) (checked {checked} source files)")
        return 1
    print(f"Success: no issues found in {checked} source files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
