import { Request } from 'express';

/**
 * A fixed-window limit on mutations per caller: enough for people, a brake on runaway scripts.
 *
 * @internal
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one call; returns the seconds to wait when the caller is over the limit. */
  take(key: string, now = Date.now()): number | undefined {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) {
        for (const [k, w] of this.windows) {
          if (now - w.start >= this.windowMs) this.windows.delete(k);
        }
      }
    }
    window.count += 1;
    if (window.count > this.limit) {
      return Math.ceil((window.start + this.windowMs - now) / 1000);
    }
    return undefined;
  }
}

/** The key a request is limited by: its caller, or its address when anonymous. */
export function callerKey(req: Request, subject?: string): string {
  return subject ?? req.ip ?? 'unknown';
}
