// The editor page: sign-in, the projects list and the lecture editor, chosen by the URL hash
// (#/projects, #/lectures/5, #/lectures/5?run=<runId> right after a generation started).
// `?debounce=ms` in the page URL overrides the auto-save delay (tests use a short one).
// Signed in through the app when the service names its token URL (/editor/config.json:
// TUTOPANDA_EDITOR_TOKEN_URL), else with a pasted development token kept for this tab.

import { appTokens, createApi, reason, tokenUser } from './api.js';
import { h, replace } from './dom.js';
import { DEFAULT_DEBOUNCE_MS } from './vendor/client.js';
import { renderLecture } from './views/lecture.js';
import { renderProjects } from './views/projects.js';
import { renderSignIn } from './views/signin.js';

const TOKEN_KEY = 'tutopanda.token';
const main = document.getElementById('main');
const account = document.getElementById('account');
let current = null; // the view on screen: {dispose()}
let app = null; // the app's tokens (appTokens) when the page signs in through the app
let routing = 0; // the latest route(): one that waited for a token and is no longer it stops

function debounceMs() {
  const asked = Number(new URLSearchParams(location.search).get('debounce'));
  return Number.isFinite(asked) && asked >= 0 && asked <= 600000 ? asked || DEFAULT_DEBOUNCE_MS : DEFAULT_DEBOUNCE_MS;
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  route();
}

function showAccount(token) {
  if (!token) {
    replace(account);
    return;
  }
  replace(
    account,
    h('span', { class: 'who' }, `Signed in as ${tokenUser(token) ?? 'unknown user'}`),
    h('a', { href: '#/projects' }, 'Projects'),
    app ? null : h('button', { type: 'button', class: 'quiet', onclick: signOut }, 'Sign out'),
  );
}

/** Not signed in to the app (or the app cannot be reached): say so, offer to try again. */
function showAppSignIn(problem) {
  current?.dispose?.();
  current = null;
  showAccount(null);
  replace(
    main,
    h('section', { class: 'card narrow', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title' }, 'Sign in'),
      h('p', { class: 'error', role: 'alert' }, problem.status === 401
        ? 'You are not signed in to the app: sign in there, then try again.'
        : `The app's sign-in could not be reached: ${reason(problem)}`),
      h('button', { type: 'button', onclick: () => route() }, 'Try again')),
  );
}

async function route() {
  current?.dispose?.();
  current = null;
  if (app) {
    const turn = ++routing;
    try {
      await app();
    } catch (problem) {
      if (turn === routing) showAppSignIn(problem);
      return;
    }
    if (turn !== routing) return;
    show(app, app.current(), () => showAppSignIn({ status: 401 }));
    return;
  }
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    showAccount(null);
    current = renderSignIn(main, {
      onSignedIn(newToken) {
        sessionStorage.setItem(TOKEN_KEY, newToken);
        route();
      },
    });
    return;
  }
  show(token, token, () => signOut());
}

/** The projects or a lecture, as the URL hash says, calling the API with `tokens`. */
function show(tokens, token, onUnauthorized) {
  showAccount(token);
  const api = createApi(tokens);
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const lecture = path.match(/^\/lectures\/(\d+)$/);
  if (lecture) {
    const params = new URLSearchParams(query);
    current = renderLecture(main, {
      api,
      lectureId: Number(lecture[1]),
      watchRun: params.get('run'),
      debounceMs: debounceMs(),
      onUnauthorized,
      me: tokenUser(token),
    });
  } else {
    current = renderProjects(main, {
      api,
      onUnauthorized,
      onCreated: ({ lectureId, runId }) => {
        location.hash = `#/lectures/${lectureId}?run=${encodeURIComponent(runId)}`;
      },
    });
  }
}

async function start() {
  try {
    const response = await fetch('/editor/config.json', { cache: 'no-store' });
    const { tokenUrl } = response.ok ? await response.json() : {};
    if (tokenUrl) app = appTokens(tokenUrl);
  } catch {
    // no configuration: the development sign-in
  }
  window.addEventListener('hashchange', route);
  route();
}

start();
