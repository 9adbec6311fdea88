// The selected clip: its timing (start, duration) as number inputs that edit the draft, and for
// an image clip the image with "regenerate → preview → accept / reject" (workflow control).

import { reason } from '../api.js';
import { h, replace, seconds, swatch } from '../dom.js';
import { findClip } from './timeline.js';

// A regeneration still working towards its proposal: not yet waiting for review, not finished.
const ACTIVE = new Set(['queued', 'running']);

function numberField(id, label, value, min, onValue) {
  const input = h('input', {
    id, type: 'number', step: '0.1', min: String(min), value: String(value), inputmode: 'decimal',
  });
  input.addEventListener('input', () => {
    const number = input.valueAsNumber;
    const valid = Number.isFinite(number) && number >= min && (min > 0 ? number > 0 : true);
    input.setAttribute('aria-invalid', valid ? 'false' : 'true');
    if (valid) onValue(Math.round(number * 1000) / 1000);
  });
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

function imageCard(title, asset) {
  return h('figure', { class: 'image-card', 'aria-label': `${title} image` },
    h('div', { class: 'thumb', style: { background: swatch(asset?.prompt ?? '') }, role: 'img',
      'aria-label': asset?.prompt ?? 'no image' }),
    h('figcaption', {}, h('strong', {}, `${title}: `), asset?.prompt ?? '—'));
}

function regeneration({ api, lectureId, image, notes, onAccepted }) {
  const promptInput = h('textarea', { id: 'regen-prompt', rows: 2, value: image.prompt ?? '' });
  const state = h('p', { class: 'muted', role: 'status', 'aria-label': 'Regeneration status' },
    notes.get(image.id) ?? '');
  const say = (text) => {
    state.textContent = text;
    notes.set(image.id, text); // outlives this panel: accepting re-renders it
  };
  const preview = h('div', { class: 'preview' });
  const start = h('button', { type: 'button' }, 'Regenerate image');
  let stopped = false;

  async function waitForReview(runId) {
    const deadline = Date.now() + 120000;
    for (;;) {
      const run = await api.getRun(runId);
      if (!ACTIVE.has(run.status) || Date.now() > deadline || stopped) return run;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async function review(runId, run) {
    if (run.status !== 'waiting_for_review') {
      say(`Regeneration ${run.status}${run.error ? `: ${run.error.message ?? run.error}` : ''}`);
      start.disabled = false;
      return;
    }
    say('A new image is ready: accept or reject it.');
    const decide = async (accept) => {
      for (const button of preview.querySelectorAll('button')) button.disabled = true;
      try {
        if (accept) {
          const result = await api.acceptRun(runId);
          say(`Accepted: the new image is revision ${result.revision}.`);
          await onAccepted(result);
        } else {
          await api.rejectRun(runId);
          say('Rejected: the image is unchanged.');
        }
        replace(preview);
      } catch (problem) {
        say(`Could not ${accept ? 'accept' : 'reject'}: ${reason(problem)}`);
      }
      start.disabled = false;
    };
    replace(preview,
      h('div', { class: 'compare' }, imageCard('Current', run.currentAsset), imageCard('Proposed', run.proposal)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => decide(true) }, 'Accept'),
        h('button', { type: 'button', class: 'secondary', onclick: () => decide(false) }, 'Reject')));
  }

  start.addEventListener('click', async () => {
    start.disabled = true;
    replace(preview);
    say('Regenerating…');
    try {
      const prompt = promptInput.value.trim();
      const { runId } = await api.regenerateAsset(lectureId, 'image', image.id, { prompt: prompt || undefined });
      await review(runId, await waitForReview(runId));
    } catch (problem) {
      say(`Could not regenerate: ${reason(problem)}`);
      start.disabled = false;
    }
  });

  return {
    element: h('section', { class: 'regenerate', 'aria-labelledby': 'regen-title' },
      h('h3', { id: 'regen-title' }, 'Image'),
      imageCard('Image', image),
      h('label', { for: 'regen-prompt' }, 'New image prompt'),
      promptInput, start, state, preview),
    stop() {
      stopped = true;
    },
  };
}

/** Render the inspector of `clipId` (null: nothing selected). Returns {stop()}. */
export function renderInspector(container, { store, api, lectureId, clipId, notes, onAccepted, readOnly = false }) {
  const found = clipId ? findClip(store.draft?.timeline, clipId) : null;
  if (!found) {
    replace(container, h('p', { class: 'muted' }, 'Select a clip on the timeline to edit its timing.'));
    return { stop() {} };
  }
  const { clip } = found;
  const editClip = (field, value) => store.edit('timeline', (timeline) => {
    const target = findClip(timeline, clipId);
    if (target) target.clip[field] = value;
  });
  const image = clip.imageAssetId
    ? (store.draft.images ?? []).find((asset) => asset.id === clip.imageAssetId)
    : null;
  const regen = image && !readOnly ? regeneration({ api, lectureId, image, notes, onAccepted }) : null;
  replace(container,
    h('p', { class: 'clip-name' }, h('strong', {}, clip.name), ` · ${clip.kind ?? found.track}`,
      h('span', { class: 'muted' }, ` · ends at ${seconds(clip.startTime + clip.duration)}`)),
    h('fieldset', { class: 'fields', disabled: readOnly },
      numberField('clip-start', 'Start (s)', clip.startTime, 0, (v) => editClip('startTime', v)),
      numberField('clip-duration', 'Duration (s)', clip.duration, 0.001, (v) => editClip('duration', v))),
    regen?.element ?? (image ? imageCard('Image', image) : null));
  return { stop: () => regen?.stop() };
}
