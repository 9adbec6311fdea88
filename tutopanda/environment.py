"""TUTOPANDA_* variables that name no setting: a misspelled one is reported, not ignored."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping

from tutopanda.settings import ENVIRONMENT_VARIABLES

logger = logging.getLogger("tutopanda.settings")
PREFIX = "TUTOPANDA_"
# Variables of the project's own tools, not of the service: the test suite's (passed on to the
# servers it starts), the benchmarks' and the snapshot refreshers'.
TOOL_PREFIXES = ("TUTOPANDA_TEST_", "TUTOPANDA_BENCH_", "TUTOPANDA_UPDATE_")
TOOL_VARIABLES = frozenset({"TUTOPANDA_PROPERTY_SEED", "TUTOPANDA_PROPERTY_WRITES"})


def is_known(variable: str) -> bool:
    """True for a setting's variable and for the tools' own."""
    return (
        variable in ENVIRONMENT_VARIABLES.values()
        or variable in TOOL_VARIABLES
        or variable.startswith(TOOL_PREFIXES)
    )


def unknown_variables(environ: Mapping[str, str]) -> dict[str, str | None]:
    """Each TUTOPANDA_* variable of `environ` that names nothing, with the setting's variable
    closest to it (None: none is close)."""
    return {
        name: _closest(name)
        for name in sorted(environ)
        if name.startswith(PREFIX) and not is_known(name)
    }


def _closest(name: str) -> str | None:
    """The setting's variable most like `name`, compared without the common prefix (which
    would make every name look alike)."""
    settings = {
        variable.removeprefix(PREFIX): variable for variable in ENVIRONMENT_VARIABLES.values()
    }
    close = difflib.get_close_matches(name.removeprefix(PREFIX), list(settings), n=1)
    return settings[close[0]] if close else None


def warn_unknown_variables(environ: Mapping[str, str]) -> None:
    """One warning per TUTOPANDA_* variable that names nothing (it is ignored)."""
    for name, closest in unknown_variables(environ).items():
        if closest is None:
            logger.warning("%s is not a setting and is ignored (README, Configuration)", name)
        else:
            logger.warning("%s is not a setting and is ignored: did you mean %s?", name, closest)
