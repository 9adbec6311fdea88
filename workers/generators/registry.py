"""Which generator computes each step: the defaults, or providers named in configuration.

`TUTOPANDA_GENERATORS="script=my_package.models:ScriptFromModel,narration=…"` replaces the
generator of a step with any importable callable (or class, instantiated without arguments)
that implements StepGenerator.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import cast

from tutopanda.workers.generators.base import StepGenerator
from tutopanda.workers.generators.effects import generate_effects
from tutopanda.workers.generators.media import generate_music, generate_narration
from tutopanda.workers.generators.script import generate_script
from tutopanda.workers.generators.timeline import generate_timeline
from tutopanda.workers.generators.visuals import generate_image_prompts

DEFAULT_GENERATORS: dict[str, StepGenerator] = {
    "script": generate_script,
    "image_prompts": generate_image_prompts,
    "narration": generate_narration,
    "music": generate_music,
    "effects": generate_effects,
    "timeline": generate_timeline,
}


class GeneratorConfigError(ValueError):
    """TUTOPANDA_GENERATORS names an unknown step or something that cannot be imported."""


def _load(step: str, target: str) -> StepGenerator:
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise GeneratorConfigError(f"{step}={target}: expected module.path:callable")
    try:
        loaded = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise GeneratorConfigError(f"{step}={target}: {error}") from None
    generator = loaded() if inspect.isclass(loaded) else loaded
    if not callable(generator):
        raise GeneratorConfigError(f"{step}={target}: not callable")
    return cast(StepGenerator, generator)


def build_generators(
    spec: str, defaults: Mapping[str, StepGenerator] = DEFAULT_GENERATORS
) -> dict[str, StepGenerator]:
    """The defaults with the replacements of `spec` (comma-separated `step=module:callable`)."""
    generators = dict(defaults)
    for item in (part.strip() for part in spec.split(",")):
        if not item:
            continue
        step, _, target = item.partition("=")
        step = step.strip()
        if step not in generators:
            known = ", ".join(generators)
            raise GeneratorConfigError(f"unknown step {step!r} in TUTOPANDA_GENERATORS ({known})")
        generators[step] = _load(step, target.strip())
    return generators
