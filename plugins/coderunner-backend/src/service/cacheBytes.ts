import { Config } from '@backstage/config';

/** The largest in-memory cache a setting may ask for: 1 GiB of the replica's memory. */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;

/**
 * A cache's size in bytes from the app-config `key`: `fallback` when unset, 0 for no cache. A
 * value that is not a whole number from 0 to 1 GiB fails start-up with a message naming the key.
 *
 * @internal
 */
export function readCacheBytes(
  config: Config,
  key: string,
  fallback: number,
): number {
  const bytes = config.getOptionalNumber(key);
  if (bytes === undefined) return fallback;
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_CACHE_BYTES) {
    throw new Error(
      `${key} must be a whole number of bytes from 0 (no cache) to ${MAX_CACHE_BYTES} (1 GiB); got ${bytes}`,
    );
  }
  return bytes;
}
