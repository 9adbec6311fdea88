// The script's segments, one text box each: typing edits the `script` section of the draft.
// A segment someone else is on carries their initials and a note; focusing a box says so
// (presence: `onFocus(index)`, `onBlur()`).

import { h, replace } from '../dom.js';
import { initials, listNames } from './presence.js';

export function renderScript(container, store, { readOnly = false, onFocus = () => {}, onBlur = () => {} } = {}) {
  const segments = store.draft?.script?.segments ?? [];
  if (!segments.length) {
    replace(container, h('p', { class: 'muted' }, 'No script yet.'));
    return;
  }
  replace(container, h('ol', { class: 'segments' }, segments.map((segment, index) => {
    const id = `segment-${index}`;
    const text = h('textarea', { id, rows: 3, value: segment.narration ?? '' });
    text.readOnly = readOnly;
    text.addEventListener('input', () => {
      if (readOnly || !text.value.trim()) return; // a segment's narration cannot be empty
      store.edit('script', (script) => {
        script.segments[index].narration = text.value;
      });
    });
    text.addEventListener('focus', () => onFocus(index));
    text.addEventListener('blur', () => onBlur(index));
    return h('li', { 'data-segment': String(index) },
      h('label', { for: id }, `Segment ${index + 1} narration`,
        h('span', { class: 'segment-marker', hidden: true, 'aria-hidden': 'true' })),
      h('p', { class: 'others-note', role: 'note', hidden: true }),
      text,
      h('p', { class: 'muted small' }, `Music: ${segment.backgroundMusic ?? '—'} · Effect: ${segment.effect ?? '—'}`));
  })));
}

/** Mark the segments others are on (`othersOn(index)`: those people), in place: the text
 * boxes keep their focus and selection. */
export function markSegments(container, othersOn) {
  for (const item of container.querySelectorAll('li[data-segment]')) {
    const others = othersOn(Number(item.dataset.segment));
    const marker = item.querySelector('.segment-marker');
    const note = item.querySelector('.others-note');
    marker.hidden = !others.length;
    marker.textContent = others.map((person) => initials(person.name)).join(' ');
    note.hidden = !others.length;
    note.textContent = others.length
      ? `${listNames(others)} ${others.length > 1 ? 'are' : 'is'} editing this segment too: if you both change it, the later save is a conflict.`
      : '';
  }
}
