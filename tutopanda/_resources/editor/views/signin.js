// Sign in by pasting a development token (`tutopanda token --user ID` prints one); it is checked
// against the API and kept in sessionStorage for this tab.

import { createApi, reason } from '../api.js';
import { h, replace } from '../dom.js';

export function renderSignIn(main, { onSignedIn }) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const input = h('textarea', {
    id: 'token', name: 'token', rows: 4, required: true, spellcheck: 'false', autocomplete: 'off',
    placeholder: 'eyJhbGciOiJIUzI1NiIs…',
  });
  async function submit(event) {
    event.preventDefault();
    const token = input.value.trim();
    error.hidden = true;
    try {
      await createApi(token).listProjects();
      onSignedIn(token);
    } catch (problem) {
      error.textContent = problem.status === 401
        ? 'This token was refused: make a new one with `tutopanda token --user ID`.'
        : `Could not sign in: ${reason(problem)}`;
      error.hidden = false;
    }
  }
  replace(
    main,
    h('section', { class: 'card narrow', 'aria-labelledby': 'signin-title' },
      h('h1', { id: 'signin-title' }, 'Sign in'),
      h('p', {}, 'Paste a development token. Make one with ',
        h('code', {}, 'tutopanda token --user alice'), '.'),
      h('form', { onsubmit: submit },
        h('label', { for: 'token' }, 'Development token'),
        input,
        error,
        h('button', { type: 'submit' }, 'Sign in'))),
  );
  input.focus();
  return { dispose() {} };
}
