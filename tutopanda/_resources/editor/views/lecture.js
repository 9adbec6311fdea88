// The lecture editor: header with the save status and who else is here, the notice banner,
// generation progress, the timeline to scale, the clip inspector, the script, the project's
// people, kept drafts and the history. The editing loop is the TypeScript client's
// EditorSession (auto-save, merges, conflicts, live updates, presence: clients/typescript);
// this view renders what it says and hands it the user's edits. A viewer edits nothing.

import { reason } from '../api.js';
import { h, replace } from '../dom.js';
import { EditorSession } from '../vendor/client.js';
import { createBanner } from './banner.js';
import { createDrafts } from './drafts.js';
import { createHistory } from './history.js';
import { renderInspector } from './inspector.js';
import { createPresence, listNames, segmentItem } from './presence.js';
import { createProgress } from './progress.js';
import { markSegments, renderScript } from './script.js';
import { createSharing } from './sharing.js';
import { findClip, renderTimeline } from './timeline.js';

const STATUS_TEXT = {
  idle: 'Idle',
  saving: 'Saving…',
  saved: 'All changes saved',
  conflict: 'Conflict: choose below',
  error: 'Save failed',
};

// The reason of the `disconnect` that ends a stream of a member removed from the project.
const REMOVED = 'removed from the project';

function who(events, nameOf) {
  const actors = [...new Set(events.map((e) => `${e.actor ? nameOf(e.actor) : 'someone'}${e.source && e.source !== 'app' ? ` (${e.source})` : ''}`))];
  const sections = [...new Set(events.flatMap((e) => e.changedSections ?? []))];
  return { actors: actors.join(', '), sections: sections.join(', ') };
}

export function renderLecture(main, { api, lectureId, watchRun, debounceMs, onUnauthorized, me = null }) {
  let selectedId = null;
  const regenerationNotes = new Map(); // image id -> the last regeneration message
  let inspector = { stop() {} };
  let disposed = false;
  let ready = false; // the content is on screen (after my role is known)
  const ownRevisions = new Set(); // revisions this page made beside its saves (restore, accept, apply)
  let shownConflict = null;
  let namedUpTo = 0; // other writers' revisions up to this one were named already (a conflict)

  const title = h('input', { id: 'lecture-title', class: 'title-input', 'aria-label': 'Title', value: '' });
  const revision = h('span', { class: 'revision muted', 'aria-label': 'Revision' });
  const status = h('p', { class: 'save-status', role: 'status', 'aria-label': 'Save status', 'data-status': 'idle' }, STATUS_TEXT.idle);
  const live = h('span', { class: 'live', 'data-state': 'connecting' }, 'connecting…');
  const retry = h('button', { type: 'button', class: 'small', hidden: true, onclick: () => session.flush() }, 'Retry save');
  const viewOnly = h('span', { class: 'role-badge', hidden: true, title: 'You may read this lecture, not change it' }, 'View only');
  let readOnly = false;
  // Who else has the lecture open (the stream's presence events), and what I am on.
  const presence = createPresence({ api, lectureId, me });
  let sharing = null; // the People panel, once the lecture (and so its project) is known
  const clipNote = h('p', { class: 'others-note', role: 'note', hidden: true });
  const bannerBox = h('div', { class: 'banner-box' });
  const progressBox = h('section', { class: 'card progress', 'aria-label': 'Generation' });
  const timelineBox = h('div', { class: 'timeline' });
  const inspectorBox = h('div', {});
  const scriptBox = h('div', {});
  const historyBox = h('section', { class: 'card', 'aria-labelledby': 'history-title' });
  const draftsBox = h('section', { class: 'card', 'aria-labelledby': 'drafts-title' });
  const peopleBox = h('section', { class: 'card', 'aria-labelledby': 'people-title' });
  const banner = createBanner(bannerBox);
  const progress = createProgress(progressBox);

  const session = new EditorSession(api, lectureId, {
    debounceMs,
    policy: 'merge',
    events: watchRun ? { lastEventId: '0.0' } : undefined, // replay the run from its first step
    onStatus: showStatus,
    onSnapshot: () => {
      if (ready) adopted();
    },
    onRemote: showRemote,
    onPresence: (people) => presence.show(people),
    onProgress: (run) => progress.update(run),
    onEvent,
    onConnection: (state) => {
      live.dataset.state = state;
      live.textContent = state === 'open' ? 'live' : state;
    },
  });
  // What the views read and edit: the session's content (frozen), and edits made on a copy.
  const store = {
    get draft() {
      return session.content();
    },
    edit(section, change) {
      if (readOnly) return;
      session.update(section, change);
      showTimeline();
    },
  };
  const busy = () => session.status.dirty.length > 0 || session.status.status === 'saving'
    || session.conflict !== null;

  const history = createHistory(historyBox, {
    api,
    lectureId,
    nameOf: presence.nameOf,
    canRestore: () => !readOnly,
    async onRestore(revisionNumber) {
      if (busy()) return 'Wait until your edits are saved, then restore.';
      try {
        const result = await api.restoreRevision(lectureId, revisionNumber, { baseRevision: session.revision });
        ownRevisions.add(result.revision); // the session pulls it when its event arrives
        history.refresh();
        return `Restored revision ${revisionNumber} as revision ${result.revision}.`;
      } catch (problem) {
        return `Could not restore: ${reason(problem)}`;
      }
    },
  });

  const drafts = createDrafts(draftsBox, {
    api,
    lectureId,
    me,
    nameOf: presence.nameOf,
    onApplied(result) {
      ownRevisions.add(result.revision);
    },
  });

  function showInspector() {
    inspector.stop();
    if (selectedId && !findClip(store.draft?.timeline, selectedId)) selectedId = null;
    inspector = renderInspector(inspectorBox, {
      store, api, lectureId, clipId: selectedId, notes: regenerationNotes, readOnly,
      onAccepted: (result) => {
        ownRevisions.add(result.revision);
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

  const clipsOthersAreOn = (clipId) => presence.on('timeline', clipId);
  function showTimeline() {
    renderTimeline(timelineBox, store.draft?.timeline, { selectedId, onSelect: select, othersOn: clipsOthersAreOn });
  }
  /** Before I edit the clip I selected: is someone else on it? */
  function showClipNote() {
    const others = selectedId ? clipsOthersAreOn(selectedId) : [];
    clipNote.hidden = !others.length || readOnly;
    clipNote.textContent = others.length
      ? `${listNames(others)} ${others.length > 1 ? 'are' : 'is'} editing this clip too: if you both change the same field, the later save is a conflict.`
      : '';
  }
  function showScript() {
    renderScript(scriptBox, store, {
      readOnly,
      onFocus: (index) => presence.announce({ section: 'script', itemId: segmentItem(index) }),
      onBlur: () => presence.announce(selectedId ? { section: 'timeline', itemId: selectedId } : null),
    });
    markSegments(scriptBox, (index) => presence.on('script', segmentItem(index)));
  }
  presence.onChange(() => {
    sharing?.showNames();
    showTimeline();
    showClipNote();
    markSegments(scriptBox, (index) => presence.on('script', segmentItem(index)));
  });

  /** The session took a newer snapshot (or the page shows its content the first time). */
  function adopted() {
    refocus(() => {
      if (document.activeElement !== title) title.value = store.draft?.title ?? '';
      showTimeline();
      showScript();
      showInspector();
    });
    history.refresh();
  }
  title.addEventListener('input', () => {
    if (!readOnly && title.value.trim()) store.edit('title', () => title.value);
  });
  title.addEventListener('focus', () => presence.announce({ section: 'title' }));
  title.addEventListener('blur', () => presence.announce(selectedId ? { section: 'timeline', itemId: selectedId } : null));

  function select(clipId) {
    selectedId = clipId;
    presence.announce(clipId ? { section: 'timeline', itemId: clipId } : null);
    showTimeline();
    showClipNote();
    showInspector();
  }

  /** I was removed from the project: nothing more is saved or followed (the server would
   * answer 404 from now on). */
  function removed() {
    const unsaved = session.status.dirty.length > 0;
    setRole('viewer');
    session.close().catch(() => {}); // its stream ends: 'closed'
    banner.show({
      kind: 'error',
      title: 'Removed:',
      text: `you are no longer a member of this lecture's project${unsaved ? '; your last edits were not saved' : ''}.`,
    });
  }

  /** My role on the project: a viewer's page edits nothing (a role changed meanwhile shows on
   * the next load of the members). */
  function setRole(role) {
    const viewer = role === 'viewer';
    if (viewer === readOnly) return;
    readOnly = viewer;
    title.disabled = readOnly;
    viewOnly.hidden = !readOnly;
    if (ready) refocus(() => {
      showScript();
      showInspector();
    });
  }

  function showStatus(current) {
    revision.textContent = `revision ${current.revision}`;
    const state = current.status; // idle | saving | saved | conflict | error
    status.dataset.status = state;
    status.dataset.phase = current.phase; // saved | saving | unsaved | conflict | offline
    status.textContent = state === 'error'
      ? `${STATUS_TEXT.error}: ${reason(current.error)}`
      : state === 'idle' && current.dirty.length ? 'Idle: unsaved changes' : STATUS_TEXT[state];
    retry.hidden = state !== 'error';
    if (state === 'error') sharing?.load(); // a 403: was I made a viewer meanwhile?
    if (state === 'saved') history.refresh();
    if (current.conflict !== shownConflict) {
      shownConflict = current.conflict;
      if (shownConflict) showConflict(shownConflict);
    }
  }

  /** Other writers' revisions the page now shows (workflow steps go without a word). */
  function showRemote(report) {
    const events = report.events.filter((e) => !ownRevisions.has(e.revision) && e.revision > namedUpTo);
    const byPeople = events.filter((e) => e.source !== 'workflow' || e.restoredFrom != null);
    if (!byPeople.length && !(report.merged && events.length)) return;
    const { actors, sections } = who(report.merged ? events : byPeople, presence.nameOf);
    banner.show(report.merged
      ? { title: `Updated by ${actors}:`, text: `your edit was merged with their changes (${sections}); both are kept.` }
      : { title: `Updated by ${actors}:`, text: `the page now shows their changes (${sections}).` });
  }

  function showConflict(conflict) {
    namedUpTo = Math.max(namedUpTo, conflict.latest?.revision ?? 0); // the banner shows theirs
    drafts.refresh();
    banner.conflict(conflict, {
      onReload: async () => {
        await session.reload({ discardDraft: true });
        drafts.refresh();
        banner.show({ title: 'Reloaded:', text: 'the page shows the latest revision; your edit was dropped.' });
      },
      onReapply: async () => {
        banner.clear();
        await session.reapply().catch(() => {}); // a failure shows in the status
        drafts.refresh();
      },
      onKeep: async () => {
        const { draftId } = conflict;
        await session.reload({ discardDraft: false });
        drafts.refresh();
        banner.show({
          title: `Kept as draft #${draftId}:`,
          text: `your edit is kept on the server (GET /lectures/${lectureId}/drafts/${draftId}); the page shows the latest revision.`,
        });
      },
    });
  }

  function onEvent({ event, data }) {
    if (event === 'member.removed') {
      sharing?.load();
    } else if (event === 'disconnect' && data.reason === REMOVED) {
      removed();
    } else if (event === 'lecture.state' || event === 'resync') {
      for (const run of data.runs ?? []) progress.update({ lectureId, ...run });
    }
  }

  replace(main,
    h('section', { class: 'lecture', 'aria-label': 'Lecture editor' },
      h('header', { class: 'lecture-head' },
        h('div', { class: 'title-row' }, h('h1', { class: 'visually-hidden' }, 'Lecture'), title, revision),
        h('div', { class: 'status-row' }, viewOnly, status, retry, presence.element, live)),
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
            h('h2', { id: 'clip-title' }, 'Clip'), clipNote, inspectorBox),
          peopleBox,
          draftsBox,
          historyBox))));

  (async () => {
    try {
      await session.open();
      sharing = createSharing(peopleBox, {
        api, projectId: session.snapshot.projectId, me, nameOf: presence.nameOf, onRole: setRole,
      });
      await sharing.load(); // before the content shows: a viewer never gets a box to type in
    } catch (problem) {
      if (problem.status === 401) return onUnauthorized();
      replace(main, h('p', { class: 'error', role: 'alert' },
        problem.status === 404 ? `Lecture ${lectureId} was not found.` : `Could not load: ${reason(problem)}`),
      h('a', { href: '#/projects' }, 'Back to projects'));
      return;
    }
    if (disposed) return;
    ready = true;
    adopted();
    showStatus(session.status);
    drafts.refresh();
  })();

  return {
    dispose() {
      disposed = true;
      session.close().catch(() => {}); // what is dirty is saved first
      inspector.stop();
    },
  };
}
