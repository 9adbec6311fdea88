// The HTTP API: the TypeScript client of clients/typescript (bundled as vendor/client.js by
// `make editor-client`), with the bearer token on every call. Its errors are typed by the
// problem's `code` (ProblemError: `status`, `code`, `detail`, `problem`, `retryAfter`), and
// TransportError when no answer came; every write carries an Idempotency-Key, the same on its
// retries.

import { TransportError, TutopandaClient } from './vendor/client.js';

/** What to show of a refused call: the problem's own words. */
export function reason(error) {
  return error?.detail || error?.message || String(error);
}

/** Not signed in to the app: a 401 of the sign-in itself (the page shows its sign-in). */
export class SignInRequired extends Error {
  constructor(detail) {
    super(detail);
    this.status = 401;
    this.code = 'unauthorized';
    this.detail = detail;
  }
}

/** The API as the client, signed in with `tokens`: a pasted development token, or a source of
 * the app's (`appTokens`), asked before every call and asked for a fresh one when a call is 401
 * (that call is then sent once more: nothing was written). */
export function createApi(tokens) {
  const token = typeof tokens === 'function' ? ({ refresh }) => tokens({ fresh: refresh }) : tokens;
  return new TutopandaClient({ baseUrl: location.origin, token });
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
 * refused it. Not signed in to the app: SignInRequired (401); the app unreachable or failing: a
 * TransportError, which a save treats as offline and retries. */
export function appTokens(tokenUrl) {
  let token = null;
  let refreshAt = 0;
  let pending = null;
  const unreachable = (detail) => new TransportError(detail);
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
      throw new SignInRequired('not signed in to the app');
    }
    const data = response.ok ? await response.json().catch(() => null) : null;
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
  source.current = () => token;
  return source;
}
