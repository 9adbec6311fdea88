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
        await this.waitAfter(new TransportError(`event stream ${this.path}: ${String(error)}`));
        continue;
      }
      if (chunk.done) {
        this.drop();
        if (this.options.reconnect === false) break;
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
function saveLecture(lectureId, payload, baseRevision, merge, force) {
  return call("patch", "/lectures/{lecture_id}", {
    path: { lecture_id: lectureId },
    headers: { "If-Match": etag(baseRevision) },
    body: { payload, ...merge ? { merge } : {}, ...force ? { force } : {} }
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
function restoreRevision(lectureId, revision, baseRevision, force) {
  return call("post", "/lectures/{lecture_id}/history/{revision}/restore", {
    path: { lecture_id: lectureId, revision },
    headers: { "If-Match": etag(baseRevision) },
    ...force ? { body: { force } } : {}
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
function startWorkflow(lectureId, kind, fromStep, force, originalRunId) {
  return call("post", "/lectures/{lecture_id}/workflows", {
    path: { lecture_id: lectureId },
    body: { kind, ...defined({ fromStep, force, originalRunId }) },
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
function acceptRun(runId, force) {
  return call("post", "/workflow-runs/{run_id}/accept", {
    path: { run_id: runId },
    body: force ? { force } : {}
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
    const { baseRevision, merge = false, force = false } = options;
    return this.send(saveLecture(lectureId, payload, baseRevision, merge, force), options);
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
    const { baseRevision, force = false } = options;
    return this.send(restoreRevision(lectureId, revision, baseRevision, force), options);
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
    const { fromStep, force, originalRunId } = options;
    return this.send(
      startWorkflow(lectureId, kind, fromStep, force, originalRunId),
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
export {
  BadRequest,
  ClientError,
  CommitUnconfirmed,
  Conflict,
  DEFAULT_RETRY,
  DeadlineExceeded,
  EVENT_NAMES,
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
  RequestTimeout,
  RevisionConflict,
  RunTimeout,
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
