// The conflict drafts of this lecture I may see (saves the server refused and kept: mine, and
// an owner sees everyone's, with whose it is): apply one onto the latest revision (merged per
// JSON path, or refused naming the paths) or discard it.

import { reason } from '../api.js';
import { h, replace } from '../dom.js';

export function createDrafts(container, { api, lectureId, onApplied, me = null, nameOf = (id) => id }) {
  const list = h('ul', { class: 'drafts', 'aria-label': 'Kept drafts' });
  const note = h('p', { class: 'muted', role: 'status', 'aria-label': 'Drafts status' });

  async function act(draft, apply) {
    try {
      if (apply) {
        const result = await api.applyDraft(lectureId, draft.id);
        note.textContent = `Draft #${draft.id} applied as revision ${result.revision}.`;
        await onApplied(result);
      } else {
        await api.deleteDraft(lectureId, draft.id);
        note.textContent = `Draft #${draft.id} discarded.`;
      }
    } catch (problem) {
      const paths = (problem.problem?.conflicts ?? []).map((c) => c.pointer).join(', ');
      note.textContent = `Draft #${draft.id} was not applied: ${paths ? `changed since at ${paths}` : reason(problem)}`;
    }
    await load();
  }

  async function load() {
    let drafts = [];
    try {
      drafts = await api.listDrafts(lectureId);
    } catch {
      return;
    }
    container.hidden = drafts.length === 0 && !note.textContent;
    replace(list, drafts.map((draft) => h('li', {},
      h('strong', {}, `Draft #${draft.id}`),
      h('span', { class: 'muted' }, ` ${Object.keys(draft.sections).join(', ')} on revision ${draft.baseRevision}${draft.userId && draft.userId !== me ? ` by ${nameOf(draft.userId)}` : ''}`),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `Apply draft #${draft.id}`,
          onclick: () => act(draft, true) }, 'Apply'),
        h('button', { type: 'button', class: 'small secondary', 'aria-label': `Discard draft #${draft.id}`,
          onclick: () => act(draft, false) }, 'Discard')))));
  }

  container.hidden = true;
  replace(container, h('h2', { id: 'drafts-title' }, 'Kept drafts'), note, list);
  return { refresh: load };
}
