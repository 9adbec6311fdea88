// A lecture's event stream as an async iterator that reconnects after a drop and resumes with
// Last-Event-ID, so the server replays exactly the events missed. Read with fetch and a
// ReadableStream: EventSource cannot send an Authorization header.

import { type LectureEvent, lectureEvent } from "./event-types.js";
import { problemError, ServiceUnavailable, TransportError } from "./errors.js";
import { SseParser } from "./sse.js";
import { follow, sleep, type Transport } from "./transport.js";

export const MAX_BACKOFF_MS = 30_000;

/** Where a stream's connection stands: `connecting` (the first connection is not made yet),
 * `open`, `reconnecting` (it dropped, or the server ended it: connecting again) or `closed`
 * (closed, or ended by an error no reconnect can mend: a 401, a 404). */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface EventsOptions {
  /** Resume after this position (an event's `id`): the server replays what came after it. */
  readonly lastEventId?: string | null | undefined;
  /** Aborting it closes the stream: the iteration ends. */
  readonly signal?: AbortSignal | undefined;
  /** Connect again after a drop, a server `disconnect` or a 503 (true by default); false ends
   * the iteration when the connection ends, and throws when it cannot connect. */
  readonly reconnect?: boolean | undefined;
  /** Failed attempts in a row before the error is thrown (null, the default: no limit). */
  readonly maxRetries?: number | null | undefined;
  /** The first wait before connecting again, doubling to 30 s (1 s by default; a `retry:` the
   * server sends replaces it). */
  readonly reconnectDelayMs?: number | undefined;
  /** A connection silent this long is dead: it is dropped and made again (60 s by default;
   * the server sends a heartbeat every 15 s). */
  readonly idleTimeoutMs?: number | undefined;
  /** Told each change of the connection's state (a failure of its own is ignored). */
  readonly onConnection?: ((state: ConnectionState) => void) | undefined;
}

/** `for await (const event of client.events(lectureId))`; `close()` (or `break`) ends it. */
export class EventStream implements AsyncIterableIterator<LectureEvent> {
  private readonly parser: SseParser;
  private readonly queue: LectureEvent[] = [];
  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  private connection: AbortController | null = null;
  private decoder = new TextDecoder();
  private failures = 0;
  private received = 0; // events on the current connection
  private closed = false;
  private connectionNow: ConnectionState = "connecting";
  private readonly closing = new AbortController();
  private readonly unlink: () => void;

  constructor(
    private readonly transport: Transport,
    private readonly path: string,
    private readonly options: EventsOptions = {},
  ) {
    this.parser = new SseParser(options.lastEventId ?? null);
    this.closing.signal.addEventListener("abort", () => {
      this.close();
    });
    this.unlink = follow(options.signal, this.closing);
  }

  /** The id of the last event received: where a reconnect (or a later stream) resumes. */
  get lastEventId(): string | null {
    return this.parser.lastEventId;
  }

  /** Whether a connection is open now. */
  get connected(): boolean {
    return this.reader !== null;
  }

  /** Where the connection stands (`onConnection` is told each change). */
  get connectionState(): ConnectionState {
    return this.connectionNow;
  }

  /** Connect now (iterating connects by itself): events committed after this are seen. */
  async open(): Promise<void> {
    while (this.reader === null && !this.closed) {
      try {
        await this.connect();
      } catch (error) {
        if (this.closed) return;
        await this.waitAfter(error);
      }
    }
  }

  async next(): Promise<IteratorResult<LectureEvent, undefined>> {
    while (!this.closed) {
      const queued = this.queue.shift();
      if (queued !== undefined) return { value: queued, done: false };
      await this.open();
      const reader = this.reader;
      if (reader === null) break;
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await this.read(reader);
      } catch (error) {
        if (this.closed) break;
        this.drop();
        this.moveTo("reconnecting");
        await this.waitAfter(new TransportError(`event stream ${this.path}: ${String(error)}`));
        continue;
      }
      if (chunk.done) {
        this.drop();
        if (this.options.reconnect === false) break;
        this.moveTo("reconnecting");
        // Ended at once (a proxy, a stopping server): no reconnecting in a tight loop.
        if (this.received === 0) await this.waitAfter(new TransportError("stream ended at once"));
        continue;
      }
      const events = this.parser.push(this.decoder.decode(chunk.value, { stream: true }));
      this.received += events.length;
      if (events.length > 0) this.failures = 0;
      this.queue.push(...events.map(lectureEvent));
    }
    this.close();
    return { value: undefined, done: true };
  }

  /** Close the connection; the iteration ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
    this.unlink();
    this.closing.abort();
    this.moveTo("closed");
  }

  return(): Promise<IteratorResult<LectureEvent, undefined>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async connect(): Promise<void> {
    const connection = new AbortController();
    this.connection = connection;
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (this.lastEventId !== null) headers["Last-Event-ID"] = this.lastEventId;
    const url = this.transport.url(this.path);
    const response = await this.transport.authorized(url, { headers }, connection.signal);
    if (response.status !== 200 || response.body === null) {
      throw problemError(response, await response.text(), this.path);
    }
    this.parser.reset();
    this.decoder = new TextDecoder();
    this.received = 0;
    this.reader = response.body.getReader();
    this.moveTo("open");
  }

  private moveTo(state: ConnectionState): void {
    if (state === this.connectionNow) return;
    this.connectionNow = state;
    try {
      this.options.onConnection?.(state);
    } catch {
      // the callback's failure is its own: the stream goes on
    }
  }

  /** The next chunk, or a rejection when the connection stays silent past the idle timeout. */
  private async read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
  ): Promise<ReadableStreamReadResult<Uint8Array>> {
    const idle = this.options.idleTimeoutMs ?? 60_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const silence = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new Error(`no data for ${idle} ms`));
      }, idle);
    });
    try {
      return await Promise.race([reader.read(), silence]);
    } finally {
      clearTimeout(timer);
    }
  }

  private drop(): void {
    this.connection?.abort();
    this.reader?.cancel().catch(() => undefined);
    this.connection = null;
    this.reader = null;
  }

  /** Wait before the next attempt after `error`, or throw it: out of attempts, not
   * reconnecting, or not something a later attempt can mend (a 401, a 404). */
  private async waitAfter(error: unknown): Promise<void> {
    this.failures += 1;
    const retriable = error instanceof TransportError || error instanceof ServiceUnavailable;
    const limit = this.options.maxRetries ?? null;
    if (
      !retriable ||
      this.options.reconnect === false ||
      (limit !== null && this.failures > limit)
    ) {
      this.close();
      throw error;
    }
    const base = this.parser.retryMs ?? this.options.reconnectDelayMs ?? 1_000;
    const hinted = error instanceof ServiceUnavailable ? (error.retryAfter ?? 0) * 1000 : 0;
    const delay = Math.min(Math.max(base * 2 ** (this.failures - 1), hinted), MAX_BACKOFF_MS);
    try {
      await sleep(delay, this.closing.signal);
    } catch {
      // closed while waiting
    }
  }
}
