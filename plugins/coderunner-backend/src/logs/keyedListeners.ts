/**
 * Adds `listener` to the set kept under `key` in `sets`. The returned function removes it, and
 * the set with it once empty (then `onEmpty` runs, for state kept beside the set).
 *
 * @internal
 */
export function addKeyedListener<T>(
  sets: Map<string, Set<T>>,
  key: string,
  listener: T,
  onEmpty?: () => void,
): () => void {
  let set = sets.get(key);
  if (!set) {
    set = new Set();
    sets.set(key, set);
  }
  set.add(listener);
  const own = set;
  return () => {
    own.delete(listener);
    if (own.size === 0 && sets.get(key) === own) {
      sets.delete(key);
      onEmpty?.();
    }
  };
}
