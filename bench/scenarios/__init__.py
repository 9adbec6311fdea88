"""The scenario groups of `make bench`, and the context they share."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace

from bench.config import Config
from bench.database import BenchDatabase
from bench.payloads import Payload, payload
from bench.runner import Measure, Results, Sample
from bench.tools import BenchError

MAX_CLIENTS = 32


def clients(count: int) -> str:
    """`1 client`, `8 clients`."""
    return "1 client" if count == 1 else f"{count} clients"


@dataclass
class Context:
    """The run's settings, its database, the results so far and the lectures made for it."""

    config: Config
    db: BenchDatabase
    results: Results
    _payloads: dict[int, Payload] = field(default_factory=dict)
    _sets: set[str] = field(default_factory=set)
    _product_notifies: bool | None = None

    def payload(self, size_kb: int) -> Payload:
        if size_kb not in self._payloads:
            self._payloads[size_kb] = payload(size_kb)
        return self._payloads[size_kb]

    def lecture_set(self, family: str, size_kb: int, count: int = MAX_CLIENTS) -> str:
        """The name of a set of `count` lectures of `size_kb` (created on first use; a family
        always has the same count).

        Families keep writers apart: `engine` lectures are only written through the product
        (pgbench, HTTP, psycopg, naive service all keep the hash chain), `bare` ones by the
        bare baseline.
        """
        name = f"{family}_{size_kb}kb"
        if name not in self._sets:
            print(f"  creating {count} lectures of {size_kb} KB ({name})", file=sys.stderr)
            self.db.create_slots(name, count, self.payload(size_kb))
            self._sets.add(name)
        return name

    def product_notifies(self) -> bool:
        """Does a product save send a notification on the product's channel (asked once)?"""
        if self._product_notifies is None:
            lecture, revision = self.db.slots(self.lecture_set("engine", 2))[0]
            self._product_notifies = self.db.save_notifies(
                lecture, revision, self.payload(2).for_revision(revision)
            )
        return self._product_notifies

    def counted(self, set_name: str, clients: int, measure: Measure) -> Measure:
        """`measure`, checked: the lectures moved by at least as many revisions as it counted
        saves (a save that changes nothing writes no revision and must not be counted)."""

        async def checked(seconds: float) -> Sample:
            before = self.db.slots(set_name)[:clients]
            sample = await measure(seconds)
            self.db.settle()
            after = self.db.slots(set_name)[:clients]
            written = sum(a[1] - b[1] for a, b in zip(after, before, strict=True))
            saves = sample.extra.get("saves", 0.0)
            if written < saves:
                raise BenchError(
                    f"{set_name}: {saves:.0f} saves counted, {written} revisions written"
                )
            return replace(sample, extra={**sample.extra, "revisions": float(written)})

        return checked
