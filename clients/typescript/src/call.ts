// One request of the API as data, typed by the OpenAPI document: what to send, which statuses
// answer it, and how to read the answer. Building a call does no I/O (the transport sends it).

import { UnexpectedResponse } from "./errors.js";
import type { paths } from "./generated/openapi.js";

/** An operation's path as the OpenAPI document writes it: "/lectures/{lecture_id}". */
export type Template = keyof paths;
type Verb = "get" | "post" | "put" | "patch" | "delete";
export type HttpMethod = Uppercase<Verb>;

/** The verbs `template` answers in the document. */
export type VerbOf<P extends Template> = {
  [V in Verb]: [NonNullable<paths[P][V]>] extends [never] ? never : V;
}[Verb];
type Operation<P extends Template, V extends Verb> = NonNullable<paths[P][V]>;

type PathParameters<O> = O extends { parameters: { path: infer X } } ? X : Record<string, never>;
type QueryParameters<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type HeaderParameters<O> = O extends { parameters: { header?: infer H } }
  ? Omit<NonNullable<H>, "Idempotency-Key"> // the transport sets it
  : never;
type JsonBody<O> = O extends { requestBody?: { content: { "application/json": infer B } } }
  ? B
  : never;
/** What a success status of an operation carries: its JSON, or undefined for no content. */
export type Answer<O, S extends number> = O extends {
  responses: Record<S, { content: { "application/json": infer B } }>;
}
  ? B
  : O extends { responses: Record<S, { content?: never }> }
    ? undefined
    : never;

/** A request and the reader of its answer: `ok` lists the statuses `read` takes (others are
 * problems). A write (POST, PUT, PATCH, DELETE) is sent with an Idempotency-Key. */
export interface Call<T> {
  readonly method: HttpMethod;
  /** The operation's path in the OpenAPI document (`path` is it with the values filled in). */
  readonly template: Template;
  readonly path: string;
  readonly query: Readonly<Record<string, string | number>>;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body; undefined sends none. */
  readonly body: unknown;
  readonly ok: readonly number[];
  readonly read: (response: Response) => Promise<T>;
}

export const WRITE_METHODS: ReadonlySet<HttpMethod> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface Parts<O, S extends number, T> {
  path: PathParameters<O>;
  query?: QueryParameters<O>;
  headers?: HeaderParameters<O>;
  body?: JsonBody<O>;
  /** The success statuses, the first one typing the answer (200 when left out). */
  ok?: readonly [S, ...number[]];
  read?: (response: Response) => Promise<T>;
}

/** The call of the document's operation `verb template`, its answer typed by the document. */
export function call<
  P extends Template,
  V extends VerbOf<P>,
  S extends number = 200,
  T = Answer<Operation<P, V>, S>,
>(
  verb: V,
  template: P,
  // A status the operation does not document types the answer `never`: refused here.
  parts: Parts<Operation<P, V>, S, T> &
    ([T] extends [never] ? { ok: "not a documented status" } : unknown),
): Call<T> {
  const path = fill(template, parts.path);
  const query: Record<string, string | number> = {};
  const given: Record<string, string | number | undefined> = parts.query ?? {};
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined) query[name] = value;
  }
  return {
    method: verb.toUpperCase() as HttpMethod,
    template,
    path,
    query,
    headers: parts.headers ?? {},
    body: parts.body,
    ok: parts.ok ?? [200],
    read: parts.read ?? (readAnswer as (response: Response) => Promise<T>),
  };
}

/** `template` with its `{name}`s replaced by their values, each encoded as one path segment. */
export function fill(
  template: Template,
  values: Readonly<Record<string, string | number>>,
): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}

/** The JSON of a success answer (undefined for a 204), or UnexpectedResponse. */
export async function readAnswer(response: Response): Promise<unknown> {
  const text = await response.text();
  if (response.status === 204 || (text === "" && response.status === 304)) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UnexpectedResponse(`${response.status} answer is not JSON: ${text.slice(0, 200)}`, {
      status: response.status,
      body: text,
    });
  }
}

/** A revision as the API writes it in ETag, for If-Match and If-None-Match: `"5"`. */
export function etag(revision: number): string {
  return `"${revision}"`;
}

/** `values` without its undefined entries (the API refuses a field sent as null). */
export function defined<T extends object>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
