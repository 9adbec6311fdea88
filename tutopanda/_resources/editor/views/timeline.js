// The timeline drawn to scale: one lane per track, each clip a button placed at
// startTime / length and as wide as duration / length.

import { h, replace, seconds } from '../dom.js';

export const TRACKS = [
  ['visual', 'Visual'],
  ['voice', 'Voice'],
  ['music', 'Music'],
  ['soundEffects', 'Sound effects'],
];

/** The clip with `id` in any track, with the key of its track. */
export function findClip(timeline, id) {
  for (const [key] of TRACKS) {
    const clip = (timeline?.tracks?.[key] ?? []).find((c) => c.id === id);
    if (clip) return { clip, track: key };
  }
  return null;
}

function tickStep(length) {
  return [1, 2, 5, 10, 15, 30, 60, 120, 300].find((step) => length / step <= 12) ?? 600;
}

export function renderTimeline(container, timeline, { selectedId, onSelect }) {
  if (!timeline) {
    replace(container, h('p', { class: 'muted' }, 'No timeline yet: it is made by the last step of the generation.'));
    return;
  }
  const clips = TRACKS.flatMap(([key]) => timeline.tracks?.[key] ?? []);
  const length = Math.max(1, Number(timeline.duration) || 0, ...clips.map((c) => c.startTime + c.duration));
  const percent = (value) => `${(100 * value) / length}%`;
  const step = tickStep(length);
  const ticks = [];
  for (let t = 0; t <= length + 1e-9; t += step) {
    ticks.push(h('span', { class: 'tick', style: { left: percent(t) } }, `${t}s`));
  }
  const lanes = TRACKS.map(([key, label]) => {
    const items = (timeline.tracks?.[key] ?? []).map((clip) => h('button', {
      type: 'button',
      class: `clip clip-${key}${clip.id === selectedId ? ' selected' : ''}`,
      'aria-label': `${label} clip ${clip.name}`,
      'aria-pressed': clip.id === selectedId ? 'true' : 'false',
      'data-clip-id': clip.id,
      title: `${clip.name}: ${seconds(clip.startTime)} → ${seconds(clip.startTime + clip.duration)}`,
      style: { left: percent(clip.startTime), width: percent(clip.duration) },
      onclick: () => onSelect(clip.id),
    }, h('span', {}, clip.name)));
    return h('div', { class: 'track' },
      h('span', { class: 'track-label', id: `track-${key}` }, label),
      h('div', { class: 'lane', role: 'group', 'aria-labelledby': `track-${key}` },
        items.length ? items : h('span', { class: 'empty' }, 'empty')));
  });
  replace(container,
    h('div', { class: 'ruler', 'aria-hidden': 'true' }, h('span', { class: 'track-label' }, seconds(length)),
      h('div', { class: 'lane ticks' }, ticks)),
    lanes);
}
