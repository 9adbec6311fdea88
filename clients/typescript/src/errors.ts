// The API's problem+json answers (RFC 9457) as typed errors, one class per stable `code`; and
// the client's own errors (no answer, an answer of the wrong shape, a run still going).

import type { FieldError, LectureSnapshot, MergeConflict, Problem } from "./types.js";

/** Base of everything the client throws (an abort by the caller's signal excepted). */
export class ClientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request got no HTTP answer: connection refused or dropped, a timeout, a DNS failure.
 * A write may or may not have happened: send it again with the same Idempotency-Key. */
export class TransportError extends ClientError {}

/** A success answer whose body is not what the API documents (not JSON). */
export class UnexpectedResponse extends ClientError {
  readonly status: number;
  readonly body: string;

  constructor(message: string, answer: { status: number; body: string }) {
    super(message);
    this.status = answer.status;
    this.body = answer.body;
  }
}

/** `waitForRun` gave up: the run had not reached a wanted status in time. */
export class RunTimeout extends ClientError {
  readonly runId: string;
  readonly status: string;

  constructor(runId: string, status: string) {
    super(`run ${runId} is still ${status}`);
    this.runId = runId;
    this.status = status;
  }
}

/** An HTTP error answer. `problem` is the body as received, or one made from whatever a proxy
 * answered instead (`problemJson` false: an HTML 502, a text 429). `code` is the API's stable
 * machine-readable code (`http_<status>` when the body had none); `requestId` is what the
 * server's logs quote; `retryAfter` the seconds `Retry-After` asks to wait, or null. */
export class ProblemError extends ClientError {
  static readonly codes: readonly string[] = [];
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string;
  readonly retryAfter: number | null;
  readonly problemJson: boolean;
  readonly headers: Headers;

  constructor(status: number, problem: Problem, headers: Headers, problemJson = true) {
    const code = typeof problem.code === "string" && problem.code ? problem.code : `http_${status}`;
    super(`${status} ${code}: ${problem.detail || problem.title || "no detail"}`);
    this.status = status;
    this.code = code;
    this.problem = problem;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId =
      problem.requestId !== "" ? problem.requestId : (headers.get("x-request-id") ?? "");
    this.retryAfter = retryAfterSeconds(headers.get("retry-after"));
    this.problemJson = problemJson;
    this.headers = headers;
  }
}

function retryAfterSeconds(value: string | null): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value); // the other form: an HTTP date
  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1000);
}

/** 400 `bad_request`: the body is not JSON a lecture can hold (malformed, a repeated key, NUL…). */
export class BadRequest extends ProblemError {
  static override readonly codes = ["bad_request"];
}
/** 401 `unauthorized`: no bearer token, or one that is invalid or expired. */
export class Unauthorized extends ProblemError {
  static override readonly codes = ["unauthorized"];
}
/** 403 `forbidden`: a member whose role does not allow the request. */
export class Forbidden extends ProblemError {
  static override readonly codes = ["forbidden"];
}
/** 404 `not_found`: missing, or not shared with the caller (the API does not tell them apart). */
export class NotFound extends ProblemError {
  static override readonly codes = ["not_found"];
}
/** 405 `method_not_allowed`. */
export class MethodNotAllowed extends ProblemError {
  static override readonly codes = ["method_not_allowed"];
}
/** 406 `not_acceptable`. */
export class NotAcceptable extends ProblemError {
  static override readonly codes = ["not_acceptable"];
}
/** 408 `request_timeout`: the request's headers did not arrive in time. */
export class RequestTimeout extends ProblemError {
  static override readonly codes = ["request_timeout"];
}
/** 409 `conflict`: a run already active or finished, a stale settings revision, an expired
 * review, a request still running with the same Idempotency-Key. */
export class Conflict extends ProblemError {
  static override readonly codes = ["conflict"];
}

/** 409 `revision_conflict`: a save or restore lost the race and nothing was written. `lecture`
 * is the latest snapshot, `draftId` the conflict draft keeping the refused sections,
 * `conflicts` the paths changed differently on both sides (after a merge). */
export class RevisionConflict extends Conflict {
  static override readonly codes = ["revision_conflict"];
  readonly lecture: LectureSnapshot | null;
  readonly draftId: number | null;
  readonly conflicts: readonly MergeConflict[];

  constructor(status: number, problem: Problem, headers: Headers, problemJson = true) {
    super(status, problem, headers, problemJson);
    this.lecture = problem.lecture ?? null;
    this.draftId = problem.draftId ?? null;
    this.conflicts = problem.conflicts ?? [];
  }

  /** The JSON pointers of the conflicting paths (empty for a plain stale base). */
  get pointers(): string[] {
    return this.conflicts.map((conflict) => conflict.pointer);
  }
}

/** 409 `last_owner`: the change would leave the project without an owner. */
export class LastOwner extends Conflict {
  static override readonly codes = ["last_owner"];
}
/** 412 `precondition_failed`: a precondition header did not hold. */
export class PreconditionFailed extends ProblemError {
  static override readonly codes = ["precondition_failed"];
}
/** 413 `payload_too_large`: the body is over the server's TUTOPANDA_MAX_BODY_BYTES. */
export class PayloadTooLarge extends ProblemError {
  static override readonly codes = ["payload_too_large"];
}
/** 415 `unsupported_media_type`. */
export class UnsupportedMediaType extends ProblemError {
  static override readonly codes = ["unsupported_media_type"];
}

/** 422 `validation_failed`: the request breaks a rule of the OpenAPI document; `errors` name
 * each field as sent (`payload.title`, `If-Match`, `from`). */
export class ValidationFailed extends ProblemError {
  static override readonly codes = ["validation_failed"];
  readonly errors: readonly FieldError[];

  constructor(status: number, problem: Problem, headers: Headers, problemJson = true) {
    super(status, problem, headers, problemJson);
    this.errors = problem.errors ?? [];
  }

  /** The names of the invalid fields. */
  get fields(): string[] {
    return this.errors.map((error) => error.field);
  }
}

/** 422 `idempotency_key_reused`: the key was sent before with another request; nothing was
 * done, and a new request needs a new key. */
export class IdempotencyKeyReused extends ValidationFailed {
  static override readonly codes = ["idempotency_key_reused"];
}
/** 429 `too_many_requests`: slow down for `retryAfter` seconds. */
export class TooManyRequests extends ProblemError {
  static override readonly codes = ["too_many_requests"];
}

/** 429 `quota_exceeded`: a per-user quota (`quota`, of size `limit`) is used up and nothing was
 * written; the same request may pass after `retryAfter` seconds. */
export class QuotaExceeded extends TooManyRequests {
  static override readonly codes = ["quota_exceeded"];
  readonly quota: Problem["quota"];
  readonly limit: number | null;

  constructor(status: number, problem: Problem, headers: Headers, problemJson = true) {
    super(status, problem, headers, problemJson);
    this.quota = problem.quota ?? null;
    this.limit = problem.limit ?? null;
  }
}

/** 431 `headers_too_large`: the request line and headers are over TUTOPANDA_MAX_HEADER_BYTES. */
export class HeadersTooLarge extends ProblemError {
  static override readonly codes = ["headers_too_large"];
}
/** 500 `internal_error` (quote `requestId`), or any other 5xx (a proxy's HTML page too). */
export class ServerError extends ProblemError {
  static override readonly codes = ["internal_error"];
}
/** 503 `database_unavailable`, and the base of every 503: retry after `retryAfter` seconds
 * (the client does, with the same Idempotency-Key, as its retry policy allows). */
export class ServiceUnavailable extends ProblemError {
  static override readonly codes = ["database_unavailable"];
}
/** 503 `deadline_exceeded`: the request's database work outlasted its deadline; nothing written. */
export class DeadlineExceeded extends ServiceUnavailable {
  static override readonly codes = ["deadline_exceeded"];
}
/** 503 `commit_unconfirmed`: committed, but no synchronous standby confirmed it: keep the change
 * as unsaved and send it again (same key). */
export class CommitUnconfirmed extends ServiceUnavailable {
  static override readonly codes = ["commit_unconfirmed"];
}
/** 503 `server_busy`: the API process has as many requests in flight as it takes. */
export class ServerBusy extends ServiceUnavailable {
  static override readonly codes = ["server_busy"];
}

type ProblemClass = new (
  status: number,
  problem: Problem,
  headers: Headers,
  problemJson?: boolean,
) => ProblemError;

/** Every problem class by the `code` it stands for. */
export const PROBLEM_CLASSES: Readonly<
  Record<string, ProblemClass & { codes: readonly string[] }>
> = Object.fromEntries(
  [
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    NotAcceptable,
    RequestTimeout,
    Conflict,
    RevisionConflict,
    LastOwner,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    IdempotencyKeyReused,
    TooManyRequests,
    QuotaExceeded,
    HeadersTooLarge,
    ServerError,
    ServiceUnavailable,
    DeadlineExceeded,
    CommitUnconfirmed,
    ServerBusy,
  ].flatMap((kind) => kind.codes.map((code) => [code, kind] as const)),
);

const BY_STATUS: Readonly<Record<number, ProblemClass>> = {
  400: BadRequest,
  401: Unauthorized,
  403: Forbidden,
  404: NotFound,
  405: MethodNotAllowed,
  406: NotAcceptable,
  408: RequestTimeout,
  409: Conflict,
  412: PreconditionFailed,
  413: PayloadTooLarge,
  415: UnsupportedMediaType,
  422: ValidationFailed,
  429: TooManyRequests,
  431: HeadersTooLarge,
  503: ServiceUnavailable,
};

/** The typed error of an error answer whose body is `text`: by `code`, else by status, else
 * ServerError (5xx) or ProblemError. A body that is no problem object (a proxy's page) is kept
 * as the problem's `detail`. */
export function problemError(response: Response, text: string, path: string): ProblemError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: made into a problem below
  }
  const problemJson = isProblem(body);
  const made: Problem = {
    type: "about:blank",
    title: response.statusText,
    status: response.status,
    detail: problemJson ? "" : text.slice(0, 500),
    code: `http_${response.status}`,
    instance: path,
    requestId: response.headers.get("x-request-id") ?? "",
  };
  // A problem's own fields win; one it lacks (a proxy's JSON) is made up, never undefined.
  const problem: Problem = isObject(body) ? { ...made, ...body } : made;
  const kind =
    PROBLEM_CLASSES[problem.code] ??
    BY_STATUS[response.status] ??
    (response.status >= 500 ? ServerError : ProblemError);
  return new kind(response.status, problem, response.headers, problemJson);
}

function isObject(body: unknown): body is Partial<Problem> {
  return typeof body === "object" && body !== null && !Array.isArray(body);
}

function isProblem(body: unknown): boolean {
  return isObject(body) && typeof body.code === "string" && body.code !== "";
}
