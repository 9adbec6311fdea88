// An incremental Server-Sent Events parser (the WHATWG rules a stream of this API needs), without
// I/O: fed decoded text as it arrives, in chunks cut anywhere.

/** One event as sent: its name ("message" when unnamed), its id, its data lines joined. */
export interface RawEvent {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

export class SseParser {
  /** The last `id:` received: what a reconnect sends as Last-Event-ID. */
  lastEventId: string | null;
  /** The reconnection delay the server asked for (`retry:`), in milliseconds, or null. */
  retryMs: number | null = null;
  private buffer = "";
  private afterCarriageReturn = false;
  private event = "";
  private data: string[] = [];
  private id: string | null = null;

  constructor(lastEventId: string | null = null) {
    this.lastEventId = lastEventId;
  }

  /** The events completed by `chunk` (a line ends with CRLF, LF or CR; an event, with a blank
   * line). Comments (`: heartbeat`) are skipped. */
  push(chunk: string): RawEvent[] {
    let text = chunk;
    if (this.afterCarriageReturn && text.startsWith("\n")) text = text.slice(1);
    this.afterCarriageReturn = text.endsWith("\r");
    const lines = (this.buffer + text).split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? "";
    const events: RawEvent[] = [];
    for (const line of lines) {
      const event = this.line(line);
      if (event !== null) events.push(event);
    }
    return events;
  }

  /** Forget a partial event (the connection dropped in the middle of it). */
  reset(): void {
    this.buffer = "";
    this.afterCarriageReturn = false;
    this.event = "";
    this.data = [];
    this.id = null;
  }

  private line(line: string): RawEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") this.data.push(value);
    else if (name === "event") this.event = value;
    else if (name === "id" && !value.includes("\0")) this.id = value;
    else if (name === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return null;
  }

  private dispatch(): RawEvent | null {
    if (this.id !== null) this.lastEventId = this.id;
    const { event, data, id } = this;
    this.event = "";
    this.data = [];
    this.id = null;
    if (data.length === 0 && event === "") return null;
    return { event: event || "message", id: id ?? this.lastEventId, data: data.join("\n") };
  }
}
