import { LRUCache } from 'lru-cache';

/** Entries kept at most; the least recently used go first. */
const MAX_ENTRIES = 20_000;

/**
 * A short-lived, in-process memory of answers worth reusing for a moment: concurrent asks of one
 * key share one load, an answer `keep` accepts is reused for `ttlMs`, any other answer and any
 * failure are forgotten at once. `ttlMs` 0 turns it off (every ask loads).
 *
 * @internal
 */
export class ReadCache {
  private readonly cache?: LRUCache<
    string,
    { value: unknown },
    () => Promise<unknown>
  >;

  constructor(readonly ttlMs: number) {
    if (ttlMs > 0) {
      this.cache = new LRUCache({
        max: MAX_ENTRIES,
        ttl: ttlMs,
        fetchMethod: async (_key, _stale, { context }) => ({
          value: await context(),
        }),
      });
    }
  }

  /** The answer for `key`: a kept one, the one being loaded, or `load()`'s. */
  async get<T>(
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T> {
    if (!this.cache) return load();
    const entry = await this.cache.fetch(key, { context: load });
    const value = entry!.value as T;
    if (!keep(value)) this.cache.delete(key);
    return value;
  }

  /**
   * The answers for many keys at once: those kept, and the others from one `load` of the
   * missing keys' indexes (which returns their answers in that order).
   */
  async getMany<T>(
    keys: string[],
    load: (missing: number[]) => Promise<T[]>,
    keep: (value: T) => boolean,
  ): Promise<T[]> {
    const found: (T | undefined)[] = keys.map(
      key => this.cache?.get(key)?.value as T | undefined,
    );
    const missing = keys.flatMap((_, i) => (found[i] === undefined ? [i] : []));
    if (missing.length > 0) {
      const loaded = await load(missing);
      missing.forEach((index, i) => {
        found[index] = loaded[i];
        if (keep(loaded[i])) {
          this.cache?.set(keys[index], { value: loaded[i] });
        }
      });
    }
    return found as T[];
  }
}
