// The lecture's history: who changed which sections (by name while they are on the lecture,
// else their user id); each revision's changes (the diff route, JSON Patch per
// section) and "restore" (a new revision with that content; not for a viewer).

import { reason } from '../api.js';
import { h, replace } from '../dom.js';

const short = (value) => {
  const text = JSON.stringify(value);
  return text === undefined ? '' : text.length > 90 ? `${text.slice(0, 87)}…` : text;
};

function patchLines(sections) {
  const lines = [];
  for (const [section, operations] of Object.entries(sections)) {
    for (const op of operations) {
      const value = 'value' in op ? ` → ${short(op.value)}` : '';
      lines.push(`${section}: ${op.op} ${op.path || '/'}${value}`);
    }
  }
  return lines.length ? lines.join('\n') : 'no change';
}

export function createHistory(container, { api, lectureId, onRestore, nameOf = (id) => id, canRestore = () => true }) {
  const list = h('ol', { class: 'revisions', 'aria-label': 'Revisions' });
  const note = h('p', { class: 'muted', role: 'status', 'aria-label': 'History status' });
  let open = false;

  async function load() {
    try {
      const page = await api.listHistory(lectureId, { limit: 50 });
      replace(list, page.items.map((item) => {
        const changes = h('pre', { class: 'diff', hidden: true, 'aria-label': `Changes of revision ${item.revision}` });
        const show = async () => {
          if (!changes.hidden) {
            changes.hidden = true;
            return;
          }
          changes.hidden = false;
          changes.textContent = 'Loading…';
          try {
            const diff = await api.diff(lectureId, Math.max(0, item.revision - 1), item.revision);
            changes.textContent = patchLines(diff.sections);
          } catch (problem) {
            changes.textContent = `Could not load the changes: ${reason(problem)}`;
          }
        };
        const who = item.restoredFrom != null ? `restored ${item.restoredFrom}` : item.source;
        return h('li', { 'data-revision': String(item.revision) },
          h('div', { class: 'revision-line' },
            h('strong', {}, `Revision ${item.revision}`),
            h('span', { class: 'muted' }, ` ${who} · `),
            h('span', { class: 'author', title: item.createdBy ?? '' }, item.createdBy ? nameOf(item.createdBy) : '—'),
            h('span', { class: 'muted' }, ` · ${item.changedSections.join(', ') || 'nothing'}`)),
          h('div', { class: 'actions' },
            item.revision > 0 ? h('button', { type: 'button', class: 'small', onclick: show,
              'aria-label': `Show changes of revision ${item.revision}` }, 'Changes') : null,
            !canRestore() ? null : h('button', { type: 'button', class: 'small secondary',
              'aria-label': `Restore revision ${item.revision}`,
              onclick: async () => {
                note.textContent = `Restoring revision ${item.revision}…`;
                note.textContent = await onRestore(item.revision);
              } }, 'Restore')),
          changes);
      }));
    } catch (problem) {
      note.textContent = `Could not load the history: ${reason(problem)}`;
    }
  }

  const toggle = h('button', { type: 'button', 'aria-expanded': 'false', class: 'secondary' }, 'Show history');
  const body = h('div', { hidden: true }, note, list);
  toggle.addEventListener('click', () => {
    open = !open;
    body.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide history' : 'Show history';
    if (open) load();
  });
  replace(container, h('h2', { id: 'history-title' }, 'History'), toggle, body);
  return {
    /** The lecture has a new revision: refresh the list when it is shown. */
    refresh() {
      if (open) load();
    },
  };
}
