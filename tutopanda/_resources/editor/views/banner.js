// The notice under the lecture's header: another writer's changes (merged or pulled), or a
// refused save with its choices. role="alert": screen readers announce it.

import { h, replace } from '../dom.js';

const describe = (value) => {
  if (value === undefined) return '(absent)';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

export function createBanner(container) {
  return {
    clear() {
      replace(container);
    },
    /** kind: 'info' | 'conflict' | 'error'; actions: [{label, onClick}] */
    show({ kind = 'info', title, text, items = [], actions = [] }) {
      const buttons = actions.map(({ label, onClick }) => h('button', {
        type: 'button',
        onclick: async (event) => {
          event.currentTarget.disabled = true;
          await onClick();
        },
      }, label));
      replace(container, h('div', { class: `banner ${kind}`, role: 'alert' },
        h('strong', {}, title), text ? h('span', {}, ` ${text}`) : null,
        items.length ? h('ul', {}, items.map((item) => h('li', {}, item))) : null,
        h('div', { class: 'actions' }, buttons,
          h('button', { type: 'button', class: 'quiet', onclick: () => replace(container) }, 'Dismiss'))));
    },
    conflict({ conflicts, draftId }, { onReload, onReapply, onKeep }) {
      this.show({
        kind: 'conflict',
        title: 'Conflict:',
        text: conflicts.length
          ? 'your edit and another writer changed the same thing.'
          : 'the lecture kept changing while your edit was being merged.',
        items: conflicts.map((c) => `${c.pointer}: yours ${describe(c.mine)}, theirs ${describe(c.theirs)}`),
        actions: [
          { label: 'Reload', onClick: onReload },
          { label: 'Re-apply', onClick: onReapply },
          { label: 'Keep as draft', onClick: onKeep },
        ],
      });
      if (draftId != null) container.querySelector('.banner').dataset.draftId = String(draftId);
    },
  };
}
