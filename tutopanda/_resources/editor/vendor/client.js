// Generated from clients/typescript by `make editor-client` (esbuild): do not edit.

// src/errors.ts
var ClientError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = new.target.name;
  }
};
var TransportError = class extends ClientError {
};
var UnexpectedResponse = class extends ClientError {
  status;
  body;
  constructor(message, answer) {
    super(message);
    this.status = answer.status;
    this.body = answer.body;
  }
};
var RunTimeout = class extends ClientError {
  runId;
  status;
  constructor(runId, status) {
    super(`run ${runId} is still ${status}`);
    this.runId = runId;
    this.status = status;
  }
};
var ProblemError = class extends ClientError {
  static codes = [];
  status;
  code;
  problem;
  title;
  detail;
  requestId;
  retryAfter;
  problemJson;
  headers;
  constructor(status, problem, headers, problemJson = true) {
    const code = typeof problem.code === "string" && problem.code ? problem.code : `http_${status}`;
    super(`${status} ${code}: ${problem.detail || problem.title || "no detail"}`);
    this.status = status;
    this.code = code;
    this.problem = problem;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId !== "" ? problem.requestId : headers.get("x-request-id") ?? "";
    this.retryAfter = retryAfterSeconds(headers.get("retry-after"));
    this.problemJson = problemJson;
    this.headers = headers;
  }
};
function retryAfterSeconds(value) {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - Date.now()) / 1e3);
}
var BadRequest = class extends ProblemError {
  static codes = ["bad_request"];
};
var Unauthorized = class extends ProblemError {
  static codes = ["unauthorized"];
};
var Forbidden = class extends ProblemError {
  static codes = ["forbidden"];
};
var NotFound = class extends ProblemError {
  static codes = ["not_found"];
};
var MethodNotAllowed = class extends ProblemError {
  static codes = ["method_not_allowed"];
};
var NotAcceptable = class extends ProblemError {
  static codes = ["not_acceptable"];
};
var RequestTimeout = class extends ProblemError {
  static codes = ["request_timeout"];
};
var Conflict = class extends ProblemError {
  static codes = ["conflict"];
};
var RevisionConflict = class extends Conflict {
  static codes = ["revision_conflict"];
  lecture;
  draftId;
  conflicts;
  constructor(status, problem, headers, problemJson = true) {
    super(status, problem, headers, problemJson);
    this.lecture = problem.lecture ?? null;
    this.draftId = problem.draftId ?? null;
    this.conflicts = problem.conflicts ?? [];
  }
  /** The JSON pointers of the conflicting paths (empty for a plain stale base). */
  get pointers() {
    return this.conflicts.map((conflict) => conflict.pointer);
  }
};
var LastOwner = class extends Conflict {
  static codes = ["last_owner"];
};
var PreconditionFailed = class extends ProblemError {
  static codes = ["precondition_failed"];
};
var PayloadTooLarge = class extends ProblemError {
  static codes = ["payload_too_large"];
};
var UnsupportedMediaType = class extends ProblemError {
  static codes = ["unsupported_media_type"];
};
var ValidationFailed = class extends ProblemError {
  static codes = ["validation_failed"];
  errors;
  constructor(status, problem, headers, problemJson = true) {
    super(status, problem, headers, problemJson);
    this.errors = problem.errors ?? [];
  }
  /** The names of the invalid fields. */
  get fields() {
    return this.errors.map((error) => error.field);
  }
};
var IdempotencyKeyReused = class extends ValidationFailed {
  static codes = ["idempotency_key_reused"];
};
var TooManyRequests = class extends ProblemError {
  static codes = ["too_many_requests"];
};
var QuotaExceeded = class extends TooManyRequests {
  static codes = ["quota_exceeded"];
  quota;
  limit;
  constructor(status, problem, headers, problemJson = true) {
    super(status, problem, headers, problemJson);
    this.quota = problem.quota ?? null;
    this.limit = problem.limit ?? null;
  }
};
var HeadersTooLarge = class extends ProblemError {
  static codes = ["headers_too_large"];
};
var ServerError = class extends ProblemError {
  static codes = ["internal_error"];
};
var ServiceUnavailable = class extends ProblemError {
  static codes = ["database_unavailable"];
};
var DeadlineExceeded = class extends ServiceUnavailable {
  static codes = ["deadline_exceeded"];
};
var CommitUnconfirmed = class extends ServiceUnavailable {
  static codes = ["commit_unconfirmed"];
};
var ServerBusy = class extends ServiceUnavailable {
  static codes = ["server_busy"];
};
var PROBLEM_CLASSES = Object.fromEntries(
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
    ServerBusy
  ].flatMap((kind) => kind.codes.map((code) => [code, kind]))
);
var BY_STATUS = {
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
  503: ServiceUnavailable
};
function problemError(response, text, path) {
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
  }
  const problemJson = isProblem(body);
  const made = {
    type: "about:blank",
    title: response.statusText,
    status: response.status,
    detail: problemJson ? "" : text.slice(0, 500),
    code: `http_${response.status}`,
    instance: path,
    requestId: response.headers.get("x-request-id") ?? ""
  };
  const problem = isObject(body) ? { ...made, ...body } : made;
  const kind = PROBLEM_CLASSES[problem.code] ?? BY_STATUS[response.status] ?? (response.status >= 500 ? ServerError : ProblemError);
  return new kind(response.status, problem, response.headers, problemJson);
}
function isObject(body) {
  return typeof body === "object" && body !== null && !Array.isArray(body);
}
function isProblem(body) {
  return isObject(body) && typeof body.code === "string" && body.code !== "";
}

// src/call.ts
var WRITE_METHODS = /* @__PURE__ */ new Set(["POST", "PUT", "PATCH", "DELETE"]);
function call(verb, template, parts) {
  const path = fill(template, parts.path);
  const query = {};
  const given = parts.query ?? {};
  for (const [name, value] of Object.entries(given)) {
    if (value !== void 0) query[name] = value;
  }
  return {
    method: verb.toUpperCase(),
    template,
    path,
    query,
    headers: parts.headers ?? {},
    body: parts.body,
    ok: parts.ok ?? [200],
    read: parts.read ?? readAnswer
  };
}
function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = values[name];
    if (value === void 0) throw new TypeError(`${template}: no value for {${name}}`);
    return encodeURIComponent(String(value));
  });
}
async function readAnswer(response) {
  const text = await response.text();
  if (response.status === 204 || text === "" && response.status === 304) return void 0;
  try {
    return JSON.parse(text);
  } catch {
    throw new UnexpectedResponse(`${response.status} answer is not JSON: ${text.slice(0, 200)}`, {
      status: response.status,
      body: text
    });
  }
}
function etag(revision) {
  return `"${revision}"`;
}
function defined(values) {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== void 0));
}

// src/event-types.ts
var EVENT_NAMES = [
  "lecture.state",
  "resync",
  "lecture.revised",
  "workflow.progress",
  "member.removed",
  "presence",
  "disconnect"
];
var KNOWN = new Set(EVENT_NAMES);
function lectureEvent(raw) {
  let data = raw.data;
  try {
    data = raw.data === "" ? null : JSON.parse(raw.data);
  } catch {
  }
  if (KNOWN.has(raw.event) && typeof data === "object" && data !== null && !Array.isArray(data)) {
    return { event: raw.event, id: raw.id, data };
  }
  return { event: "other", name: raw.event, id: raw.id, data };
}

// src/sse.ts
var SseParser = class {
  /** The last `id:` received: what a reconnect sends as Last-Event-ID. */
  lastEventId;
  /** The reconnection delay the server asked for (`retry:`), in milliseconds, or null. */
  retryMs = null;
  buffer = "";
  afterCarriageReturn = false;
  event = "";
  data = [];
  id = null;
  constructor(lastEventId = null) {
    this.lastEventId = lastEventId;
  }
  /** The events completed by `chunk` (a line ends with CRLF, LF or CR; an event, with a blank
   * line). Comments (`: heartbeat`) are skipped. */
  push(chunk) {
    let text = chunk;
    if (this.afterCarriageReturn && text.startsWith("\n")) text = text.slice(1);
    this.afterCarriageReturn = text.endsWith("\r");
    const lines = (this.buffer + text).split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? "";
    const events = [];
    for (const line of lines) {
      const event = this.line(line);
      if (event !== null) events.push(event);
    }
    return events;
  }
  /** Forget a partial event (the connection dropped in the middle of it). */
  reset() {
    this.buffer = "";
    this.afterCarriageReturn = false;
    this.event = "";
    this.data = [];
    this.id = null;
  }
  line(line) {
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
  dispatch() {
    if (this.id !== null) this.lastEventId = this.id;
    const { event, data, id } = this;
    this.event = "";
    this.data = [];
    this.id = null;
    if (data.length === 0 && event === "") return null;
    return { event: event || "message", id: id ?? this.lastEventId, data: data.join("\n") };
  }
};

// src/transport.ts
var DEFAULT_RETRY = { retries: 2, delayMs: 250, maxDelayMs: 5e3 };
var DEFAULT_TIMEOUT_MS = 3e4;
function newIdempotencyKey() {
  return crypto.randomUUID();
}
var Transport = class {
  baseUrl;
  token;
  fetcher;
  retry;
  timeoutMs;
  constructor(options) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }
  /** Send a call; its answer, or the typed error of the problem (TransportError: no answer). */
  async send(call2, options = {}) {
    const policy = { ...this.retry, ...options.retry };
    const headers = { Accept: "application/json", ...call2.headers };
    if (WRITE_METHODS.has(call2.method)) {
      headers["Idempotency-Key"] = options.idempotencyKey ?? newIdempotencyKey();
    }
    if (call2.body !== void 0) headers["Content-Type"] = "application/json";
    const init = { method: call2.method, headers, body: jsonBody(call2.body) };
    const url = this.url(call2.path, call2.query);
    for (let attempt = 0; ; attempt += 1) {
      let failure;
      try {
        const response = await this.authorized(url, init, options.signal);
        if (call2.ok.includes(response.status)) return await call2.read(response);
        failure = problemError(response, await response.text(), call2.path);
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
  async authorized(url, init, signal) {
    const headers = new Headers(init.headers);
    const attempt = async (refresh) => {
      headers.set("Authorization", `Bearer ${await this.bearer(refresh)}`);
      return this.exchange(url, { ...init, headers }, signal);
    };
    const response = await attempt(false);
    if (response.status !== 401 || typeof this.token === "string") return response;
    await response.body?.cancel();
    return attempt(true);
  }
  /** `path` (with its query) under the base URL. */
  url(path, query = {}) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) search.set(name, String(value));
    const text = search.toString();
    return `${this.baseUrl}${path}${text ? `?${text}` : ""}`;
  }
  async bearer(refresh) {
    return typeof this.token === "string" ? this.token : await this.token({ refresh });
  }
  /** fetch, with a timeout until the answer's headers; no answer is a TransportError. The
   * caller's abort rejects with its reason, and also ends the reading of the answer's body. */
  async exchange(url, init, signal) {
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
};
function describe(error) {
  const cause = error instanceof Error ? error.cause : void 0;
  return String(cause instanceof Error ? cause.message : error);
}
function jsonBody(body) {
  return body === void 0 ? null : JSON.stringify(body);
}
function retryDelay(policy, attempt, failure) {
  const hinted = failure instanceof ProblemError ? failure.retryAfter : null;
  const delay = hinted === null ? policy.delayMs * 2 ** attempt : hinted * 1e3;
  return Math.min(delay, policy.maxDelayMs);
}
function follow(signal, controller) {
  if (signal === void 0) return () => void 0;
  const abort = () => {
    controller.abort(signal.reason);
  };
  if (signal.aborted) abort();
  signal.addEventListener("abort", abort, { once: true });
  return () => {
    signal.removeEventListener("abort", abort);
  };
}
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const done = () => {
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}

// src/events.ts
var MAX_BACKOFF_MS = 3e4;
var EventStream = class {
  constructor(transport, path, options = {}) {
    this.transport = transport;
    this.path = path;
    this.options = options;
    this.parser = new SseParser(options.lastEventId ?? null);
    this.closing.signal.addEventListener("abort", () => {
      this.close();
    });
    this.unlink = follow(options.signal, this.closing);
  }
  transport;
  path;
  options;
  parser;
  queue = [];
  reader = null;
  connection = null;
  decoder = new TextDecoder();
  failures = 0;
  received = 0;
  // events on the current connection
  closed = false;
  connectionNow = "connecting";
  closing = new AbortController();
  unlink;
  /** The id of the last event received: where a reconnect (or a later stream) resumes. */
  get lastEventId() {
    return this.parser.lastEventId;
  }
  /** Whether a connection is open now. */
  get connected() {
    return this.reader !== null;
  }
  /** Where the connection stands (`onConnection` is told each change). */
  get connectionState() {
    return this.connectionNow;
  }
  /** Connect now (iterating connects by itself): events committed after this are seen. */
  async open() {
    while (this.reader === null && !this.closed) {
      try {
        await this.connect();
      } catch (error) {
        if (this.closed) return;
        await this.waitAfter(error);
      }
    }
  }
  async next() {
    while (!this.closed) {
      const queued = this.queue.shift();
      if (queued !== void 0) return { value: queued, done: false };
      await this.open();
      const reader = this.reader;
      if (reader === null) break;
      let chunk;
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
        if (this.received === 0) await this.waitAfter(new TransportError("stream ended at once"));
        continue;
      }
      const events = this.parser.push(this.decoder.decode(chunk.value, { stream: true }));
      this.received += events.length;
      if (events.length > 0) this.failures = 0;
      this.queue.push(...events.map(lectureEvent));
    }
    this.close();
    return { value: void 0, done: true };
  }
  /** Close the connection; the iteration ends. */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.drop();
    this.unlink();
    this.closing.abort();
    this.moveTo("closed");
  }
  return() {
    this.close();
    return Promise.resolve({ value: void 0, done: true });
  }
  [Symbol.asyncIterator]() {
    return this;
  }
  async connect() {
    const connection = new AbortController();
    this.connection = connection;
    const headers = { Accept: "text/event-stream" };
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
  moveTo(state) {
    if (state === this.connectionNow) return;
    this.connectionNow = state;
    try {
      this.options.onConnection?.(state);
    } catch {
    }
  }
  /** The next chunk, or a rejection when the connection stays silent past the idle timeout. */
  async read(reader) {
    const idle = this.options.idleTimeoutMs ?? 6e4;
    let timer;
    const silence = new Promise((_, reject) => {
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
  drop() {
    this.connection?.abort();
    this.reader?.cancel().catch(() => void 0);
    this.connection = null;
    this.reader = null;
  }
  /** Wait before the next attempt after `error`, or throw it: out of attempts, not
   * reconnecting, or not something a later attempt can mend (a 401, a 404). */
  async waitAfter(error) {
    this.failures += 1;
    const retriable = error instanceof TransportError || error instanceof ServiceUnavailable;
    const limit = this.options.maxRetries ?? null;
    if (!retriable || this.options.reconnect === false || limit !== null && this.failures > limit) {
      this.close();
      throw error;
    }
    const base = this.parser.retryMs ?? this.options.reconnectDelayMs ?? 1e3;
    const hinted = error instanceof ServiceUnavailable ? (error.retryAfter ?? 0) * 1e3 : 0;
    const delay = Math.min(Math.max(base * 2 ** (this.failures - 1), hinted), MAX_BACKOFF_MS);
    try {
      await sleep(delay, this.closing.signal);
    } catch {
    }
  }
};

// src/routes/drafts.ts
function listDrafts(lectureId) {
  return call("get", "/lectures/{lecture_id}/drafts", { path: { lecture_id: lectureId } });
}
function getDraft(lectureId, draftId) {
  return call("get", "/lectures/{lecture_id}/drafts/{draft_id}", {
    path: { lecture_id: lectureId, draft_id: draftId }
  });
}
function applyDraft(lectureId, draftId) {
  return call("post", "/lectures/{lecture_id}/drafts/{draft_id}/apply", {
    path: { lecture_id: lectureId, draft_id: draftId }
  });
}
function deleteDraft(lectureId, draftId) {
  return call("delete", "/lectures/{lecture_id}/drafts/{draft_id}", {
    path: { lecture_id: lectureId, draft_id: draftId },
    ok: [204]
  });
}

// src/routes/health.ts
function health() {
  return call("get", "/health", { path: {}, read: (response) => isOk(response) });
}
function ready() {
  return call("get", "/ready", { path: {}, ok: [200, 503], read: (response) => isOk(response) });
}
async function isOk(response) {
  await response.body?.cancel();
  return response.status === 200;
}

// src/routes/lectures.ts
function getLecture(lectureId) {
  return call("get", "/lectures/{lecture_id}", { path: { lecture_id: lectureId } });
}
function getLectureIfChanged(lectureId, revision) {
  return call("get", "/lectures/{lecture_id}", {
    path: { lecture_id: lectureId },
    headers: { "If-None-Match": etag(revision) },
    ok: [200, 304],
    read: async (response) => response.status === 304 ? null : await readAnswer(response)
  });
}
function saveLecture(lectureId, payload, baseRevision, merge, force2) {
  return call("patch", "/lectures/{lecture_id}", {
    path: { lecture_id: lectureId },
    headers: { "If-Match": etag(baseRevision) },
    body: { payload, ...merge ? { merge } : {}, ...force2 ? { force: force2 } : {} }
  });
}
function listHistory(lectureId, limit, before) {
  return call("get", "/lectures/{lecture_id}/history", {
    path: { lecture_id: lectureId },
    query: defined({ limit, before })
  });
}
function getRevision(lectureId, revision) {
  return call("get", "/lectures/{lecture_id}/history/{revision}", {
    path: { lecture_id: lectureId, revision }
  });
}
function diff(lectureId, fromRevision, toRevision) {
  return call("get", "/lectures/{lecture_id}/diff", {
    path: { lecture_id: lectureId },
    query: { from: fromRevision, to: toRevision }
  });
}
function restoreRevision(lectureId, revision, baseRevision, force2) {
  return call("post", "/lectures/{lecture_id}/history/{revision}/restore", {
    path: { lecture_id: lectureId, revision },
    headers: { "If-Match": etag(baseRevision) },
    ...force2 ? { body: { force: force2 } } : {}
  });
}
function setFocus(lectureId, focus) {
  return call("put", "/lectures/{lecture_id}/presence", {
    path: { lecture_id: lectureId },
    body: { focus },
    ok: [204]
  });
}
function eventsPath(lectureId) {
  return fill("/lectures/{lecture_id}/events", { lecture_id: lectureId });
}

// src/routes/projects.ts
function listProjects(limit, before) {
  return call("get", "/projects", { path: {}, query: defined({ limit, before }) });
}
function createProject(prompt, name, settings) {
  return call("post", "/projects", {
    path: {},
    body: { prompt, ...defined({ name, settings }) },
    ok: [201]
  });
}
function getProject(projectId) {
  return call("get", "/projects/{project_id}", { path: { project_id: projectId } });
}
function updateProject(projectId, baseRevision, name, settings) {
  return call("patch", "/projects/{project_id}", {
    path: { project_id: projectId },
    headers: { "If-Match": etag(baseRevision) },
    body: defined({ name, settings })
  });
}
function listMembers(projectId) {
  return call("get", "/projects/{project_id}/members", { path: { project_id: projectId } });
}
function setMember(projectId, userId, role) {
  return call("put", "/projects/{project_id}/members/{user_id}", {
    path: { project_id: projectId, user_id: userId },
    body: { role }
  });
}
function removeMember(projectId, userId) {
  return call("delete", "/projects/{project_id}/members/{user_id}", {
    path: { project_id: projectId, user_id: userId },
    ok: [204]
  });
}

// src/routes/workflows.ts
function startWorkflow(lectureId, kind, fromStep, force2, originalRunId) {
  return call("post", "/lectures/{lecture_id}/workflows", {
    path: { lecture_id: lectureId },
    body: { kind, ...defined({ fromStep, force: force2, originalRunId }) },
    ok: [202]
  });
}
function getRun(runId) {
  return call("get", "/workflow-runs/{run_id}", { path: { run_id: runId } });
}
function cancelRun(runId) {
  return call("post", "/workflow-runs/{run_id}/cancel", { path: { run_id: runId } });
}
function resumeRun(runId) {
  return call("post", "/workflow-runs/{run_id}/resume", { path: { run_id: runId }, ok: [202] });
}
function acceptRun(runId, force2) {
  return call("post", "/workflow-runs/{run_id}/accept", {
    path: { run_id: runId },
    body: force2 ? { force: force2 } : {}
  });
}
function rejectRun(runId) {
  return call("post", "/workflow-runs/{run_id}/reject", { path: { run_id: runId } });
}
function regenerateAsset(lectureId, kind, assetId, prompt) {
  return call("post", "/lectures/{lecture_id}/assets/{asset_kind}/{asset_id}/regenerate", {
    path: { lecture_id: lectureId, asset_kind: kind, asset_id: assetId },
    body: defined({ prompt }),
    ok: [202]
  });
}

// src/waiting.ts
var STOPPED = /* @__PURE__ */ new Set([
  "succeeded",
  "failed",
  "cancelled",
  "rejected",
  "expired",
  "waiting_for_review"
]);
async function waitForRun(source, runId, options = {}) {
  const until = options.until ?? STOPPED;
  const poll = options.pollIntervalMs ?? 5e3;
  const deadline = Date.now() + (options.timeoutMs ?? 3e5);
  const within = (ms) => Math.max(10, Math.min(ms, deadline - Date.now()));
  const signal = options.signal;
  let run = await source.getRun(runId, { signal });
  let lastEventId = null;
  while (!until.has(run.status)) {
    if (Date.now() >= deadline) throw new RunTimeout(runId, run.status);
    const stream = source.events(run.lectureId, { lastEventId, reconnect: false, signal });
    let connected = false;
    try {
      await stream.open();
      connected = true;
      run = await source.getRun(runId, { signal });
      while (!until.has(run.status) && Date.now() < deadline) {
        const next = await nextWithin(stream, within(poll));
        if (next === null) break;
        lastEventId = stream.lastEventId;
        if (next.event !== "workflow.progress" || next.data.runId !== runId) continue;
        options.onProgress?.(next.data);
        if (until.has(next.data.status)) break;
      }
    } catch (error) {
      if (!(error instanceof TransportError || error instanceof ServiceUnavailable)) throw error;
      await sleep(connected ? 0 : within(poll), signal);
    } finally {
      stream.close();
    }
    run = await source.getRun(runId, { signal });
  }
  return run;
}
async function nextWithin(stream, ms) {
  let timer;
  const silence = new Promise((resolve) => {
    timer = setTimeout(() => {
      resolve(null);
    }, ms);
  });
  try {
    const result = await Promise.race([stream.next(), silence]);
    return result === null || result.done === true ? null : result.value;
  } finally {
    clearTimeout(timer);
  }
}

// src/client.ts
var TutopandaClient = class {
  transport;
  constructor(options) {
    this.transport = new Transport(options);
  }
  /** Send one call (the routes' builders make them); its answer or its typed error. */
  send(call2, options) {
    return this.transport.send(call2, options);
  }
  // health
  /** Whether the API process answers (GET /health). */
  health(options) {
    return this.send(health(), options);
  }
  /** Whether the API and its database answer (GET /ready; false while the database is away). */
  ready(options) {
    return this.send(ready(), { ...options, retry: { retries: 0 } });
  }
  // projects
  /** My projects and those shared with me, newest first, with their lectures, a page at a
   * time: pass `nextBefore` as `before` for the next page (null: no more). */
  listProjects(options = {}) {
    return this.send(listProjects(options.limit, options.before), options);
  }
  /** A project, its lecture and its queued generation run, from a prompt. */
  createProject(prompt, options = {}) {
    return this.send(createProject(prompt, options.name, options.settings), options);
  }
  /** Name and generation settings at their settings revision. */
  getProject(projectId, options) {
    return this.send(getProject(projectId), options);
  }
  /** Rename and/or merge settings groups in, on the settings revision last read. */
  updateProject(projectId, options) {
    const { baseRevision, name, settings } = options;
    return this.send(updateProject(projectId, baseRevision, name, settings), options);
  }
  // sharing
  /** The project's members with their roles, owners first. */
  listMembers(projectId, options) {
    return this.send(listMembers(projectId), options);
  }
  /** Share the project with `userId` as `role`, or change their role (owners only). */
  setMember(projectId, userId, role, options) {
    return this.send(setMember(projectId, userId, role), options);
  }
  /** Stop sharing the project with `userId` (owners only; not the last owner: LastOwner). */
  removeMember(projectId, userId, options) {
    return this.send(removeMember(projectId, userId), options);
  }
  // lectures
  /** The lecture with its revision. */
  getLecture(lectureId, options) {
    return this.send(getLecture(lectureId), options);
  }
  /** The lecture when it is no longer at `revision`, else null (a 304). */
  getLectureIfChanged(lectureId, revision, options) {
    return this.send(getLectureIfChanged(lectureId, revision), options);
  }
  /** Save some sections on a base revision: RevisionConflict when it lost the race (`merge`
   * merges onto a newer revision per JSON path first; `force` overwrites). */
  saveLecture(lectureId, payload, options) {
    const { baseRevision, merge = false, force: force2 = false } = options;
    return this.send(saveLecture(lectureId, payload, baseRevision, merge, force2), options);
  }
  /** What I work on in the lecture (a section and the item in it), or null: the others on its
   * event stream get a `presence` event. */
  setFocus(lectureId, focus, options) {
    return this.send(setFocus(lectureId, focus), options);
  }
  // history
  /** Revisions newest first; pass `nextBefore` as `before` for the next page. */
  listHistory(lectureId, options = {}) {
    return this.send(listHistory(lectureId, options.limit, options.before), options);
  }
  /** One revision with its full content. */
  getRevision(lectureId, revision, options) {
    return this.send(getRevision(lectureId, revision), options);
  }
  /** JSON Patch per section from one revision to another, and who made each. */
  diff(lectureId, from, to, options) {
    return this.send(diff(lectureId, from, to), options);
  }
  /** Make an old revision current again, as a new revision on `baseRevision`. */
  restoreRevision(lectureId, revision, options) {
    const { baseRevision, force: force2 = false } = options;
    return this.send(restoreRevision(lectureId, revision, baseRevision, force2), options);
  }
  // drafts
  /** My saves refused as conflicts, not resolved yet (an owner's: every member's). */
  listDrafts(lectureId, options) {
    return this.send(listDrafts(lectureId), options);
  }
  /** One draft with the content of the revision it was made on. */
  getDraft(lectureId, draftId, options) {
    return this.send(getDraft(lectureId, draftId), options);
  }
  /** Merge a draft onto the latest revision (RevisionConflict naming the paths). */
  applyDraft(lectureId, draftId, options) {
    return this.send(applyDraft(lectureId, draftId), options);
  }
  /** Discard a draft. */
  deleteDraft(lectureId, draftId, options) {
    return this.send(deleteDraft(lectureId, draftId), options);
  }
  // workflows
  /** Queue a run of `kind` from a step (Conflict while another run is active). */
  startWorkflow(lectureId, kind, options = {}) {
    const { fromStep, force: force2, originalRunId } = options;
    return this.send(
      startWorkflow(lectureId, kind, fromStep, force2, originalRunId),
      options
    );
  }
  /** A run: status, step n of N, completed steps, a regeneration's proposal. */
  getRun(runId, options) {
    return this.send(getRun(runId), options);
  }
  /** Stop a run at its next step boundary. */
  cancelRun(runId, options) {
    return this.send(cancelRun(runId), options);
  }
  /** Continue a failed or cancelled run from its first incomplete step. */
  resumeRun(runId, options) {
    return this.send(resumeRun(runId), options);
  }
  /** Apply a regeneration's proposal as a revision (`force`: even if the asset was edited). */
  acceptRun(runId, options = {}) {
    return this.send(acceptRun(runId, options.force ?? false), options);
  }
  /** Discard a regeneration's proposal. */
  rejectRun(runId, options) {
    return this.send(rejectRun(runId), options);
  }
  /** Make one asset again, as a proposal to accept or reject. */
  regenerateAsset(lectureId, kind, assetId, options = {}) {
    return this.send(regenerateAsset(lectureId, kind, assetId, options.prompt), options);
  }
  /** Wait until the run stops (finished, or waiting for review) and return it; RunTimeout
   * after `timeoutMs`. Follows the lecture's events, and polls while they are silent. */
  waitForRun(runId, options) {
    return waitForRun(this, runId, options);
  }
  // events
  /** The lecture's events as they commit, resuming after `lastEventId` when given; it
   * reconnects after a drop and the server replays what was missed. */
  events(lectureId, options) {
    return new EventStream(this.transport, eventsPath(lectureId), options);
  }
};

// src/editor/content.ts
var SECTIONS = {
  title: "value",
  summary: "value",
  script: "value",
  images: "array",
  videos: "array",
  narration: "array",
  music: "array",
  effects: "array",
  timeline: "value"
};
var SECTION_NAMES = Object.keys(SECTIONS);
var ARRAY_SECTIONS = new Set(
  SECTION_NAMES.filter((name) => SECTIONS[name] === "array")
);
var FROZEN = /* @__PURE__ */ new WeakSet();
function isSection(name) {
  return Object.hasOwn(SECTIONS, name);
}
function frozenJson(value, at) {
  return freeze(value, at, /* @__PURE__ */ new Set());
}
function freeze(value, at, path) {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (Number.isFinite(value)) return value;
    throw new TypeError(`${at} is not JSON: ${String(value)}`);
  }
  if (typeof value !== "object") throw new TypeError(`${at} is not JSON: a ${typeof value}`);
  if (FROZEN.has(value)) return value;
  if (path.has(value)) throw new TypeError(`${at} is not JSON: it contains itself`);
  path.add(value);
  let copy;
  if (Array.isArray(value)) {
    copy = Array.from(value, (item, index) => freeze(item, `${at}[${index}]`, path));
  } else {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = value.constructor?.name ?? "object";
      throw new TypeError(`${at} is not JSON: a ${kind}`);
    }
    const fields = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== void 0) fields[key] = freeze(item, `${at}.${key}`, path);
    }
    copy = fields;
  }
  path.delete(value);
  FROZEN.add(Object.freeze(copy));
  return copy;
}

// src/editor/options.ts
var DEFAULT_DEBOUNCE_MS = 2500;
var RETRY_MS = 5e3;

// src/editor/buffer.ts
var EMPTY = Object.freeze([]);
function sectionsOf(layer) {
  return Object.freeze(Object.fromEntries(layer));
}
var EditBuffer = class {
  snapshot;
  pending = /* @__PURE__ */ new Map();
  inflight = /* @__PURE__ */ new Map();
  applied = /* @__PURE__ */ new Map();
  held = /* @__PURE__ */ new Map();
  /** How many edits ever: tells a pull whether the user typed while it was fetched. */
  edits = 0;
  view = null;
  constructor(snapshot) {
    this.snapshot = frozenSnapshot(snapshot);
  }
  get baseRevision() {
    return this.snapshot.revision;
  }
  /** No edit waiting, being sent or held: the snapshot may be replaced by a newer one. */
  get clean() {
    return this.pending.size === 0 && this.inflight.size === 0 && this.held.size === 0;
  }
  /** The section as the user sees it (frozen). */
  value(section) {
    for (const layer of [this.pending, this.inflight, this.held, this.applied]) {
      const value2 = layer.get(section);
      if (value2 !== void 0) return value2;
    }
    const value = this.snapshot[section];
    if ((value === void 0 || value === null) && ARRAY_SECTIONS.has(section)) return EMPTY;
    return value ?? null;
  }
  /** Every section as the user sees it: one frozen object until the next change. */
  content() {
    this.view ??= Object.freeze(
      Object.fromEntries(SECTION_NAMES.map((name) => [name, this.value(name)]))
    );
    return this.view;
  }
  /** Replace a section with a frozen copy of `value`: RangeError for an unknown section,
   * TypeError for a value JSON cannot carry (the server validates the rest, and answers 422
   * naming the field). */
  edit(section, value) {
    if (!isSection(section)) {
      throw new RangeError(`unknown section "${section}"; one of ${SECTION_NAMES.join(", ")}`);
    }
    const frozen = frozenJson(value, `section "${section}"`);
    this.pending.set(section, frozen);
    this.held.delete(section);
    this.edits += 1;
    this.changed();
  }
  /** Move the dirty sections into the save about to be sent. */
  take() {
    this.inflight = this.pending;
    this.pending = /* @__PURE__ */ new Map();
    this.changed();
    return new Map(this.inflight);
  }
  /** The save went through on the base itself: the snapshot is base + sent sections. */
  savedOnBase(revision, updatedAt) {
    this.snapshot = frozenSnapshot({
      ...this.snapshot,
      ...Object.fromEntries(this.inflight),
      revision,
      updatedAt
    });
    this.inflight = /* @__PURE__ */ new Map();
    this.changed();
  }
  /** The save was merged onto (or forced over) a newer revision than the base. */
  savedElsewhere() {
    for (const [section, value] of this.inflight) this.applied.set(section, value);
    this.inflight = /* @__PURE__ */ new Map();
    this.changed();
  }
  /** The save did not happen: its sections are dirty again (newer edits win). */
  failed() {
    this.pending = new Map([...this.inflight, ...this.pending]);
    this.inflight = /* @__PURE__ */ new Map();
    this.changed();
  }
  /** The save was refused as a conflict: keep its sections, but do not resend them. */
  hold() {
    for (const [section, value] of this.inflight) {
      if (!this.pending.has(section)) this.held.set(section, value);
    }
    this.inflight = /* @__PURE__ */ new Map();
    this.changed();
  }
  /** The save was refused and the server's version wins: forget its sections. */
  drop() {
    const dropped = this.inflight;
    this.inflight = /* @__PURE__ */ new Map();
    this.changed();
    return dropped;
  }
  releaseHeld() {
    const released = this.held;
    this.held = /* @__PURE__ */ new Map();
    this.changed();
    return released;
  }
  /** A newer server snapshot (only while clean): it includes everything applied. */
  adopt(snapshot) {
    this.snapshot = frozenSnapshot(snapshot);
    this.applied = /* @__PURE__ */ new Map();
    this.changed();
  }
  changed() {
    this.view = null;
  }
};
function frozenSnapshot(snapshot) {
  return frozenJson(snapshot, "the lecture");
}

// src/editor/status.ts
function sameStatus(a, b) {
  return a.status === b.status && a.phase === b.phase && a.revision === b.revision && a.serverRevision === b.serverRevision && a.conflict === b.conflict && a.dirty.length === b.dirty.length && a.dirty.every((section, index) => b.dirty[index] === section);
}
function notify(warn, callback, value) {
  if (callback === void 0) return;
  try {
    callback(value);
  } catch (error) {
    warn("a callback of an editor session failed", error);
  }
}
var StatusFeed = class {
  constructor(warn, callback) {
    this.warn = warn;
    this.callback = callback;
  }
  warn;
  callback;
  queues = /* @__PURE__ */ new Set();
  last = null;
  ended = false;
  /** Tell everyone, unless nothing changed since the last status. */
  publish(status) {
    if (this.last !== null && sameStatus(status, this.last)) return;
    this.last = status;
    notify(this.warn, this.callback, status);
    for (const queue of this.queues) queue.push(status);
  }
  /** End every iterator (the session closed). */
  end() {
    this.ended = true;
    for (const queue of this.queues) queue.end();
  }
  /** Each status from now on, until the session closes (`break` stops following). */
  changes() {
    const queue = new Queue();
    if (this.ended) queue.end();
    else this.queues.add(queue);
    const stop = () => {
      this.queues.delete(queue);
      return Promise.resolve({ value: void 0, done: true });
    };
    return {
      next: async () => {
        const status = await queue.next();
        return status === null ? stop() : { value: status, done: false };
      },
      return: stop,
      [Symbol.asyncIterator]() {
        return this;
      }
    };
  }
};
var Queue = class {
  items = [];
  waiting = null;
  ended = false;
  push(item) {
    if (this.waiting === null) this.items.push(item);
    else this.wake(item);
  }
  end() {
    this.ended = true;
    if (this.waiting !== null) this.wake(null);
  }
  next() {
    const item = this.items.shift();
    if (item !== void 0 || this.ended) return Promise.resolve(item ?? null);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }
  wake(item) {
    const wake = this.waiting;
    this.waiting = null;
    wake?.(item);
  }
};

// src/editor/follow.ts
var LectureFollower = class {
  constructor(client, lectureId, options, warn, revised) {
    this.client = client;
    this.lectureId = lectureId;
    this.options = options;
    this.warn = warn;
    this.revised = revised;
  }
  client;
  lectureId;
  options;
  warn;
  revised;
  people = /* @__PURE__ */ new Map();
  state = "closed";
  stream = null;
  following = Promise.resolve();
  /** Who is on the lecture now, by user id (this user included), with their focus. */
  get present() {
    return new Map(this.people);
  }
  get connection() {
    return this.state;
  }
  start() {
    this.following = this.follow();
  }
  /** Close the stream; resolves once the last event was handled. */
  async stop() {
    this.stream?.close();
    await this.following;
  }
  async follow() {
    const stream = this.client.events(this.lectureId, {
      ...this.options.events,
      onConnection: (state) => {
        this.connected(state);
      }
    });
    this.stream = stream;
    this.connected("connecting");
    try {
      for await (const event of stream) {
        notify(this.warn, this.options.onEvent, event);
        switch (event.event) {
          case "lecture.state":
          case "resync":
          case "lecture.revised":
            this.revised(event);
            break;
          case "workflow.progress":
            notify(this.warn, this.options.onProgress, event.data);
            break;
          case "presence":
            this.presence(event.data);
            break;
          case "member.removed":
          case "disconnect":
          case "other":
            break;
        }
      }
    } catch (error) {
      this.warn(`lecture ${this.lectureId}: no more events`, error);
    } finally {
      this.connected("closed");
    }
  }
  presence(event) {
    if (event.kind === "state") {
      this.people = new Map((event.present ?? []).map((person) => [person.userId, person]));
    } else if (event.userId === void 0 || event.userId === null) {
      return;
    } else if (event.kind === "left") {
      this.people.delete(event.userId);
    } else {
      const { userId, name, focus } = event;
      this.people.set(userId, { userId, name: name ?? userId, focus: focus ?? null });
    }
    notify(this.warn, this.options.onPresence, this.present);
  }
  connected(state) {
    if (state === this.state) return;
    this.state = state;
    notify(this.warn, this.options.onConnection, state);
  }
};

// src/editor/refusals.ts
var APPLY_ATTEMPTS = 3;
async function settle(client, lectureId, state, policy, refusal, sections) {
  if (refusal.lecture !== null) state.heardOf(refusal.lecture.revision);
  if (policy === "force") {
    await force(client, lectureId, state, refusal, sections);
    return;
  }
  if (policy === "merge" && refusal.conflicts.length === 0 && refusal.draftId !== null) {
    const unresolved = await applyDraft2(client, lectureId, state, refusal, refusal.draftId);
    if (unresolved === null) return;
    refusal = unresolved;
  }
  state.conflict = Object.freeze({
    policy,
    draftId: refusal.draftId,
    sections,
    conflicts: refusal.conflicts,
    latest: refusal.lecture,
    pointers: Object.freeze(refusal.pointers)
  });
  if (policy === "merge") {
    state.buffer.hold();
  } else {
    state.buffer.drop();
    state.pullFailed = false;
  }
}
async function applyDraft2(client, lectureId, state, refusal, draftId) {
  for (let attempt = 0; attempt < APPLY_ATTEMPTS; attempt += 1) {
    let result;
    try {
      result = await client.applyDraft(lectureId, draftId);
    } catch (error) {
      if (!(error instanceof RevisionConflict)) throw error;
      refusal = error;
      if (error.conflicts.length > 0) return error;
      continue;
    }
    state.record(result, false);
    return null;
  }
  return refusal;
}
async function force(client, lectureId, state, refusal, sections) {
  let result;
  try {
    result = await client.saveLecture(lectureId, sections, {
      baseRevision: state.buffer.baseRevision,
      force: true
    });
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    state.failed(error);
    return;
  }
  state.record(result, false);
  if (refusal.draftId !== null) await discardDraft(client, lectureId, refusal.draftId);
}
async function forceHeld(client, lectureId, state) {
  const report = state.conflict;
  const held = state.buffer.releaseHeld();
  if (held.size === 0) return null;
  state.buffer.inflight = held;
  let result;
  try {
    result = await client.saveLecture(lectureId, sectionsOf(held), {
      baseRevision: state.buffer.baseRevision,
      force: true
    });
  } catch (error) {
    state.failed(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  state.record(result, false);
  state.conflict = null;
  if (report !== null && report.draftId !== null) {
    await discardDraft(client, lectureId, report.draftId);
  }
  return result;
}
async function discardDraft(client, lectureId, draftId) {
  try {
    await client.deleteDraft(lectureId, draftId);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
}

// src/editor/pull.ts
async function pull(session, state) {
  const { client, lectureId, options, warn } = session;
  const buffer = state.buffer;
  const edits = buffer.edits;
  let snapshot;
  try {
    snapshot = await client.getLectureIfChanged(lectureId, buffer.baseRevision);
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    warn(`could not pull lecture ${lectureId}`, error);
    state.pullFailed = true;
    return;
  }
  if (snapshot === null) {
    state.serverRevision = buffer.baseRevision;
    return;
  }
  state.heardOf(snapshot.revision);
  if (!buffer.clean || buffer.edits !== edits) return;
  buffer.adopt(snapshot);
  session.publish();
  notify(warn, options.onSnapshot, buffer.snapshot);
  const onRemote = options.onRemote;
  const history = onRemote === void 0 ? void 0 : historyOf(client, lectureId, warn);
  for (const report of await state.remote.adopted(snapshot.revision, history)) {
    notify(warn, onRemote, report);
  }
}
function historyOf(client, lectureId, warn) {
  return async ({ before, limit }) => {
    try {
      return await client.listHistory(lectureId, { before, limit });
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      warn(`could not read the history of lecture ${lectureId}`, error);
      return { items: [], nextBefore: null };
    }
  };
}

// src/editor/remote.ts
var MAX_HISTORY_PAGE = 500;
var RemoteLog = class {
  // the newest revision a save of the session was merged onto
  /** `shown`: the revision of the snapshot the session opened with. */
  constructor(shown) {
    this.shown = shown;
  }
  shown;
  own = /* @__PURE__ */ new Set();
  heard = /* @__PURE__ */ new Map();
  mergedOnto = 0;
  /** A revision this session wrote: on its base (`mergedOnto` null), or merged onto a newer
   * one. A save on its base moves the snapshot with nothing between. */
  wrote(revision, mergedOnto, onBase) {
    this.own.add(revision);
    if (mergedOnto !== null) this.mergedOnto = Math.max(this.mergedOnto, mergedOnto);
    if (onBase) this.shown = Math.max(this.shown, revision);
  }
  /** A `lecture.revised` event. */
  revised(event) {
    if (event.revision <= this.shown) return;
    this.heard.set(event.revision, {
      revision: event.revision,
      actor: event.actor ?? null,
      source: event.source,
      changedSections: event.changedSections,
      runId: event.runId ?? null,
      forced: event.forced ?? false,
      restoredFrom: event.restoredFrom ?? null
    });
  }
  /** The snapshot now shows `revision`: the others' revisions since the last report, oldest
   * first: first those a save was merged onto (`merged`), then the rest. `history` names those
   * whose events have not arrived; without it (or when it fails) they are left out. */
  async adopted(revision, history) {
    const from = this.shown;
    if (revision <= from) return [];
    this.shown = revision;
    const missing = [];
    for (let number = from + 1; number <= revision; number += 1) {
      if (!this.own.has(number) && !this.heard.has(number)) missing.push(number);
    }
    if (missing.length > 0 && history !== void 0) await this.read(history, from, revision);
    const events = [];
    for (let number = from + 1; number <= revision; number += 1) {
      const event = this.heard.get(number);
      if (event !== void 0 && !this.own.has(number)) events.push(event);
    }
    for (const number of [...this.heard.keys()]) if (number <= revision) this.heard.delete(number);
    const mergedOnto = this.mergedOnto;
    if (mergedOnto <= revision) this.mergedOnto = 0;
    const merged = events.filter((event) => event.revision <= mergedOnto);
    const others = events.filter((event) => event.revision > mergedOnto);
    return [
      ...merged.length > 0 ? [{ merged: true, events: merged }] : [],
      ...others.length > 0 ? [{ merged: false, events: others }] : []
    ];
  }
  /** The history rows after `from` up to `to` (one page: at most the API's largest). */
  async read(history, from, to) {
    const page = await history({ before: to + 1, limit: Math.min(to - from, MAX_HISTORY_PAGE) });
    for (const item of page.items) {
      if (item.revision <= from || item.revision > to || this.heard.has(item.revision)) continue;
      this.heard.set(item.revision, {
        revision: item.revision,
        actor: item.createdBy,
        source: item.source,
        changedSections: item.changedSections,
        runId: item.runId,
        forced: item.forced,
        restoredFrom: item.restoredFrom
      });
    }
  }
};

// src/editor/state.ts
function saveAttempt(sections, baseRevision, merge) {
  return { sections: sectionsOf(sections), baseRevision, merge, key: newIdempotencyKey() };
}
var SessionState = class {
  constructor(buffer, serverRevision, remote) {
    this.buffer = buffer;
    this.serverRevision = serverRevision;
    this.remote = remote;
  }
  buffer;
  serverRevision;
  remote;
  conflict = null;
  error = null;
  savedOnce = false;
  /** Until the next event: a failed pull is not retried in a loop. */
  pullFailed = false;
  /** A save whose answer was lost, to send again. */
  unanswered = null;
  /** Note a revision the server has; true when it is newer than any known. */
  heardOf(revision) {
    if (revision <= this.serverRevision) return false;
    this.serverRevision = revision;
    this.pullFailed = false;
    return true;
  }
  /** A save went through: move its sections out of flight. */
  record(result, onBase) {
    if (onBase) this.buffer.savedOnBase(result.revision, result.updatedAt);
    else this.buffer.savedElsewhere();
    this.remote.wrote(result.revision, result.mergedOnto ?? null, onBase);
    this.heardOf(result.revision);
    this.error = null;
    this.savedOnce = true;
  }
  /** A save did not happen: its sections are dirty again. */
  failed(error) {
    this.buffer.failed();
    this.error = error;
  }
  /** A save got no answer: it may have happened. Its sections stay in flight, and the same
   * request is sent again (newer edits wait for the save after it). */
  lost(attempt, error) {
    this.unanswered = attempt;
    this.error = error;
  }
  /** Whether the server has a newer snapshot to take (only while nothing is dirty). */
  wantsPull() {
    const buffer = this.buffer;
    const behind = this.serverRevision > buffer.baseRevision || buffer.applied.size > 0;
    return buffer.clean && behind && !this.pullFailed;
  }
  status() {
    const buffer = this.buffer;
    let status = "idle";
    let phase = "saved";
    if (this.unanswered !== null) {
      [status, phase] = ["error", "offline"];
    } else if (buffer.inflight.size > 0) {
      [status, phase] = ["saving", "saving"];
    } else if (this.conflict !== null) {
      [status, phase] = ["conflict", "conflict"];
    } else {
      if (this.error !== null) status = "error";
      else if (this.savedOnce && buffer.pending.size === 0) status = "saved";
      if (buffer.pending.size > 0 || buffer.held.size > 0) phase = "unsaved";
    }
    return Object.freeze({
      status,
      phase,
      revision: buffer.baseRevision,
      serverRevision: this.serverRevision,
      dirty: Object.freeze(
        SECTION_NAMES.filter((name) => buffer.pending.has(name) || buffer.inflight.has(name))
      ),
      conflict: this.conflict,
      error: this.error
    });
  }
};

// src/editor/session.ts
var EditorSession = class _EditorSession {
  // set once close() has flushed: no more saves, pulls or timers
  constructor(client, lectureId, options = {}) {
    this.client = client;
    this.lectureId = lectureId;
    this.options = options;
    this.policy = options.policy ?? "merge";
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.retryMs = options.retryMs === void 0 ? RETRY_MS : options.retryMs;
    this.warn = options.warn ?? ((message, error) => console.warn(message, error));
    this.feed = new StatusFeed(this.warn, options.onStatus);
    this.follower = new LectureFollower(client, lectureId, options, this.warn, (event) => {
      this.heard(event);
    });
    this.puller = { client, lectureId, options, warn: this.warn, publish: () => this.publish() };
  }
  client;
  lectureId;
  /** What the next refused save is settled with. */
  policy;
  debounceMs;
  retryMs;
  options;
  warn;
  feed;
  current = null;
  due = false;
  // the debounce elapsed (or flush asked): save the dirty sections
  timer = null;
  running = false;
  worker = Promise.resolve();
  saving = Promise.resolve();
  // saves and reapply(), one at a time
  follower;
  puller;
  closing = null;
  closed = false;
  /** A session on the lecture, opened. */
  static open(client, lectureId, options) {
    return new _EditorSession(client, lectureId, options).open();
  }
  // life cycle
  /** Load the lecture and start following its events. */
  async open() {
    const snapshot = await this.client.getLecture(this.lectureId);
    const remote = new RemoteLog(snapshot.revision);
    this.current = new SessionState(new EditBuffer(snapshot), snapshot.revision, remote);
    if (this.options.followEvents ?? true) this.follower.start();
    this.publish();
    return this;
  }
  /** Save what is dirty (once), then stop following events; the status iterators end. Edits
   * are refused from the call on. */
  close() {
    this.closing ??= this.shut();
    return this.closing;
  }
  async shut() {
    try {
      if (this.current !== null) await this.flush();
    } finally {
      this.closed = true;
      this.cancelTimer();
      await this.follower.stop();
      this.feed.end();
    }
  }
  // what the editor reads
  get state() {
    if (this.current === null) throw new Error("open the session first (await session.open())");
    return this.current;
  }
  /** The server snapshot the local content is based on. */
  get snapshot() {
    return this.state.buffer.snapshot;
  }
  /** The base revision: what the next save is sent on. */
  get revision() {
    return this.state.buffer.baseRevision;
  }
  get status() {
    return this.state.status();
  }
  /** Sections edited and not saved yet (waiting or being sent). */
  get dirty() {
    return this.status.dirty;
  }
  /** Sections refused in a conflict and kept locally (policy `merge`). */
  get held() {
    return Object.freeze(Object.fromEntries(this.state.buffer.held));
  }
  /** The last refused save, until it is resolved or dismissed. */
  get conflict() {
    return this.state.conflict;
  }
  /** Who is on the lecture now, by user id (this user included), with their focus. */
  get present() {
    return this.follower.present;
  }
  /** Where the event stream's connection stands (`closed` when not following). */
  get connection() {
    return this.follower.connection;
  }
  /** A section as the user sees it (local edits on top of the snapshot), frozen. */
  value(section) {
    return this.state.buffer.value(section);
  }
  /** Every section as the user sees it: frozen, the same object until something changes. */
  content() {
    return this.state.buffer.content();
  }
  /** Each change of status from now on, until the session closes. */
  statuses() {
    return this.feed.changes();
  }
  // what the editor does
  /** Replace a section locally (a frozen copy is kept); it is saved after the debounce,
   * counted from the LAST edit. RangeError for an unknown section, TypeError for a value JSON
   * cannot carry (the server checks the rest: a 422 naming the field, status `error`). */
  edit(section, value) {
    if (this.closing !== null) throw new Error("the session is closed");
    this.state.buffer.edit(section, value);
    this.arm(this.debounceMs);
    this.publish();
  }
  /** Edit a copy of a section: `change` mutates the copy or returns the new value. */
  update(section, change) {
    const draft = structuredClone(this.value(section));
    const changed = change(draft) ?? draft;
    this.edit(section, changed);
  }
  /** Save the dirty sections now and wait for the save (and any pull) to finish. */
  async flush() {
    this.cancelTimer();
    this.due = true;
    this.kick();
    while (this.running) await this.worker;
    return this.status;
  }
  /** Forget the conflict report (the draft stays on the server). Held sections stay held:
   * resolve them with `reapply()` or `reload()`, or edit them again. */
  dismissConflict() {
    this.state.conflict = null;
    this.publish();
  }
  /** Resolve a conflict with the local version: save the held sections with `force` (whole
   * sections replace the server's), then discard the draft that kept them. */
  async reapply() {
    const result = await this.exclusive(async () => {
      this.publish();
      try {
        return await forceHeld(this.client, this.lectureId, this.state);
      } finally {
        this.publish();
      }
    });
    this.kick();
    return result;
  }
  /** Resolve a conflict with the server's version: forget the held sections and pull; the
   * draft keeping them stays on the server unless `discardDraft`. */
  async reload(options = {}) {
    const state = this.state;
    const report = state.conflict;
    state.conflict = null;
    state.buffer.releaseHeld();
    if (options.discardDraft === true && report !== null && report.draftId !== null) {
      await discardDraft(this.client, this.lectureId, report.draftId);
    }
    state.pullFailed = false;
    await this.flush();
  }
  /** Tell the others what this editor works on (null: nothing in particular). */
  async setFocus(section, itemId) {
    const focus = section === null ? null : { section, itemId: itemId ?? null };
    await this.client.setFocus(this.lectureId, focus);
  }
  // the worker
  arm(delayMs) {
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.due = true;
      this.kick();
    }, delayMs);
  }
  cancelTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
  kick() {
    if (this.current === null || this.running || this.closed) return;
    this.running = true;
    this.worker = this.work(this.current);
  }
  /** Saves and pulls until there is nothing to do; `running` drops in the same turn as the
   * decision, so a kick right after starts a new worker. */
  async work(state) {
    try {
      for (; ; ) {
        if (this.due && (state.buffer.pending.size > 0 || state.unanswered !== null)) {
          this.due = false;
          await this.exclusive(() => this.saveDirty(state));
        } else if (state.wantsPull()) {
          await pull(this.puller, state);
        } else {
          this.due = false;
          this.running = false;
          return;
        }
      }
    } catch (error) {
      this.warn(`the editor session of lecture ${this.lectureId} failed`, error);
      state.failed(error instanceof Error ? error : new Error(String(error)));
      this.running = false;
      this.publish();
    }
  }
  /** Run `task` when no other save or reapply runs. */
  exclusive(task) {
    const run = this.saving.then(task, task);
    this.saving = run.catch(() => void 0);
    return run;
  }
  async saveDirty(state) {
    const resent = state.unanswered;
    const buffer = state.buffer;
    const attempt = resent ?? saveAttempt(
      buffer.take(),
      buffer.baseRevision,
      this.policy === "merge" && state.serverRevision > buffer.baseRevision
    );
    state.unanswered = null;
    state.error = null;
    this.publish();
    try {
      const result = await this.client.saveLecture(
        this.lectureId,
        attempt.sections,
        { baseRevision: attempt.baseRevision, merge: attempt.merge, idempotencyKey: attempt.key }
      );
      state.record(result, result.mergedOnto === null || result.mergedOnto === void 0);
      this.due ||= resent !== null && buffer.pending.size > 0;
    } catch (error) {
      if (error instanceof RevisionConflict) {
        await settle(this.client, this.lectureId, state, this.policy, error, attempt.sections);
      } else if (error instanceof TransportError || error instanceof ServiceUnavailable) {
        state.lost(attempt, error);
        this.retryLater(error);
      } else if (error instanceof ClientError) {
        state.failed(error);
      } else {
        throw error;
      }
    }
    this.publish();
  }
  retryLater(error) {
    if (this.retryMs === null || this.closed) return;
    const hinted = error instanceof ServiceUnavailable ? (error.retryAfter ?? 0) * 1e3 : 0;
    this.arm(Math.max(this.retryMs, hinted));
  }
  /** The server's revision, from an event: pulled when nothing is dirty (the next kick). */
  heard(event) {
    const state = this.state;
    if (event.event === "lecture.revised") state.remote.revised(event.data);
    if (state.heardOf(event.data.revision)) {
      this.publish();
      this.kick();
    }
  }
  publish() {
    if (this.current !== null) this.feed.publish(this.current.status());
  }
};
export {
  ARRAY_SECTIONS,
  BadRequest,
  ClientError,
  CommitUnconfirmed,
  Conflict,
  DEFAULT_DEBOUNCE_MS,
  DEFAULT_RETRY,
  DeadlineExceeded,
  EVENT_NAMES,
  EditorSession,
  EventStream,
  Forbidden,
  HeadersTooLarge,
  IdempotencyKeyReused,
  LastOwner,
  MethodNotAllowed,
  NotAcceptable,
  NotFound,
  PROBLEM_CLASSES,
  PayloadTooLarge,
  PreconditionFailed,
  ProblemError,
  QuotaExceeded,
  RETRY_MS,
  RequestTimeout,
  RevisionConflict,
  RunTimeout,
  SECTION_NAMES,
  STOPPED,
  ServerBusy,
  ServerError,
  ServiceUnavailable,
  SseParser,
  TooManyRequests,
  Transport,
  TransportError,
  TutopandaClient,
  Unauthorized,
  UnexpectedResponse,
  UnsupportedMediaType,
  ValidationFailed,
  call,
  etag,
  lectureEvent,
  newIdempotencyKey,
  problemError,
  waitForRun
};
