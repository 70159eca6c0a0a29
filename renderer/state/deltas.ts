// What one store update changed, kept beside the new collection instead of found by
// comparing: a patch touches a few of hundreds of sessions, and whoever follows the store
// (the strips' memo, their subscriptions) should pay for those few, not for all of them.
const deltas = new WeakMap<object, { from: object; ids: readonly string[] }>();

/** Records that `next` is `from` with the entries of `ids` changed (set, replaced or removed); returns `next`. */
export function withDelta<T extends object>(next: T, from: T, ids: readonly string[]): T {
  deltas.set(next, { from, ids });
  return next;
}

/** The ids whose entries differ between `from` and `next`, when `next` was made from `from` by one recorded update; null when unknown. */
export function deltaIds<T extends object>(next: T, from: T): readonly string[] | null {
  if (next === from) return [];
  const delta = deltas.get(next);
  return delta?.from === from ? delta.ids : null;
}
