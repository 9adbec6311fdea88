// The script's segments, one text box each: typing edits the `script` section of the draft.

import { h, replace } from '../dom.js';

export function renderScript(container, store) {
  const segments = store.draft?.script?.segments ?? [];
  if (!segments.length) {
    replace(container, h('p', { class: 'muted' }, 'No script yet.'));
    return;
  }
  replace(container, h('ol', { class: 'segments' }, segments.map((segment, index) => {
    const id = `segment-${index}`;
    const text = h('textarea', { id, rows: 3, value: segment.narration ?? '' });
    text.addEventListener('input', () => {
      if (!text.value.trim()) return; // a segment's narration cannot be empty
      store.edit('script', (script) => {
        script.segments[index].narration = text.value;
      });
    });
    return h('li', {},
      h('label', { for: id }, `Segment ${index + 1} narration`),
      text,
      h('p', { class: 'muted small' }, `Music: ${segment.backgroundMusic ?? '—'} · Effect: ${segment.effect ?? '—'}`));
  })));
}
