"""The cost of a merged save: a clip edit made on a stale base, merged per JSON path onto the
revision that another clip's edit produced, against the same edit saved on a fresh base; both
through `save_draft` (the API's path), 2/20/200 KB timelines, one client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from psycopg import AsyncConnection

from bench.database import BENCH_USER
from bench.driver import Save, Slot, drive
from bench.payloads import SIZES_KB
from bench.runner import Sample, Variant
from bench.scenarios import Context
from bench.tools import BenchError
from tutopanda.db.execute import fetch_value
from tutopanda.models.lecture import LecturePatch
from tutopanda.store.lectures import save_draft

CLIENTS = 1
TRACKS = ("visual", "voice")  # successive saves rename the first clip of each in turn
TARGET = ""  # no target: the price of not refusing a stale save


@dataclass
class Versions:
    """A client's lecture at its last two revisions (the timelines) and its edits so far."""

    previous: dict[str, Any]
    current: dict[str, Any]
    edits: int = 0

    def next_edit(self) -> tuple[str, str]:
        """The clip to rename and its new name: never the clip the last save renamed."""
        return TRACKS[self.edits % len(TRACKS)], f"edit {self.edits}"

    def saved(self, timeline: dict[str, Any]) -> None:
        self.previous, self.current = self.current, timeline
        self.edits += 1


def renamed(timeline: dict[str, Any], track: str, name: str) -> dict[str, Any]:
    """The timeline with the first clip of a track renamed (copies only what changes)."""
    clips = list(timeline["tracks"][track])
    clips[0] = {**clips[0], "name": name}
    return {**timeline, "tracks": {**timeline["tracks"], track: clips}}


async def prepare(conninfo: str, slots: list[Slot]) -> dict[int, Versions]:
    """Read each client's lecture and rename one clip with a plain save, so that the lecture
    has two known revisions that differ by one clip (not timed)."""
    versions: dict[int, Versions] = {}
    async with await AsyncConnection.connect(conninfo, autocommit=True) as conn:
        for slot in slots:
            params = {"user_id": BENCH_USER, "lecture_id": slot.lecture}
            snapshot = json.loads(await fetch_value(conn, "lecture_get", params))
            slot.revision = int(snapshot["revision"])
            versions[slot.lecture] = Versions(snapshot["timeline"], snapshot["timeline"])
            await plain(versions)(conn, slot)
    return versions


def plain(versions: dict[int, Versions]) -> Save:
    """Rename a clip of the latest revision and save it on that revision."""

    async def save(conn: AsyncConnection[Any], slot: Slot) -> bool:
        lecture = versions[slot.lecture]
        timeline = renamed(lecture.current, *lecture.next_edit())
        patch = LecturePatch.model_validate({"timeline": timeline})
        result = await save_draft(conn, BENCH_USER, slot.lecture, slot.revision, patch)
        if result.status != "saved" or not result.changed_sections:
            raise BenchError(f"lecture {slot.lecture}: a plain save was {result.status}")
        slot.revision = result.revision
        lecture.saved(timeline)
        return True

    return save


def merged(versions: dict[int, Versions]) -> Save:
    """Rename a clip of the revision before the latest and save it there with `merge`: the
    latest revision renamed the other clip, so the edit is merged onto it (two round trips,
    the conflict draft kept and resolved, the three-way merge in between)."""

    async def save(conn: AsyncConnection[Any], slot: Slot) -> bool:
        lecture = versions[slot.lecture]
        track, name = lecture.next_edit()
        patch = LecturePatch.model_validate({"timeline": renamed(lecture.previous, track, name)})
        result = await save_draft(
            conn, BENCH_USER, slot.lecture, slot.revision - 1, patch, merge=True
        )
        if result.status != "saved" or result.merged_onto != slot.revision:
            raise BenchError(f"lecture {slot.lecture}: a disjoint edit was not merged")
        slot.revision = result.revision
        lecture.saved(renamed(lecture.current, track, name))
        return True

    return save


def variant(ctx: Context, size_kb: int, name: str, kind: str) -> Variant:
    set_name = ctx.lecture_set("merge", size_kb, CLIENTS)

    async def measure(seconds: float) -> Sample:
        slots = [Slot(lecture, revision) for lecture, revision in ctx.db.slots(set_name)]
        versions = await prepare(ctx.db.runtime, slots)
        save = merged(versions) if kind == "merged" else plain(versions)
        return await drive(ctx.db.runtime, slots, save, seconds, autocommit=True)

    params = {"clients": CLIENTS, "size_kb": size_kb, "save": kind}
    return Variant(name, params, ctx.counted(set_name, CLIENTS, measure))


async def run(ctx: Context) -> None:
    for size_kb in SIZES_KB:
        timeline = json.loads(ctx.payload(size_kb).a)["timeline"]
        size = len(json.dumps(timeline, separators=(",", ":")))
        case = f"{size_kb} KB timeline, 1 client"
        ctx.results.note(f"merge, {case}: {size:,} bytes of timeline JSON")
        subject = variant(ctx, size_kb, "merged save (stale base)", "merged")
        baseline = variant(ctx, size_kb, "plain save (fresh base)", "plain")
        samples = await ctx.results.run(
            "merge", case, [subject, baseline], warmup=ctx.config.warmup
        )
        ctx.results.compare(
            case,
            (subject.name, samples[subject.name]),
            (baseline.name, samples[baseline.name]),
            TARGET,
        )
