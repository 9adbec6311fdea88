// The editor page: sign-in, the projects list and the lecture editor, chosen by the URL hash
// (#/projects, #/lectures/5, #/lectures/5?run=<runId> right after a generation started).
// `?debounce=ms` in the page URL overrides the auto-save delay (tests use a short one).

import { createApi, tokenUser } from './api.js';
import { h, replace } from './dom.js';
import { DEFAULT_DEBOUNCE_MS } from './save.js';
import { renderLecture } from './views/lecture.js';
import { renderProjects } from './views/projects.js';
import { renderSignIn } from './views/signin.js';

const TOKEN_KEY = 'tutopanda.token';
const main = document.getElementById('main');
const account = document.getElementById('account');
let current = null; // the view on screen: {dispose()}

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
    h('button', { type: 'button', class: 'quiet', onclick: signOut }, 'Sign out'),
  );
}

function route() {
  current?.dispose?.();
  current = null;
  const token = sessionStorage.getItem(TOKEN_KEY);
  showAccount(token);
  if (!token) {
    current = renderSignIn(main, {
      onSignedIn(newToken) {
        sessionStorage.setItem(TOKEN_KEY, newToken);
        route();
      },
    });
    return;
  }
  const api = createApi(token);
  const onUnauthorized = () => signOut();
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

window.addEventListener('hashchange', route);
route();
