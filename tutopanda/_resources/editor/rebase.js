// Re-apply local edits onto a newer snapshot: a three-way merge where, when both sides changed
// the same value, the local edit wins. Arrays of items with ids are matched by id (as the
// server's merge does, docs/merge.md); other arrays are matched by position when their length
// is unchanged, else replaced whole.

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const hasIds = (array) =>
  Array.isArray(array) && array.every((item) => isObject(item) && typeof item.id === 'string');

function mergeIdArrays(base, mine, theirs) {
  const baseById = new Map(base.map((item) => [item.id, item]));
  const mineById = new Map(mine.map((item) => [item.id, item]));
  const result = [];
  for (const item of theirs) {
    const old = baseById.get(item.id);
    const ours = mineById.get(item.id);
    if (old && !ours) continue; // deleted locally
    result.push(old && ours ? mergeValue(old, ours, item) : (ours ?? item));
  }
  const kept = new Set(result.map((item) => item.id));
  for (const item of mine) if (!baseById.has(item.id) && !kept.has(item.id)) result.push(item);
  return result;
}

/** base → mine applied onto theirs; mine wins where both changed the same value. */
export function mergeValue(base, mine, theirs) {
  if (same(base, mine)) return theirs;
  if (same(base, theirs)) return mine;
  if (isObject(base) && isObject(mine) && isObject(theirs)) {
    const result = {};
    for (const key of new Set([...Object.keys(theirs), ...Object.keys(mine)])) {
      if (!(key in mine) && key in base) continue; // removed locally
      if (!(key in mine)) result[key] = theirs[key];
      else if (!(key in theirs)) {
        if (!(key in base) || !same(base[key], mine[key])) result[key] = mine[key];
      } else result[key] = mergeValue(base[key], mine[key], theirs[key]);
    }
    return result;
  }
  if (hasIds(base) && hasIds(mine) && hasIds(theirs)) return mergeIdArrays(base, mine, theirs);
  if (Array.isArray(base) && Array.isArray(mine) && Array.isArray(theirs)
      && base.length === mine.length && base.length === theirs.length) {
    return theirs.map((item, index) => mergeValue(base[index], mine[index], item));
  }
  return mine;
}

/** The draft for `latest` that keeps every dirty section's local edits. */
export function rebaseDraft(base, draft, dirty, latest) {
  const result = structuredClone(latest);
  for (const section of dirty) {
    result[section] = structuredClone(mergeValue(base[section], draft[section], latest[section]));
  }
  return result;
}
