"""The workflow kinds and their steps: the contract between the API (which starts runs) and the
workers (which run each step by name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class WorkflowKind:
    """A named sequence of steps; step i (1-based) is `steps[i - 1]`.

    `rebuilds`: its steps always recompute their output (the kind exists to redo it); otherwise a
    step whose output the lecture already has is skipped unless the run is started with force.
    `startable`: a client may start it on a lecture (`POST /lectures/{id}/workflows`).
    """

    name: str
    steps: tuple[str, ...]
    rebuilds: bool = False
    startable: bool = True

    @property
    def total_steps(self) -> int:
        return len(self.steps)

    def step_name(self, step_index: int) -> str:
        if not 1 <= step_index <= len(self.steps):
            raise ValueError(f"{self.name} has no step {step_index}")
        return self.steps[step_index - 1]


LECTURE_GENERATION = WorkflowKind(
    "lecture_generation",
    ("script", "image_prompts", "narration", "music", "effects", "timeline"),
)
TIMELINE_RESYNTHESIS = WorkflowKind("timeline_resynthesis", ("timeline",), rebuilds=True)
# One asset made again, kept as a proposal for review (POST …/assets/{kind}/{id}/regenerate).
ASSET_REGENERATION = WorkflowKind(
    "asset_regeneration", ("regenerate",), rebuilds=True, startable=False
)

WORKFLOW_KINDS: dict[str, WorkflowKind] = {
    kind.name: kind for kind in (LECTURE_GENERATION, TIMELINE_RESYNTHESIS, ASSET_REGENERATION)
}
STARTABLE_KINDS: tuple[str, ...] = tuple(k.name for k in WORKFLOW_KINDS.values() if k.startable)
# STARTABLE_KINDS as a type (the wire model, its OpenAPI enum, the SDK); a unit test holds the two
# equal (tests/unit/test_workflow_kinds.py).
StartableKind = Literal["lecture_generation", "timeline_resynthesis"]

# The sections a step writes, where having them means the step's work is done (a rerun skips
# the step unless forced). The timeline is left out: it is derived from everything else and is
# always assembled again.
STEP_OUTPUTS: dict[str, tuple[str, ...]] = {
    "script": ("script",),
    "image_prompts": ("images", "videos"),
    "narration": ("narration",),
    "music": ("music",),
    "effects": ("effects",),
}

# Asset kinds a person can regenerate, and the section holding each (app.asset_section in SQL
# is the same list: tests/db/test_sections.py compares them). AssetKind is its keys as a type
# (the API's path parameter, the SDK), held equal by tests/unit/test_workflow_kinds.py.
AssetKind = Literal["image", "narration", "music", "video"]
ASSET_SECTIONS: dict[str, str] = {
    "image": "images",
    "narration": "narration",
    "music": "music",
    "video": "videos",
}


def workflow_kind(name: str) -> WorkflowKind:
    """The kind called `name`; KeyError names the known kinds."""
    try:
        return WORKFLOW_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown workflow {name!r}; known: {', '.join(WORKFLOW_KINDS)}") from None
