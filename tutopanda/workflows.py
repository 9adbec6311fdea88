"""The workflow kinds and their steps: the contract between the API (which starts runs) and the
workers (which run each step by name)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkflowKind:
    """A named sequence of steps; step i (1-based) is `steps[i - 1]`."""

    name: str
    steps: tuple[str, ...]

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
TIMELINE_RESYNTHESIS = WorkflowKind("timeline_resynthesis", ("timeline",))

WORKFLOW_KINDS: dict[str, WorkflowKind] = {
    kind.name: kind for kind in (LECTURE_GENERATION, TIMELINE_RESYNTHESIS)
}


def workflow_kind(name: str) -> WorkflowKind:
    """The kind called `name`; KeyError names the known kinds."""
    try:
        return WORKFLOW_KINDS[name]
    except KeyError:
        raise KeyError(f"unknown workflow {name!r}; known: {', '.join(WORKFLOW_KINDS)}") from None
