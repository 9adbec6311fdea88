// The editor store: the snapshot the editor last adopted (its base), the draft the user edits,
// and which sections are dirty. Sections are the lecture's top-level content keys.

export const SECTIONS = [
  'title', 'summary', 'script', 'images', 'videos', 'narration', 'music', 'effects', 'timeline',
];

const clone = (value) => (value === undefined ? undefined : structuredClone(value));

export class EditorStore extends EventTarget {
  constructor() {
    super();
    this.snapshot = null; // the base: what the server had at `revision`
    this.draft = null; // the base plus local edits
    this.dirty = new Set();
    this.versions = new Map(); // section -> edit counter (edits made while a save is in flight)
  }

  get revision() {
    return this.snapshot?.revision ?? null;
  }

  get isDirty() {
    return this.dirty.size > 0;
  }

  /** Take a server snapshot as the new base; local edits are dropped (callers check dirty). */
  adopt(snapshot) {
    this.snapshot = clone(snapshot);
    this.draft = clone(snapshot);
    this.dirty.clear();
    this.dispatchEvent(new CustomEvent('adopted'));
    this.dispatchEvent(new CustomEvent('change'));
  }

  /** Change one section of the draft: `change(value)` edits it in place or returns a new one. */
  edit(section, change) {
    if (!SECTIONS.includes(section)) throw new Error(`unknown section ${section}`);
    const replaced = change(this.draft[section]);
    if (replaced !== undefined) this.draft[section] = replaced;
    this.dirty.add(section);
    this.versions.set(section, (this.versions.get(section) ?? 0) + 1);
    this.dispatchEvent(new CustomEvent('change'));
    this.dispatchEvent(new CustomEvent('edited', { detail: { section } }));
  }

  /** What a save sends: the dirty sections and the edit counters they were taken at. */
  pending() {
    const payload = {};
    const versions = {};
    for (const section of this.dirty) {
      payload[section] = clone(this.draft[section]);
      versions[section] = this.versions.get(section) ?? 0;
    }
    return { payload, versions, baseRevision: this.revision };
  }

  /** Sections not edited again since `versions` was taken. */
  unchangedSince(versions) {
    return Object.keys(versions).filter((s) => (this.versions.get(s) ?? 0) === versions[s]);
  }

  /**
   * A save went through without a merge: the server holds what was sent at `revision`.
   * Sections edited again meanwhile stay dirty (their base is what was sent).
   */
  savedAsSent(sent, revision, updatedAt) {
    for (const [section, value] of Object.entries(sent.payload)) this.snapshot[section] = value;
    this.snapshot.revision = revision;
    this.snapshot.updatedAt = updatedAt;
    for (const section of this.unchangedSince(sent.versions)) this.dirty.delete(section);
    this.dispatchEvent(new CustomEvent('change'));
  }

  /** Replace the draft (and dirty flags) after rebasing local edits onto `latest`. */
  rebase(latest, draft) {
    this.snapshot = clone(latest);
    this.draft = draft;
    this.dispatchEvent(new CustomEvent('adopted'));
    this.dispatchEvent(new CustomEvent('change'));
  }
}
