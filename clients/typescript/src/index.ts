// @tutopanda/client: a typed client of the Tutopanda lecture store's HTTP API (README.md).

export { type Answer, type Call, call, etag, type HttpMethod, type Template } from "./call.js";
export {
  type ClientOptions,
  type PageOptions,
  type ReadOptions,
  TutopandaClient,
  type WriteOptions,
} from "./client.js";
export * from "./errors.js";
export * from "./event-types.js";
export {
  ARRAY_SECTIONS,
  type ArraySection,
  type Frozen,
  SECTION_NAMES,
  type SectionValues,
} from "./editor/content.js";
export { DEFAULT_DEBOUNCE_MS, type EditorSessionOptions, RETRY_MS } from "./editor/options.js";
export { EditorSession } from "./editor/session.js";
export type { RemoteReport, RemoteRevision } from "./editor/remote.js";
export type {
  ConflictPolicy,
  ConflictReport,
  SavePhase,
  SaveStatus,
  SessionStatus,
  Warn,
} from "./editor/status.js";
export { type ConnectionState, EventStream, type EventsOptions } from "./events.js";
export { type RawEvent, SseParser } from "./sse.js";
export {
  DEFAULT_RETRY,
  newIdempotencyKey,
  type RequestOptions,
  type RetryPolicy,
  type TokenRequest,
  type TokenSource,
  Transport,
  type TransportOptions,
} from "./transport.js";
export type * from "./types.js";
export { STOPPED, type WaitOptions, waitForRun } from "./waiting.js";
