// A generation run's progress from workflow.progress events: a progress bar and the steps so far.

import { h, replace } from '../dom.js';

// A run in one of these will not change again by itself (tutopanda.models.workflow.FINISHED).
const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'rejected', 'expired']);

export function percentOf(run) {
  if (run.status === 'succeeded') return 100;
  const total = Math.max(1, run.totalSteps || 1);
  const done = (run.currentStep || 0) + (Number(run.stepProgress) || 0);
  return Math.max(0, Math.min(99, Math.round((100 * done) / total)));
}

export function createProgress(container) {
  const bar = h('div', {
    role: 'progressbar', 'aria-label': 'Generation progress',
    'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0',
  }, h('div', { class: 'fill' }));
  const label = h('p', { class: 'progress-label' });
  const steps = h('ol', { class: 'steps', 'aria-label': 'Generation steps' });
  let runId = null;
  let lastLine = null;
  container.hidden = true;
  replace(container, h('h2', {}, 'Generation'), bar, label, steps);
  return {
    /** Show one workflow.progress event (or a run of lecture.state); true when it finished. */
    update(run) {
      if (!run?.runId || run.kind === 'asset_regeneration') return false;
      if (run.runId !== runId) {
        runId = run.runId;
        lastLine = null;
        replace(steps);
      }
      container.hidden = false;
      const percent = percentOf(run);
      bar.setAttribute('aria-valuenow', String(percent));
      bar.setAttribute('aria-valuetext', `${percent} %`);
      bar.firstChild.style.width = `${percent}%`;
      const stepNumber = Math.min(run.totalSteps, (run.currentStep || 0) + (FINISHED.has(run.status) ? 0 : 1));
      const line = run.status === 'succeeded'
        ? 'Generation finished'
        : run.status === 'failed' ? `Failed: ${run.error?.message ?? run.error ?? 'unknown error'}`
          : `Step ${stepNumber} of ${run.totalSteps}: ${run.message || run.stepName || run.status}`;
      label.textContent = `${percent} % — ${line}`;
      if (line !== lastLine) {
        steps.append(h('li', {}, line));
        lastLine = line;
      }
      return FINISHED.has(run.status);
    },
  };
}
