// Sending calls: the bearer token (asked again once after a 401), an Idempotency-Key on every
// write, kept across the retries of a dropped connection or a 503, and problems as typed errors.

import { type Call, WRITE_METHODS } from "./call.js";
import { ProblemError, problemError, ServiceUnavailable, TransportError } from "./errors.js";

/** What a token function is asked: `refresh` is true when the API refused the last token (a
 * 401), so a cached one will not do. */
export interface TokenRequest {
  readonly refresh: boolean;
}
/** A bearer token, or a function asked for one before every request (the app's identity
 * provider: it may cache and refresh its tokens). */
export type TokenSource = string | ((request: TokenRequest) => string | Promise<string>);

/** How often a request that got no answer, or a 503, is sent again (with the same
 * Idempotency-Key): `retries` times more, after `delayMs` doubling each time, or the server's
 * Retry-After, never more than `maxDelayMs`. */
export interface RetryPolicy {
  readonly retries: number;
  readonly delayMs: number;
  readonly maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { retries: 2, delayMs: 250, maxDelayMs: 5_000 };

export interface TransportOptions {
  /** The API's URL: "https://api.example.com" (a path prefix is kept: "…/tutopanda"). */
  readonly baseUrl: string;
  readonly token: TokenSource;
  /** The fetch to use (a test double, an instrumented one); the global fetch by default. */
  readonly fetch?: typeof fetch | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** A request without an answer after this long is a TransportError (30 s by default). */
  readonly timeoutMs?: number | undefined;
}

/** Options of one call. */
export interface RequestOptions {
  /** Abort the call: it rejects with the signal's reason, and is not retried. */
  readonly signal?: AbortSignal | undefined;
  /** A write's Idempotency-Key: the same key sends the same write again (a fresh one when left
   * out; newIdempotencyKey() makes one). */
  readonly idempotencyKey?: string | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** A key for one logical write (a random UUID): sent again with it, the write is not redone. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export class Transport {
  readonly baseUrl: string;
  private readonly token: TokenSource;
  private readonly fetcher: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Send a call; its answer, or the typed error of the problem (TransportError: no answer). */
  async send<T>(call: Call<T>, options: RequestOptions = {}): Promise<T> {
    const policy = { ...this.retry, ...options.retry };
    const headers: Record<string, string> = { Accept: "application/json", ...call.headers };
    if (WRITE_METHODS.has(call.method)) {
      headers["Idempotency-Key"] = options.idempotencyKey ?? newIdempotencyKey();
    }
    if (call.body !== undefined) headers["Content-Type"] = "application/json";
    const init = { method: call.method, headers, body: jsonBody(call.body) };
    const url = this.url(call.path, call.query);
    for (let attempt = 0; ; attempt += 1) {
      let failure: TransportError | ProblemError;
      try {
        const response = await this.authorized(url, init, options.signal);
        if (call.ok.includes(response.status)) return await call.read(response);
        failure = problemError(response, await response.text(), call.path);
      } catch (error) {
        if (!(error instanceof TransportError)) throw error;
        failure = error;
      }
      const retriable = failure instanceof TransportError || failure instanceof ServiceUnavailable;
      if (!retriable || attempt >= policy.retries) throw failure;
      await sleep(retryDelay(policy, attempt, failure), options.signal);
    }
  }

  /** The response of one request with the bearer token; after a 401, when the token is a
   * function, it is asked for a fresh one and the request is sent once more. */
  async authorized(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const headers = new Headers(init.headers);
    const attempt = async (refresh: boolean): Promise<Response> => {
      headers.set("Authorization", `Bearer ${await this.bearer(refresh)}`);
      return this.exchange(url, { ...init, headers }, signal);
    };
    const response = await attempt(false);
    if (response.status !== 401 || typeof this.token === "string") return response;
    await response.body?.cancel();
    return attempt(true);
  }

  /** `path` (with its query) under the base URL. */
  url(path: string, query: Readonly<Record<string, string | number>> = {}): string {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) search.set(name, String(value));
    const text = search.toString();
    return `${this.baseUrl}${path}${text ? `?${text}` : ""}`;
  }

  private async bearer(refresh: boolean): Promise<string> {
    return typeof this.token === "string" ? this.token : await this.token({ refresh });
  }

  /** fetch, with a timeout until the answer's headers; no answer is a TransportError. The
   * caller's abort rejects with its reason, and also ends the reading of the answer's body. */
  private async exchange(url: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const unlink = follow(signal, controller);
    try {
      return await this.fetcher(url, { ...init, signal: controller.signal, cache: "no-store" });
    } catch (error) {
      unlink();
      signal?.throwIfAborted();
      const reason = timedOut ? `no answer in ${this.timeoutMs} ms` : describe(error);
      throw new TransportError(`${init.method ?? "GET"} ${url}: ${reason}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A fetch failure in words: Node's "fetch failed" says why in its cause. */
function describe(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return String(cause instanceof Error ? cause.message : error);
}

function jsonBody(body: unknown): string | null {
  return body === undefined ? null : JSON.stringify(body);
}

function retryDelay(policy: RetryPolicy, attempt: number, failure: Error): number {
  const hinted = failure instanceof ProblemError ? failure.retryAfter : null;
  const delay = hinted === null ? policy.delayMs * 2 ** attempt : hinted * 1000;
  return Math.min(delay, policy.maxDelayMs);
}

/** Abort `controller` when `signal` aborts; the function returned stops following it. */
export function follow(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (signal === undefined) return () => undefined;
  const abort = (): void => {
    controller.abort(signal.reason);
  };
  if (signal.aborted) abort();
  signal.addEventListener("abort", abort, { once: true });
  return () => {
    signal.removeEventListener("abort", abort);
  };
}

/** Wait `ms`; rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const done = (): void => {
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}
