import { LRUCache } from 'lru-cache';

/** Answers kept at most; the least recently used go first. */
const MAX_ENTRIES = 20_000;

/**
 * The share of `ttlMs` after which an answer still in use is loaded again in the background:
 * a key read steadily is renewed before it runs out, so no ask waits for it.
 */
const REFRESH_AT = 0.75;

/**
 * A short-lived, in-process memory of answers worth reusing for a moment: concurrent asks of one
 * key share one load, an answer `keep` accepts is reused for `ttlMs` from when it arrived, any
 * other answer and any failure are forgotten at once. `ttlMs` 0 turns it off (every ask loads).
 *
 * An answer asked for after three quarters of its time is still given, and one load of it
 * starts in the background: what it brings replaces it (or, if `keep` refuses it, removes it);
 * a failure leaves it to run out. So a key read steadily never makes an ask wait, and no
 * answer is given later than `ttlMs` after it arrived, nor after a renewal keep refused (an
 * ask that also waits for other keys checks its kept answers again before it returns).
 *
 * @internal
 */
export class ReadCache {
  /** Kept answers with when they arrived, wrapped so that any value (`undefined` too) can be kept. */
  private readonly kept?: LRUCache<string, { value: unknown; at: number }>;
  /** Loads under way, by key. */
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(readonly ttlMs: number, options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => performance.now());
    if (ttlMs > 0) this.kept = new LRUCache({ max: MAX_ENTRIES });
  }

  /** The answer for `key`: a kept one, the one being loaded, or `load()`'s. */
  async get<T>(
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean,
  ): Promise<T> {
    const [answer] = await this.getMany(
      [key],
      () => load().then(v => [v]),
      keep,
    );
    return answer;
  }

  /**
   * The answers for many keys at once: those kept, those another ask is loading, and the
   * others from one `load` of the missing keys' indexes (which returns their answers in that
   * order). Kept answers past their refresh point are loaded again the same way, in the
   * background.
   */
  async getMany<T>(
    keys: string[],
    load: (indexes: number[]) => Promise<T[]>,
    keep: (value: T) => boolean,
  ): Promise<T[]> {
    if (!this.kept) return load(keys.map((_, i) => i));
    const now = this.now();
    const answers: T[] = new Array(keys.length);
    const missing: number[] = [];
    const old: number[] = [];
    const fromMemory: number[] = [];
    const waits: Promise<unknown>[] = [];
    keys.forEach((key, i) => {
      const found = this.kept!.get(key);
      const age = found ? now - found.at : Infinity;
      const pending = this.loading.get(key) as Promise<T> | undefined;
      if (age < this.ttlMs) {
        answers[i] = found!.value as T;
        fromMemory.push(i);
        if (age >= this.ttlMs * REFRESH_AT && !pending) old.push(i);
      } else if (pending) {
        waits.push(pending.then(value => (answers[i] = value)));
      } else {
        missing.push(i);
      }
    });
    if (old.length > 0) {
      // Nobody waits for it: a failure leaves the kept answers to run out.
      this.start(keys, old, load, keep).catch(() => {});
    }
    if (missing.length > 0) {
      waits.push(
        this.start(keys, missing, load, keep).then(loaded =>
          missing.forEach((index, i) => (answers[index] = loaded[i])),
        ),
      );
    }
    if (waits.length === 0) return answers;
    await Promise.all(waits);
    // While others loaded, an answer given from memory may have run out, or been removed by a
    // renewal keep refused: those are asked for again (a renewed one is taken as it is now).
    const later = this.now();
    const again = fromMemory.filter(i => {
      const kept = this.kept!.get(keys[i]);
      if (kept && later - kept.at < this.ttlMs) {
        answers[i] = kept.value as T;
        return false;
      }
      return true;
    });
    if (again.length > 0) {
      const renewed = await this.getMany(
        again.map(i => keys[i]),
        indexes => load(indexes.map(j => again[j])),
        keep,
      );
      again.forEach((index, j) => (answers[index] = renewed[j]));
    }
    return answers;
  }

  /**
   * One load of `keys` at `indexes`, registered as under way for each of those keys until it
   * settles; then each answer is kept (if `keep` accepts it) or its key forgotten.
   */
  private start<T>(
    keys: string[],
    indexes: number[],
    load: (indexes: number[]) => Promise<T[]>,
    keep: (value: T) => boolean,
  ): Promise<T[]> {
    let loaded: Promise<T[]>;
    try {
      loaded = load(indexes);
    } catch (error) {
      // A load that throws at once fails like one that rejects.
      loaded = Promise.reject(error);
    }
    const each = indexes.map((index, i) => {
      const key = keys[index];
      const one = loaded.then(
        values => {
          if (this.loading.get(key) === one) this.loading.delete(key);
          if (keep(values[i])) {
            this.kept!.set(key, { value: values[i], at: this.now() });
          } else {
            this.kept!.delete(key);
          }
          return values[i];
        },
        error => {
          if (this.loading.get(key) === one) this.loading.delete(key);
          throw error;
        },
      );
      // Whoever shares this load gets its failure; unshared, it is not an unhandled one.
      one.catch(() => {});
      this.loading.set(key, one);
      return one;
    });
    return Promise.all(each);
  }
}
