// The lecture editor: header with the save status, the notice banner, generation progress,
// the timeline to scale, the clip inspector, the script and the history. Wires the store, the
// auto-save controller and the event stream together.

import { followEvents } from '../events.js';
import { h, replace } from '../dom.js';
import { SaveController } from '../save.js';
import { EditorStore } from '../store.js';
import { createBanner } from './banner.js';
import { createDrafts } from './drafts.js';
import { createHistory } from './history.js';
import { renderInspector } from './inspector.js';
import { createProgress } from './progress.js';
import { renderScript } from './script.js';
import { findClip, renderTimeline } from './timeline.js';

const STATUS_TEXT = {
  idle: 'Idle',
  saving: 'Saving…',
  saved: 'All changes saved',
  conflict: 'Conflict: choose below',
  error: 'Save failed',
};

function who(events) {
  const actors = [...new Set(events.map((e) => `${e.actor ?? 'someone'}${e.source && e.source !== 'app' ? ` (${e.source})` : ''}`))];
  const sections = [...new Set(events.flatMap((e) => e.changedSections ?? []))];
  return { actors: actors.join(', '), sections: sections.join(', ') };
}

/** Up to two initials of a display name ("Ada Lovelace" -> "AL", "bob" -> "B"). */
function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  return words.slice(0, 2).map((word) => [...word][0].toUpperCase()).join('') || '?';
}

export function renderLecture(main, { api, lectureId, watchRun, debounceMs, onUnauthorized, me = null }) {
  const store = new EditorStore();
  const saver = new SaveController({ store, api, lectureId, debounceMs });
  let selectedId = null;
  const regenerationNotes = new Map(); // image id -> the last regeneration message
  let inspector = { stop() {} };
  let stream = null;
  let disposed = false;

  const title = h('input', { id: 'lecture-title', class: 'title-input', 'aria-label': 'Title', value: '' });
  const revision = h('span', { class: 'revision muted', 'aria-label': 'Revision' });
  const status = h('p', { class: 'save-status', role: 'status', 'aria-label': 'Save status', 'data-status': 'idle' }, STATUS_TEXT.idle);
  const live = h('span', { class: 'live', 'data-state': 'connecting' }, 'connecting…');
  const retry = h('button', { type: 'button', class: 'small', hidden: true, onclick: () => saver.flush() }, 'Retry save');
  // Who else has the lecture open (presence events of the stream), by user id.
  const present = new Map();
  const people = h('ul', { class: 'present', 'aria-label': 'Also on this lecture' });
  function showPeople() {
    const others = [...present.values()].filter((person) => person.userId !== me);
    replace(people, others.map((person) => {
      const on = person.focus ? ` (on ${person.focus.section}${person.focus.itemId ? ` ${person.focus.itemId}` : ''})` : '';
      return h('li', { class: 'person', title: `${person.name}${on}`, 'data-user': person.userId }, initials(person.name));
    }));
  }
  function onPresence(data) {
    const change = data.kind;
    if (change === 'state') {
      present.clear();
      for (const person of data.present ?? []) present.set(person.userId, person);
    } else if (change === 'left') {
      present.delete(data.userId);
    } else if (change === 'joined' || change === 'focus') {
      present.set(data.userId, { userId: data.userId, name: data.name, focus: data.focus ?? null });
    }
    showPeople();
  }
  const bannerBox = h('div', { class: 'banner-box' });
  const progressBox = h('section', { class: 'card progress', 'aria-label': 'Generation' });
  const timelineBox = h('div', { class: 'timeline' });
  const inspectorBox = h('div', {});
  const scriptBox = h('div', {});
  const historyBox = h('section', { class: 'card', 'aria-labelledby': 'history-title' });
  const draftsBox = h('section', { class: 'card', 'aria-labelledby': 'drafts-title' });
  const banner = createBanner(bannerBox);
  const progress = createProgress(progressBox);

  async function pull() {
    const latest = await api.getLecture(lectureId);
    if (!store.isDirty && !saver.inFlight && !saver.conflict) store.adopt(latest);
  }

  const history = createHistory(historyBox, {
    api,
    lectureId,
    async onRestore(revisionNumber) {
      if (store.isDirty || saver.inFlight || saver.conflict) return 'Wait until your edits are saved, then restore.';
      try {
        const result = await api.restore(lectureId, revisionNumber, store.revision);
        saver.ownRevisions.add(result.revision);
        await pull();
        history.refresh();
        return `Restored revision ${revisionNumber} as revision ${result.revision}.`;
      } catch (problem) {
        await pull().catch(() => {});
        return `Could not restore: ${problem.message}`;
      }
    },
  });

  const drafts = createDrafts(draftsBox, {
    api,
    lectureId,
    async onApplied(result) {
      saver.ownRevisions.add(result.revision);
      await pull();
    },
  });

  function showInspector() {
    inspector.stop();
    if (selectedId && !findClip(store.draft?.timeline, selectedId)) selectedId = null;
    inspector = renderInspector(inspectorBox, {
      store, api, lectureId, clipId: selectedId, notes: regenerationNotes,
      onAccepted: async (result) => {
        saver.ownRevisions.add(result.revision);
        await pull();
      },
    });
  }

  function refocus(render) {
    const focused = document.activeElement?.id;
    const selection = focused && 'selectionStart' in document.activeElement
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    render();
    const again = focused && document.getElementById(focused);
    if (again && again !== document.activeElement) {
      again.focus();
      if (selection) try { again.setSelectionRange(...selection); } catch { /* number inputs */ }
    }
  }

  store.addEventListener('change', () => {
    revision.textContent = `revision ${store.revision ?? '—'}`;
    renderTimeline(timelineBox, store.draft?.timeline, { selectedId, onSelect: select });
  });
  store.addEventListener('adopted', () => {
    refocus(() => {
      if (document.activeElement !== title) title.value = store.draft?.title ?? '';
      renderScript(scriptBox, store);
      showInspector();
    });
    history.refresh();
  });
  title.addEventListener('input', () => {
    if (title.value.trim()) store.edit('title', () => title.value);
  });

  function select(clipId) {
    selectedId = clipId;
    renderTimeline(timelineBox, store.draft?.timeline, { selectedId, onSelect: select });
    showInspector();
  }

  saver.addEventListener('status', ({ detail }) => {
    status.dataset.status = detail.status;
    status.textContent = detail.status === 'error'
      ? `${STATUS_TEXT.error}: ${detail.detail}`
      : detail.status === 'idle' && detail.detail ? `Idle: ${detail.detail}` : STATUS_TEXT[detail.status];
    retry.hidden = detail.status !== 'error';
    if (detail.status === 'saved') history.refresh();
  });
  saver.addEventListener('remote', ({ detail }) => {
    const byPeople = detail.events.filter((e) => e.source !== 'workflow' || e.restoredFrom != null);
    if (!byPeople.length && !detail.merged) return;
    const { actors, sections } = who(detail.merged ? detail.events : byPeople);
    banner.show(detail.merged
      ? { title: `Updated by ${actors}:`, text: `your edit was merged with their changes (${sections}); both are kept.` }
      : { title: `Updated by ${actors}:`, text: `the page now shows their changes (${sections}).` });
  });
  saver.addEventListener('conflict', ({ detail }) => {
    drafts.refresh();
    banner.conflict(detail, {
      onReload: async () => {
        await saver.reload();
        drafts.refresh();
        banner.show({ title: 'Reloaded:', text: 'the page shows the latest revision; your edit was dropped.' });
      },
      onReapply: async () => {
        banner.clear();
        await saver.reapply();
        drafts.refresh();
      },
      onKeep: async () => {
        const draftId = await saver.keepDraft();
        drafts.refresh();
        banner.show({
          title: `Kept as draft #${draftId}:`,
          text: `your edit is kept on the server (GET /lectures/${lectureId}/drafts/${draftId}); the page shows the latest revision.`,
        });
      },
    });
  });

  function onEvent({ type, data }) {
    if (type === 'lecture.revised') {
      saver.onRevised(data).catch(() => {});
    } else if (type === 'workflow.progress') {
      if (progress.update(data) && data.status === 'succeeded') pull().catch(() => {});
    } else if (type === 'presence') {
      onPresence(data);
    } else if (type === 'lecture.state' || type === 'resync') {
      for (const run of data.runs ?? []) progress.update({ lectureId, ...run });
      if (type === 'resync' || data.revision > (store.revision ?? -1)) {
        saver.onRevised({ revision: data.revision, source: 'workflow' }).catch(() => {});
      }
    }
  }

  replace(main,
    h('section', { class: 'lecture', 'aria-label': 'Lecture editor' },
      h('header', { class: 'lecture-head' },
        h('div', { class: 'title-row' }, h('h1', { class: 'visually-hidden' }, 'Lecture'), title, revision),
        h('div', { class: 'status-row' }, status, retry, people, live)),
      bannerBox,
      progressBox,
      h('div', { class: 'columns' },
        h('div', { class: 'main-column' },
          h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
            h('h2', { id: 'timeline-title' }, 'Timeline'), timelineBox),
          h('section', { class: 'card', 'aria-labelledby': 'script-title' },
            h('h2', { id: 'script-title' }, 'Script'), scriptBox)),
        h('aside', { class: 'side-column' },
          h('section', { class: 'card', 'aria-labelledby': 'clip-title' },
            h('h2', { id: 'clip-title' }, 'Clip'), inspectorBox),
          draftsBox,
          historyBox))));

  (async () => {
    try {
      store.adopt(await api.getLecture(lectureId));
    } catch (problem) {
      if (problem.status === 401) return onUnauthorized();
      replace(main, h('p', { class: 'error', role: 'alert' },
        problem.status === 404 ? `Lecture ${lectureId} was not found.` : `Could not load: ${problem.message}`),
      h('a', { href: '#/projects' }, 'Back to projects'));
      return;
    }
    if (disposed) return;
    drafts.refresh();
    stream = followEvents(api, lectureId, {
      lastEventId: watchRun ? '0.0' : null, // replay the run from its first step
      onEvent,
      onState: (state) => {
        live.dataset.state = state;
        live.textContent = state === 'open' ? 'live' : state;
      },
    });
  })();

  return {
    dispose() {
      disposed = true;
      stream?.stop();
      saver.dispose();
      inspector.stop();
    },
  };
}
