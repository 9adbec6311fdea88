// A lecture's sections as an editor holds them: their names (one list, checked against the
// generated types), the value of each, and values frozen so that nobody mutates the session's.

import type { JsonValue, LectureSnapshot, SectionName } from "../types.js";

/** Each section, and whether it is a list: the type checks that every section of the API is
 * here, and that `array` is said exactly of the list sections (tests/typescript compares the
 * names, in order, with Python's SECTION_NAMES and ARRAY_SECTIONS). */
const SECTIONS = {
  title: "value",
  summary: "value",
  script: "value",
  images: "array",
  videos: "array",
  narration: "array",
  music: "array",
  effects: "array",
  timeline: "value",
} as const satisfies {
  readonly [K in SectionName]-?: NonNullable<LectureSnapshot[K]> extends readonly unknown[]
    ? "array"
    : "value";
};

/** The lecture's sections, in the order the server stores them. */
export const SECTION_NAMES = Object.keys(SECTIONS) as readonly SectionName[];

/** The sections that are lists (never null: an absent one is `[]`). */
export type ArraySection = {
  [K in SectionName]: (typeof SECTIONS)[K] extends "array" ? K : never;
}[SectionName];
export const ARRAY_SECTIONS: ReadonlySet<SectionName> = new Set(
  SECTION_NAMES.filter((name) => SECTIONS[name] === "array"),
);

type Optional<K extends SectionName> =
  Record<never, never> extends Pick<LectureSnapshot, K> ? null : never;
/** Each section's value as an editor sees it: a list section is a list, an optional one may be
 * null, the title is always a string. */
export type SectionValues = {
  [K in SectionName]: K extends ArraySection
    ? NonNullable<LectureSnapshot[K]>
    : NonNullable<LectureSnapshot[K]> | Optional<K>;
};

/** `T` deeply read-only: what the session hands out is frozen (`update()` edits a copy). */
export type Frozen<T> = T extends readonly (infer U)[]
  ? readonly Frozen<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Frozen<T[K]> }
    : T;

/** Values frozen here, all the way down: shared as they are, never copied again. */
const FROZEN = new WeakSet<object>();

export function isSection(name: string): name is SectionName {
  return Object.hasOwn(SECTIONS, name);
}

/** A deeply frozen copy of `value` (parts frozen here already are shared); TypeError when JSON
 * cannot carry it: undefined (an object's key whose value is undefined is left out, as
 * JSON.stringify does), NaN or Infinity, a bigint, a function, a symbol, an object that is not
 * a plain one (a Date, a Map, a class instance) or a cycle. `at` names the value in the error. */
export function frozenJson(value: unknown, at: string): JsonValue {
  return freeze(value, at, new Set());
}

function freeze(value: unknown, at: string, path: Set<object>): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new TypeError(`${at} is not JSON: ${String(value)}`);
  }
  if (typeof value !== "object") throw new TypeError(`${at} is not JSON: a ${typeof value}`);
  if (FROZEN.has(value)) return value as JsonValue;
  if (path.has(value)) throw new TypeError(`${at} is not JSON: it contains itself`);
  path.add(value);
  let copy: JsonValue;
  if (Array.isArray(value)) {
    copy = Array.from(value, (item, index) => freeze(item, `${at}[${index}]`, path));
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
      throw new TypeError(`${at} is not JSON: a ${kind}`);
    }
    const fields: Record<string, JsonValue> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) fields[key] = freeze(item, `${at}.${key}`, path);
    }
    copy = fields;
  }
  path.delete(value);
  FROZEN.add(Object.freeze(copy));
  return copy;
}
