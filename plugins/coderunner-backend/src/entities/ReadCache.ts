import { LRUCache } from 'lru-cache';

/** Answers kept at most; the least recently used go first. */
const MAX_ENTRIES = 20_000;

/**
 * A short-lived, in-process memory of answers worth reusing for a moment: concurrent asks of one
 * key share one load, an answer `keep` accepts is reused for `ttlMs` from when it arrived, any
 * other answer and any failure are forgotten at once. `ttlMs` 0 turns it off (every ask loads).
 *
 * @internal
 */
export class ReadCache {
  /** Kept answers, wrapped so that any value (`undefined` too) can be kept. */
  private readonly kept?: LRUCache<string, { value: unknown }>;
  /** Loads under way, by key. */
  private readonly loading = new Map<string, Promise<unknown>>();

  constructor(readonly ttlMs: number) {
    if (ttlMs > 0) {
      this.kept = new LRUCache({ max: MAX_ENTRIES, ttl: ttlMs });
    }
  }

  /** The answer for `key`: a kept one, the one being loaded, or `load()`'s. */
  async get<T>(
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T> {
    if (!this.kept) return load();
    const found = this.kept.get(key);
    if (found) return found.value as T;
    const pending = this.loading.get(key);
    if (pending) return pending as Promise<T>;
    const loaded = load().then(
      value => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (keep(value)) this.kept?.set(key, { value });
        return value;
      },
      error => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  /**
   * The answers for many keys at once: those kept, and the others from one `load` of the
   * missing keys' indexes (which returns their answers in that order). Not shared with
   * concurrent asks.
   */
  async getMany<T>(
    keys: string[],
    load: (missing: number[]) => Promise<T[]>,
    keep: (value: T) => boolean,
  ): Promise<T[]> {
    const found = keys.map(key => this.kept?.get(key));
    const answers = found.map(entry => entry?.value as T);
    const missing = keys.flatMap((_, i) => (found[i] ? [] : [i]));
    if (missing.length > 0) {
      const loaded = await load(missing);
      missing.forEach((index, i) => {
        answers[index] = loaded[i];
        if (keep(loaded[i])) this.kept?.set(keys[index], { value: loaded[i] });
      });
    }
    return answers;
  }
}
