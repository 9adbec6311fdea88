// The local copy of a lecture: the server snapshot it is based on, and the edits on top.
//
// Edits move through layers: `pending` (dirty, waiting for the debounce) → `inflight` (in the
// save being sent) → back to the snapshot (saved on its base), or `applied` (saved by a merge
// onto a newer revision: the base snapshot has not caught up yet), or `held` (refused in a
// conflict, kept locally until resolved). The view is the snapshot with the layers on top,
// newest first. The base revision only moves when the snapshot is exactly the server's content
// at it, so an edit is always sent on the revision it was made on. Every value is frozen.

import type { JsonValue, LectureSnapshot, SectionName } from "../types.js";
import {
  ARRAY_SECTIONS,
  type Frozen,
  frozenJson,
  isSection,
  SECTION_NAMES,
  type SectionValues,
} from "./content.js";

/** Sections by name, each value frozen. */
export type Layer = Map<SectionName, JsonValue>;

const EMPTY = Object.freeze([]) as unknown as JsonValue;

/** Sections as an object (the body of a save, a report): frozen. */
export function sectionsOf(
  layer: ReadonlyMap<SectionName, JsonValue>,
): Frozen<Partial<SectionValues>> {
  return Object.freeze(Object.fromEntries(layer));
}

export class EditBuffer {
  snapshot: Frozen<LectureSnapshot>;
  pending: Layer = new Map();
  inflight: Layer = new Map();
  applied: Layer = new Map();
  held: Layer = new Map();
  /** How many edits ever: tells a pull whether the user typed while it was fetched. */
  edits = 0;
  private view: Frozen<SectionValues> | null = null;

  constructor(snapshot: LectureSnapshot) {
    this.snapshot = frozenSnapshot(snapshot);
  }

  get baseRevision(): number {
    return this.snapshot.revision;
  }

  /** No edit waiting, being sent or held: the snapshot may be replaced by a newer one. */
  get clean(): boolean {
    return this.pending.size === 0 && this.inflight.size === 0 && this.held.size === 0;
  }

  /** The section as the user sees it (frozen). */
  value(section: SectionName): JsonValue {
    for (const layer of [this.pending, this.inflight, this.held, this.applied]) {
      const value = layer.get(section);
      if (value !== undefined) return value;
    }
    const value = (this.snapshot as unknown as Partial<Record<string, JsonValue>>)[section];
    if ((value === undefined || value === null) && ARRAY_SECTIONS.has(section)) return EMPTY;
    return value ?? null;
  }

  /** Every section as the user sees it: one frozen object until the next change. */
  content(): Frozen<SectionValues> {
    this.view ??= Object.freeze(
      Object.fromEntries(SECTION_NAMES.map((name) => [name, this.value(name)])),
    ) as unknown as Frozen<SectionValues>;
    return this.view;
  }

  /** Replace a section with a frozen copy of `value`: RangeError for an unknown section,
   * TypeError for a value JSON cannot carry (the server validates the rest, and answers 422
   * naming the field). */
  edit(section: string, value: unknown): void {
    if (!isSection(section)) {
      throw new RangeError(`unknown section "${section}"; one of ${SECTION_NAMES.join(", ")}`);
    }
    const frozen = frozenJson(value, `section "${section}"`);
    this.pending.set(section, frozen);
    this.held.delete(section); // edited again: it is a normal edit once more
    this.edits += 1;
    this.changed();
  }

  /** Move the dirty sections into the save about to be sent. */
  take(): Layer {
    this.inflight = this.pending;
    this.pending = new Map();
    this.changed();
    return new Map(this.inflight);
  }

  /** The save went through on the base itself: the snapshot is base + sent sections. */
  savedOnBase(revision: number, updatedAt: string): void {
    this.snapshot = frozenSnapshot({
      ...(this.snapshot as LectureSnapshot),
      ...Object.fromEntries(this.inflight),
      revision,
      updatedAt,
    });
    this.inflight = new Map();
    this.changed();
  }

  /** The save was merged onto (or forced over) a newer revision than the base. */
  savedElsewhere(): void {
    for (const [section, value] of this.inflight) this.applied.set(section, value);
    this.inflight = new Map();
    this.changed();
  }

  /** The save did not happen: its sections are dirty again (newer edits win). */
  failed(): void {
    this.pending = new Map([...this.inflight, ...this.pending]);
    this.inflight = new Map();
    this.changed();
  }

  /** The save was refused as a conflict: keep its sections, but do not resend them. */
  hold(): void {
    for (const [section, value] of this.inflight) {
      if (!this.pending.has(section)) this.held.set(section, value);
    }
    this.inflight = new Map();
    this.changed();
  }

  /** The save was refused and the server's version wins: forget its sections. */
  drop(): Layer {
    const dropped = this.inflight;
    this.inflight = new Map();
    this.changed();
    return dropped;
  }

  releaseHeld(): Layer {
    const released = this.held;
    this.held = new Map();
    this.changed();
    return released;
  }

  /** A newer server snapshot (only while clean): it includes everything applied. */
  adopt(snapshot: LectureSnapshot): void {
    this.snapshot = frozenSnapshot(snapshot);
    this.applied = new Map();
    this.changed();
  }

  private changed(): void {
    this.view = null;
  }
}

function frozenSnapshot(snapshot: LectureSnapshot): Frozen<LectureSnapshot> {
  return frozenJson(snapshot, "the lecture") as unknown as Frozen<LectureSnapshot>;
}
