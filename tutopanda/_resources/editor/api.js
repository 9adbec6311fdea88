// The HTTP API, with the bearer token on every call; errors are problem+json (RFC 9457).

/** A refused request: `status`, the problem's stable `code`, the whole `problem`, and the
 * seconds `Retry-After` asks to wait (a 429 or 503; null when not sent). */
export class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code || 'http_error';
    this.problem = problem || {};
    this.retryAfter = retryAfter;
  }
}

async function body(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text.slice(0, 200) };
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const PROJECTS_PER_PAGE = 20;

/** A key for one logical write: sent again with it, the write is answered, not redone. */
export function newIdempotencyKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The API as functions, one per route the editor uses. Every write carries an
 * Idempotency-Key: `key` when given (to send one write again), else a fresh one; a write on a
 * revision names it in If-Match (`baseRevision`, as the strong ETag `"5"`). */
export function createApi(token) {
  async function call(method, path, payload, key, baseRevision) {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (WRITES.has(method)) headers['Idempotency-Key'] = key || newIdempotencyKey();
    if (baseRevision !== undefined) headers['If-Match'] = `"${baseRevision}"`;
    const init = { method, headers, cache: 'no-store' };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(payload);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw new ApiError(0, { code: 'network_error', detail: `network error: ${error.message}` });
    }
    const data = response.status === 204 ? null : await body(response);
    if (!response.ok) {
      const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
      throw new ApiError(response.status, data, Number.isNaN(retryAfter) ? null : retryAfter);
    }
    return data;
  }
  const lecture = (id) => `/lectures/${encodeURIComponent(id)}`;
  return {
    /** A page of my projects, newest first: `{items, nextBefore}`; `before` is the previous
     * page's `nextBefore` (null: no more). */
    listProjects: (before) =>
      call('GET', `/projects?limit=${PROJECTS_PER_PAGE}${before ? `&before=${before}` : ''}`),
    createProject: (prompt) => call('POST', '/projects', { prompt }),
    getLecture: (id) => call('GET', lecture(id)),
    /** Auto-save: the dirty sections on a base revision, merged per JSON path when stale;
     * `key` names this save (the same key when it is sent again after a lost answer). */
    save: (id, payload, baseRevision, key) =>
      call('PATCH', lecture(id), { payload, merge: true }, key, baseRevision),
    history: (id) => call('GET', `${lecture(id)}/history?limit=50`),
    diff: (id, from, to) => call('GET', `${lecture(id)}/diff?from=${from}&to=${to}`),
    restore: (id, revision, baseRevision) =>
      call('POST', `${lecture(id)}/history/${revision}/restore`, undefined, undefined,
        baseRevision),
    listDrafts: (id) => call('GET', `${lecture(id)}/drafts`),
    applyDraft: (id, draftId) => call('POST', `${lecture(id)}/drafts/${draftId}/apply`),
    discardDraft: (id, draftId) => call('DELETE', `${lecture(id)}/drafts/${draftId}`),
    getRun: (runId) => call('GET', `/workflow-runs/${encodeURIComponent(runId)}`),
    regenerate: (id, kind, assetId, prompt) =>
      call(
        'POST',
        `${lecture(id)}/assets/${kind}/${encodeURIComponent(assetId)}/regenerate`,
        prompt ? { prompt } : {},
      ),
    accept: (runId) => call('POST', `/workflow-runs/${encodeURIComponent(runId)}/accept`, {}),
    reject: (runId) => call('POST', `/workflow-runs/${encodeURIComponent(runId)}/reject`),
    /** The raw response of the event stream (read by events.js). */
    openEvents: (id, lastEventId, signal) => {
      const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      return fetch(`${lecture(id)}/events`, { headers, signal, cache: 'no-store' });
    },
  };
}

/** The user id a development token names (its `sub`), for display only. */
export function tokenUser(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(part)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    return JSON.parse(json).sub ?? null;
  } catch {
    return null;
  }
}
