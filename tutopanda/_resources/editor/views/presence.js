// Presence: who else has this lecture open (the editor session's `onPresence`, from the event
// stream) and what each is working on; and my own focus, sent when it changes. The server sends
// at most ten focus changes a second per member; this page keeps at most one request in flight
// and sends the latest focus after it.

import { h, replace } from '../dom.js';

/** Up to two initials of a display name ("Ada Lovelace" -> "AL", "bob" -> "B"). */
export function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  return words.slice(0, 2).map((word) => [...word][0].toUpperCase()).join('') || '?';
}

/** "Bob", "Bob and Carol", "Bob, Carol and Dan". */
export function listNames(people) {
  const names = people.map((person) => person.name);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** A focus as the page says it: "timeline visual-1-0", "script segment 2", "title". */
function focusText(focus) {
  if (!focus) return '';
  const segment = /^segment-(\d+)$/.exec(focus.itemId ?? '');
  if (focus.section === 'script' && segment) return `script segment ${Number(segment[1]) + 1}`;
  return focus.itemId ? `${focus.section} ${focus.itemId}` : focus.section;
}

const sameFocus = (a, b) => (a?.section ?? null) === (b?.section ?? null)
  && (a?.itemId ?? null) === (b?.itemId ?? null);

/** The script segment at `index` as a focus's item id (segments have no ids of their own). */
export const segmentItem = (index) => `segment-${index}`;

export function createPresence({ api, lectureId, me }) {
  let present = new Map(); // userId -> {userId, name, focus}: the session's, as last told
  let others = []; // the others present, by name then id: the same order on every page
  const listeners = new Set();
  const list = h('ul', { class: 'present', 'aria-label': 'Also on this lecture' });
  let mine = null;
  let sending = false;
  let again = false;

  function render() {
    replace(list, others.map((person) => {
      const on = person.focus ? ` (on ${focusText(person.focus)})` : '';
      return h('li', { class: 'person', title: `${person.name}${on}`, 'data-user': person.userId },
        initials(person.name));
    }));
    for (const listener of listeners) listener();
  }

  /** Who is on the lecture now, by user id (the session's `onPresence`). */
  function show(people) {
    present = people;
    others = [...people.values()].filter((person) => person.userId !== me)
      .sort((a, b) => String(a.name).localeCompare(String(b.name)) || a.userId.localeCompare(b.userId));
    render();
  }

  async function send() {
    sending = true;
    try {
      do {
        again = false;
        // Presence is a courtesy: a failed update is not worth a retry or a message.
        await api.setFocus(lectureId, mine, { retry: { retries: 0 } }).catch(() => {});
      } while (again);
    } finally {
      sending = false;
    }
  }

  return {
    element: list,
    show,
    /** The others whose focus is this section (and this item, when given). */
    on(section, itemId = null) {
      return others.filter((person) => person.focus?.section === section
        && (itemId === null || person.focus.itemId === itemId));
    },
    /** A user's name as presence knows it (theirs while they are on the lecture), else
     * their id. */
    nameOf(userId) {
      return present.get(userId)?.name ?? userId;
    },
    /** Say what I am working on now (null: nothing in particular). */
    announce(focus) {
      if (sameFocus(focus, mine)) return;
      mine = focus ? { section: focus.section, itemId: focus.itemId ?? null } : null;
      if (sending) again = true;
      else send();
    },
    /** Call `listener()` whenever someone joins, leaves or moves. */
    onChange(listener) {
      listeners.add(listener);
    },
  };
}
