"""Three-way merge of lecture content per JSON path; pure (no database, no HTTP).

`three_way_merge(base, mine, theirs)` merges what `mine` changed since `base` into `theirs`, the
latest revision; docs/merge.md gives the rules with examples. In short, at each path:

- Unchanged by one side: the other side's value. Changed the same way by both: that value (JSON
  equality: 1 and 1.0 are equal, true is not 1). Changed differently by both: objects are merged
  key by key and arrays of items with ids item by item; anything else is a conflict.
- Objects: a key is its own path. Removed by both: removed. Removed by one side and changed by the
  other: conflict (`delete`). Added by both with different values: conflict (`insert`).
- Arrays whose items are all objects with a string `id`, each id once, in base, mine and theirs:
  items are matched by id, so an insert or a move elsewhere never conflicts with an edit of an item.
  Delete vs edit, insert vs insert: as for object keys, with the id as the key. Order: the items
  both sides keep take the order of the side that reordered them (or the common order when
  neither or both did alike); both reordering differently is a conflict (`order`) on the array.
  Every other item goes right after the item before it on its own side (at the start if none);
  if both sides put items in the same gap, the run whose first id sorts first comes first.
- Any other array (no ids, some item without one, a repeated id: script segments) is one value.
- A change of type (object, array, scalar, null) replaces the whole value.
- Sections: `mine` holds only the sections sent (absent: unchanged from base); in `base` and
  `theirs` an absent section is null; null in an array section (images, …) is the empty array.
- The timeline's `duration` is left out of the merge and recomputed by the Timeline model.

A conflict keeps theirs' value in the result and names its path as a JSON Pointer (RFC 6901
escaping) whose token for an array item is the item's id, never its index, e.g.
`/timeline/tracks/visual/clip-3/startTime`: the same path in every revision, and it exists even
where one side deleted the item. `resolve(document, pointer)` follows such a pointer.
"""

from tutopanda.merge.document import MergeResult, three_way_merge
from tutopanda.merge.pointer import resolve
from tutopanda.merge.values import ABSENT, Absent, Conflict, ConflictKind

__all__ = [
    "ABSENT",
    "Absent",
    "Conflict",
    "ConflictKind",
    "MergeResult",
    "resolve",
    "three_way_merge",
]
