// My projects with their lectures (a page at a time), and a prompt box that starts a new
// lecture's generation.

import { reason } from '../api.js';
import { h, replace } from '../dom.js';

const PROJECTS_PER_PAGE = 20;

export function renderProjects(main, { api, onCreated, onUnauthorized }) {
  const list = h('div', { 'aria-live': 'polite' }, h('p', {}, 'Loading projects…'));
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const prompt = h('textarea', {
    id: 'prompt', name: 'prompt', rows: 3, required: true, maxlength: 4000,
    placeholder: 'Create a 5-minute lesson about … for middle school students.',
  });
  const create = h('button', { type: 'submit' }, 'Create lecture');

  async function submit(event) {
    event.preventDefault();
    const text = prompt.value.trim();
    if (!text) return;
    create.disabled = true;
    error.hidden = true;
    try {
      onCreated(await api.createProject(text));
    } catch (problem) {
      if (problem.status === 401) return onUnauthorized();
      error.textContent = problem.code === 'quota_exceeded'
        ? `Not now: ${reason(problem)}.${retryIn(problem.retryAfter)}`
        : `Could not create the lecture: ${reason(problem)}`;
      error.hidden = false;
      create.disabled = false;
    }
  }

  function retryIn(seconds) {
    if (!seconds) return '';
    const wait = seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
    return ` Try again in ${wait}.`;
  }

  function lectureItem(lecture) {
    return h('li', {},
      h('a', { href: `#/lectures/${lecture.id}` }, lecture.title || 'Untitled lecture'),
      h('span', { class: 'muted' }, ` revision ${lecture.revision}`));
  }

  function projectItem(project) {
    return h('li', {},
      h('h3', {}, project.name || `Project ${project.id}`),
      h('ul', { 'aria-label': `Lectures of project ${project.id}` },
        project.lectures.map(lectureItem)));
  }

  const items = h('ul', { class: 'projects', 'aria-label': 'Projects' });
  const older = h('button', { type: 'button', class: 'secondary', hidden: true },
    'Show older projects');

  /** The next page (the first when `before` is null), appended to the list. */
  async function load(before = null) {
    older.disabled = true;
    try {
      const page = await api.listProjects({ limit: PROJECTS_PER_PAGE, before: before ?? undefined });
      if (before === null && !page.items.length) {
        replace(list, h('p', { class: 'muted' }, 'No projects yet: start one from a prompt above.'));
        return;
      }
      if (before === null) replace(list, items, older);
      items.append(...page.items.map(projectItem));
      older.hidden = page.nextBefore === null;
      older.onclick = () => load(page.nextBefore);
    } catch (problem) {
      if (problem.status === 401) return onUnauthorized();
      replace(list, h('p', { class: 'error', role: 'alert' }, `Could not load: ${reason(problem)}`));
    } finally {
      older.disabled = false;
    }
  }

  replace(
    main,
    h('section', { class: 'card', 'aria-labelledby': 'new-title' },
      h('h1', { id: 'new-title' }, 'New lecture'),
      h('form', { onsubmit: submit },
        h('label', { for: 'prompt' }, 'Prompt'),
        prompt,
        error,
        create)),
    h('section', { class: 'card', 'aria-labelledby': 'projects-title' },
      h('h2', { id: 'projects-title' }, 'Projects'),
      list),
  );
  load();
  return { dispose() {} };
}
