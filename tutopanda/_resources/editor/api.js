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

/** The API as functions, one per route the editor uses. `tokens` is the bearer token: a
 * pasted development token, or a source of the app's (`appTokens`), asked before every call and
 * asked for a fresh one when a call is 401 (that call is then sent once more: nothing was
 * written). Every write carries an Idempotency-Key: `key` when given (to send one write again),
 * else a fresh one; a write on a revision names it in If-Match (`baseRevision`, as the strong
 * ETag `"5"`). */
export function createApi(tokens) {
  const source = typeof tokens === 'function' ? tokens : async () => tokens;
  async function authorized(response, send) {
    if (response.status !== 401 || !source.refreshable) return response;
    return send(await source({ fresh: true }));
  }
  async function call(method, path, payload, key, baseRevision) {
    const headers = { Accept: 'application/json' };
    if (WRITES.has(method)) headers['Idempotency-Key'] = key || newIdempotencyKey();
    if (baseRevision !== undefined) headers['If-Match'] = `"${baseRevision}"`;
    const init = { method, headers, cache: 'no-store' };
    if (payload !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(payload);
    }
    const send = async (token) => {
      headers.Authorization = `Bearer ${token}`;
      try {
        return await fetch(path, init);
      } catch (error) {
        throw new ApiError(0, { code: 'network_error', detail: `network error: ${error.message}` });
      }
    };
    const response = await authorized(await send(await source()), send);
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
    /** What I am working on (`{section, itemId}`, or null): others see it as presence. */
    setFocus: (id, focus) => call('PUT', `${lecture(id)}/presence`, { focus }),
    listMembers: (projectId) => call('GET', `/projects/${encodeURIComponent(projectId)}/members`),
    /** Add a member or change their role (owners only). */
    setMember: (projectId, userId, role) =>
      call('PUT', `/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(userId)}`,
        { role }),
    removeMember: (projectId, userId) =>
      call('DELETE', `/projects/${encodeURIComponent(projectId)}/members/${encodeURIComponent(userId)}`),
    /** The raw response of the event stream (read by events.js). */
    openEvents: async (id, lastEventId, signal) => {
      const send = (token) => {
        const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        return fetch(`${lecture(id)}/events`, { headers, signal, cache: 'no-store' });
      };
      return authorized(await send(await source()), send);
    },
  };
}

/** The claims of a JWT, not verified (for display and timing only), or null. */
export function tokenClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(part)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    const claims = JSON.parse(json);
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** The user id a token names (its `sub`), for display only. */
export function tokenUser(token) {
  return tokenClaims(token)?.sub ?? null;
}

/** The app's tokens for its signed-in user: `GET tokenUrl` with the browser's cookies answers
 * `{"token": …}` (better-auth's /api/auth/token). A token is fetched again once three quarters
 * of its life (`exp` - `iat`) have passed here, at most a minute before its end — timed by this
 * page's clock from the fetch, so a skewed clock does not matter — and at once when the API
 * refused it. Not signed in to the app: an ApiError 401; the app unreachable or failing: an
 * ApiError 0 (network_error), which a save treats as offline and retries. */
export function appTokens(tokenUrl) {
  let token = null;
  let refreshAt = 0;
  let pending = null;
  const unreachable = (detail) => new ApiError(0, { code: 'network_error', detail });
  async function fetchToken() {
    let response;
    try {
      response = await fetch(tokenUrl, {
        credentials: 'include', cache: 'no-store', headers: { Accept: 'application/json' },
      });
    } catch (error) {
      throw unreachable(`the app's sign-in could not be reached: ${error.message}`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new ApiError(401, { code: 'unauthorized', detail: 'not signed in to the app' });
    }
    const data = response.ok ? await body(response) : null;
    if (typeof data?.token !== 'string') {
      throw unreachable(`the app's sign-in answered HTTP ${response.status} without a token`);
    }
    const claims = tokenClaims(data.token) ?? {};
    const lifetime = typeof claims.exp === 'number' && typeof claims.iat === 'number'
      ? (claims.exp - claims.iat) * 1000 : 60000;
    refreshAt = Date.now() + lifetime - Math.min(60000, lifetime / 4);
    token = data.token;
  }
  const source = async ({ fresh = false } = {}) => {
    if (fresh || token === null || Date.now() >= refreshAt) {
      pending ??= fetchToken().finally(() => { pending = null; });
      await pending;
    }
    return token;
  };
  source.refreshable = true;
  source.current = () => token;
  return source;
}
