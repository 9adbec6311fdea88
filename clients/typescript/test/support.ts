// What the Node tests share: the servers tests/typescript/test_node_client.py started for them,
// tokens for users of their own, a recording fetch, a fake proxy and a TCP proxy that drops.

import { createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

import { TutopandaClient, type TransportOptions } from "@tutopanda/client";

function setting(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: run these tests through tests/typescript (pytest)`);
  }
  return value;
}

/** The API with its worker. */
export const BASE_URL = setting("TUTOPANDA_TEST_URL");
/** An API without a worker, on a database of its own: its runs stay queued. */
export const IDLE_URL = setting("TUTOPANDA_TEST_IDLE_URL");
/** An API without a worker (on IDLE_URL's database) that a test may stop and start again:
 * `control("stop")` returns once it has exited, `control("start")` once it is ready. */
export const RESTARTABLE_URL = setting("TUTOPANDA_TEST_RESTARTABLE_URL");
const CONTROL_URL = setting("TUTOPANDA_TEST_CONTROL_URL");
const SECRET = setting("TUTOPANDA_JWT_SECRET");

export async function control(action: "stop" | "start"): Promise<void> {
  const response = await fetch(`${CONTROL_URL}/${action}`, { method: "POST" });
  if (response.status !== 204) throw new Error(`control ${action}: ${response.status}`);
}

/** A user id no other test uses. */
export function newUser(name = "node"): string {
  return `${name}-${randomUUID().slice(0, 8)}`;
}

/** A development token (HS256, as `tutopanda token` makes) for `userId`, valid for
 * `seconds` from now (negative: already expired). */
export function tokenFor(userId: string, seconds = 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const segment = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString("base64url");
  const head = `${segment({ alg: "HS256", typ: "JWT" })}.${segment({ sub: userId, iat: now - 60, exp: now + seconds })}`;
  return `${head}.${createHmac("sha256", SECRET).update(head).digest("base64url")}`;
}

/** A client for a new user (or `userId`), of the server without a worker unless `options`
 * name another `baseUrl`: there a new lecture stays at revision 0, and nobody else writes. */
export function clientFor(
  userId = newUser(),
  options: Partial<TransportOptions> = {},
): TutopandaClient {
  return new TutopandaClient({ baseUrl: IDLE_URL, token: tokenFor(userId), ...options });
}

/** One request as fetch sent it, and the status it got (null: it threw). */
export interface Sent {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  status: number | null;
  replayed: boolean;
}

/** A fetch that records every request, and lets a test tamper with it: `before` may answer
 * instead of the server, `after` may throw away the server's answer. */
export function recordingFetch(
  hooks: {
    before?: (sent: Sent) => Response | undefined;
    after?: (sent: Sent, response: Response) => void;
  } = {},
): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const recording = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const entry: Sent = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      status: null,
      replayed: false,
    };
    sent.push(entry);
    const faked = hooks.before?.(entry);
    if (faked !== undefined) {
      entry.status = faked.status;
      return faked;
    }
    const response = await fetch(input, init);
    entry.status = response.status;
    entry.replayed = response.headers.get("idempotent-replayed") === "true";
    hooks.after?.(entry, response);
    return response;
  };
  return { fetch: recording, sent };
}

/** An HTTP server on a loopback port answering with `handle`, until `close()`. */
export async function fakeServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A TCP proxy to `target` (a base URL): `drop()` cuts every connection open through it;
 * `holdAnswers(match)` keeps from the client the answer to the next request whose head
 * `match` accepts (the server got it and answered; the client waits) and resolves when that
 * answer arrives. A connection whose other side ends or fails is ended on both sides. */
export async function tcpProxy(target: string): Promise<{
  url: string;
  drop: () => void;
  holdAnswers: (match: (head: string) => boolean) => Promise<void>;
  close: () => Promise<void>;
}> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let hold: { match: (head: string) => boolean; held: () => void } | null = null;
  const server = createTcpServer((client) => {
    const upstream = connect(Number(port), hostname);
    let held: (() => void) | null = null; // this connection's answer is kept from the client
    for (const [socket, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("end", () => other.end());
      socket.on("close", () => {
        sockets.delete(socket);
        other.destroy();
      });
    }
    client.on("data", (chunk: Buffer) => {
      if (hold?.match(chunk.toString("latin1", 0, 200)) === true) {
        held = hold.held;
        hold = null;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      if (held === null) client.write(chunk);
      else held();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port: own } = server.address() as AddressInfo;
  const drop = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${own}`,
    drop,
    holdAnswers: (match) =>
      new Promise((resolve) => {
        hold = { match, held: () => resolve() };
      }),
    close: () =>
      new Promise((resolve) => {
        drop();
        server.close(() => {
          resolve();
        });
      }),
  };
}
