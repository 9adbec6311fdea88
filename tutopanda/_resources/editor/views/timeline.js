// The timeline drawn to scale: one lane per track, each clip a button placed at
// startTime / length and as wide as duration / length. A clip someone else is on is outlined,
// with their initials.

import { h, replace, seconds } from '../dom.js';
import { initials, listNames } from './presence.js';

export const TRACKS = [
  ['visual', 'Visual'],
  ['voice', 'Voice'],
  ['music', 'Music'],
  ['soundEffects', 'Sound effects'],
];

/** The clip with `id` in any track, with the key of its track. */
export function findClip(timeline, id) {
  for (const [key] of TRACKS) {
    const clips = timeline?.tracks?.[key];
    const clip = Array.isArray(clips) ? clips.find((c) => c?.id === id) : undefined;
    if (clip) return { clip, track: key };
  }
  return null;
}

function tickStep(length) {
  return [1, 2, 5, 10, 15, 30, 60, 120, 300].find((step) => length / step <= 12) ?? 600;
}

/** `othersOn(clipId)`: the other people whose focus is that clip (presence). */
export function renderTimeline(container, timeline, { selectedId, onSelect, othersOn = () => [] }) {
  if (!timeline) {
    replace(container, h('p', { class: 'muted' }, 'No timeline yet: it is made by the last step of the generation.'));
    return;
  }
  const at = (clip) => Math.max(0, Number(clip.startTime) || 0);
  const span = (clip) => Math.max(0, Number(clip.duration) || 0);
  const lane = (key) => (Array.isArray(timeline.tracks?.[key]) ? timeline.tracks[key] : []);
  const clips = TRACKS.flatMap(([key]) => lane(key));
  const length = Math.max(1, Number(timeline.duration) || 0, ...clips.map((c) => at(c) + span(c)));
  const percent = (value) => `${(100 * value) / length}%`;
  const step = tickStep(length);
  const ticks = [];
  for (let t = 0; t <= length + 1e-9; t += step) {
    ticks.push(h('span', { class: 'tick', style: { left: percent(t) } }, `${t}s`));
  }
  const lanes = TRACKS.map(([key, label]) => {
    const items = lane(key).map((clip) => {
      const others = othersOn(clip.id);
      const here = others.length ? ` (${listNames(others)} ${others.length > 1 ? 'are' : 'is'} on it)` : '';
      return h('button', {
        type: 'button',
        class: `clip clip-${key}${clip.id === selectedId ? ' selected' : ''}${others.length ? ' others-here' : ''}`,
        'aria-label': `${label} clip ${clip.name}`,
        'aria-description': here ? here.slice(2, -1) : null,
        'aria-pressed': clip.id === selectedId ? 'true' : 'false',
        'data-clip-id': clip.id,
        'data-others': others.length ? others.map((person) => person.userId).join(' ') : null,
        title: `${clip.name}: ${seconds(at(clip))} → ${seconds(at(clip) + span(clip))}${here}`,
        style: { left: percent(at(clip)), width: percent(span(clip)) },
        onclick: () => onSelect(clip.id),
      }, h('span', {}, clip.name),
      others.length ? h('span', { class: 'marker', 'aria-hidden': 'true' },
        others.map((person) => initials(person.name)).join(' ')) : null);
    });
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
