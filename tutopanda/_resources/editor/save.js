// Debounced auto-save: DEFAULT_DEBOUNCE_MS after the last edit, at most one save in flight, only
// the dirty sections, on the base revision, with merge: true (the server merges per JSON path).
// Status: idle | saving | saved | conflict | error. Also decides what to do with other writers'
// revisions (lecture.revised events): pull them when clean, else let the next save merge.
// A save whose answer never came (network error, 503) may have gone through: it is sent again
// exactly, with the same Idempotency-Key, before anything typed since.

import { reason } from './api.js';
import { newIdempotencyKey, TransportError } from './vendor/client.js';
import { rebaseDraft } from './rebase.js';

export const DEFAULT_DEBOUNCE_MS = 2500;

export class SaveController extends EventTarget {
  constructor({ store, api, lectureId, debounceMs = DEFAULT_DEBOUNCE_MS }) {
    super();
    Object.assign(this, { store, api, lectureId, debounceMs });
    this.status = 'idle';
    this.detail = '';
    this.inFlight = false;
    this.timer = null;
    this.conflict = null; // {draftId, conflicts, latest} while the user decides
    this.ownRevisions = new Set(); // revisions this page wrote
    this.remote = []; // other writers' lecture.revised events not yet shown
    this.unanswered = null; // {sent, key}: a save whose answer was lost, to send again as it was
    this.onEdited = () => this.schedule();
    store.addEventListener('edited', this.onEdited);
  }

  dispose() {
    clearTimeout(this.timer);
    this.store.removeEventListener('edited', this.onEdited);
  }

  setStatus(status, detail = '') {
    this.status = status;
    this.detail = detail;
    this.dispatchEvent(new CustomEvent('status', { detail: { status, detail } }));
  }

  /** Re-arm the debounce timer (every edit calls this). */
  schedule() {
    if (this.conflict) return;
    clearTimeout(this.timer);
    if (this.status !== 'saving') this.setStatus('idle', 'unsaved changes');
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.debounceMs);
  }

  /** Save now (the timer, or a caller that cannot wait). */
  async flush() {
    const { store, api } = this;
    if (this.inFlight || this.conflict || !(store.isDirty || this.unanswered)) return;
    this.inFlight = true;
    this.setStatus('saving');
    const { sent, key } = this.unanswered || { sent: store.pending(), key: newIdempotencyKey() };
    this.unanswered = null;
    try {
      const result = await api.saveLecture(this.lectureId, sent.payload, {
        baseRevision: sent.baseRevision, merge: true, idempotencyKey: key,
      });
      this.ownRevisions.add(result.revision);
      if (result.mergedOnto != null) {
        await this.pullMerged(sent, result.mergedOnto);
      } else {
        store.savedAsSent(sent, result.revision, result.updatedAt);
      }
      this.setStatus(store.isDirty ? 'idle' : 'saved', store.isDirty ? 'unsaved changes' : '');
      this.announceRemote(result.mergedOnto != null);
    } catch (error) {
      if (error.status === 409 && error.code === 'revision_conflict') {
        this.conflict = {
          draftId: error.problem.draftId ?? null,
          conflicts: error.problem.conflicts ?? [],
          latest: error.problem.lecture ?? null,
        };
        this.setStatus('conflict', reason(error));
        this.dispatchEvent(new CustomEvent('conflict', { detail: this.conflict }));
      } else {
        if (error instanceof TransportError || error.status === 503) this.unanswered = { sent, key };
        this.setStatus('error', reason(error));
      }
    } finally {
      this.inFlight = false;
    }
    if (store.isDirty && !this.conflict && this.status !== 'error') this.schedule();
    else if (this.remote.length) await this.catchUp().catch(() => {}); // arrived during the save
  }

  /** Merged onto a newer revision: pull it; edits made during the save are re-applied on it.
   * The history names the writers merged with (their events may not have arrived yet). */
  async pullMerged(sent, mergedOnto) {
    const { store } = this;
    const [latest, history] = await Promise.all([
      this.api.getLecture(this.lectureId),
      this.api.listHistory(this.lectureId, { limit: 50 }).catch(() => ({ items: [] })),
    ]);
    for (const item of history.items) {
      const between = item.revision > sent.baseRevision && item.revision <= mergedOnto;
      if (!between || this.ownRevisions.has(item.revision)) continue;
      if (this.remote.some((e) => e.revision === item.revision)) continue;
      this.remote.push({
        revision: item.revision, actor: item.createdBy, source: item.source,
        changedSections: item.changedSections,
      });
    }
    const editedSince = [...store.dirty].filter((s) => !store.unchangedSince(sent.versions).includes(s));
    const draft = rebaseDraft(store.snapshot, store.draft, editedSince, latest);
    store.rebase(latest, draft);
    store.dirty = new Set(editedSince);
  }

  /** A lecture.revised event: someone else's revision is pulled when nothing local is pending. */
  async onRevised(data) {
    if (this.ownRevisions.has(data.revision)) return;
    if (this.store.revision !== null && data.revision <= this.store.revision) return;
    this.remote.push(data);
    await this.catchUp(); // unless something local is pending: then the save merges
  }

  /** Pull the latest revision when nothing local is pending, and say whose changes it shows. */
  async catchUp() {
    const idle = () => !this.inFlight && !this.conflict && !this.store.isDirty;
    if (!idle()) return;
    const latest = await this.api.getLecture(this.lectureId);
    if (!idle()) return;
    if (latest.revision > (this.store.revision ?? -1)) this.store.adopt(latest);
    this.announceRemote(false);
  }

  /** Tell the page which other writers' changes it now shows. */
  announceRemote(merged) {
    const current = this.store.revision ?? 0;
    const shown = this.remote.filter((e) => !this.ownRevisions.has(e.revision) && e.revision <= current);
    this.remote = this.remote.filter((e) => e.revision > current);
    if (!shown.length) return;
    this.dispatchEvent(new CustomEvent('remote', { detail: { merged, events: shown } }));
  }

  /** Conflict → Reload: take the latest revision, drop the local edit and its kept draft. */
  async reload() {
    const { draftId } = this.conflict ?? {};
    const latest = await this.api.getLecture(this.lectureId);
    this.conflict = null;
    this.remote = []; // the conflict banner showed them
    this.store.adopt(latest);
    this.setStatus('idle', 'reloaded');
    if (draftId != null) await this.api.deleteDraft(this.lectureId, draftId).catch(() => {});
  }

  /** Conflict → Re-apply: the local edits again, on the latest revision (they win). */
  async reapply() {
    const { store } = this;
    const { draftId } = this.conflict ?? {};
    const latest = await this.api.getLecture(this.lectureId);
    const dirty = [...store.dirty];
    store.rebase(latest, rebaseDraft(store.snapshot, store.draft, dirty, latest));
    store.dirty = new Set(dirty);
    this.conflict = null;
    this.remote = [];
    await this.flush();
    if (this.status === 'saved' && draftId != null) {
      await this.api.deleteDraft(this.lectureId, draftId).catch(() => {});
    }
  }

  /** Conflict → Keep as draft: the server already keeps the edit as a draft; show the latest. */
  async keepDraft() {
    const { draftId } = this.conflict ?? {};
    const latest = await this.api.getLecture(this.lectureId);
    this.conflict = null;
    this.remote = [];
    this.store.adopt(latest);
    this.setStatus('idle', draftId != null ? `kept as draft #${draftId}` : 'kept as draft');
    return draftId;
  }
}
