import { RootConfigService } from '@backstage/backend-plugin-api';
import { Response } from 'express';
import { Knex } from 'knex';
import { dbNowMs } from '../database/dbClock';

const TABLE = 'coderunner_rate_limits';
const WINDOW_MS = 60_000;

/**
 * What a limit counts: changes (deploy, rollback, config writes …), import and template
 * previews, exports (config and log downloads), and stream connections.
 *
 * @internal
 */
export type RateLimitBucket =
  | 'mutations'
  | 'previews'
  | 'exports'
  | 'streamConnects';

/** Per minute, per principal, unless app-config says otherwise. */
const DEFAULT_LIMITS: Record<RateLimitBucket, number> = {
  mutations: 60,
  previews: 30,
  exports: 20,
  streamConnects: 30,
};

const BUCKET_NAMES: Record<RateLimitBucket, string> = {
  mutations: 'changes',
  previews: 'previews',
  exports: 'exports',
  streamConnects: 'stream connections',
};

/**
 * The outcome of counting one call, with what the `RateLimit-*` headers report.
 *
 * @internal
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the count starts again. */
  resetSeconds: number;
}

/**
 * One-minute windows per principal and bucket, counted in the database so every replica
 * behind a load balancer shares them: enough for people, a brake on runaway scripts. A
 * window opens with a principal's first call in a bucket and runs a minute by the database
 * clock. One atomic upsert per call.
 *
 * @internal
 */
export class RateLimiter {
  private constructor(
    private readonly knex: Knex,
    private readonly limits: Record<RateLimitBucket, number>,
  ) {}

  /** Reads `coderunner.rateLimit.<bucket>PerMinute`. */
  static fromConfig(config: RootConfigService, knex: Knex): RateLimiter {
    const limits = { ...DEFAULT_LIMITS };
    for (const bucket of Object.keys(limits) as RateLimitBucket[]) {
      const key = `coderunner.rateLimit.${bucket}PerMinute`;
      const value = config.getOptionalNumber(key);
      if (value !== undefined) {
        if (!Number.isInteger(value) || value < 1) {
          throw new Error(
            `${key} must be a whole number of at least 1, not ${value}`,
          );
        }
        limits[bucket] = value;
      }
    }
    return new RateLimiter(knex, limits);
  }

  /** Counts one call of `principal` in `bucket`. */
  async take(
    principal: string,
    bucket: RateLimitBucket,
  ): Promise<RateLimitDecision> {
    const now = dbNowMs(this.knex).toQuery();
    // One statement: the open window counts up, an expired one starts again at 1; both
    // databases run the upsert atomically, so concurrent calls on any replica lose no count.
    const result = await this.knex.raw(
      `insert into ${TABLE} as r (principal, bucket, window_start, count)
       values (?, ?, ${now}, 1)
       on conflict (principal, bucket) do update set
         count = case when r.window_start > excluded.window_start - ? then r.count + 1 else 1 end,
         window_start = case when r.window_start > excluded.window_start - ? then r.window_start else excluded.window_start end
       returning count, window_start, ${now} as now`,
      [principal, bucket, WINDOW_MS, WINDOW_MS],
    );
    const row = (Array.isArray(result) ? result : result.rows)[0];
    const count = Number(row.count);
    const limit = this.limits[bucket];
    return {
      allowed: count <= limit,
      limit,
      remaining: Math.max(0, limit - count),
      resetSeconds: Math.max(
        1,
        Math.ceil(
          (Number(row.window_start) + WINDOW_MS - Number(row.now)) / 1000,
        ),
      ),
    };
  }

  /**
   * Counts one call and sets the `RateLimit-*` headers; over the limit it answers 429 with
   * `Retry-After` and returns false, and the caller stops.
   */
  async admit(
    res: Response,
    principal: string,
    bucket: RateLimitBucket,
  ): Promise<boolean> {
    const decision = await this.take(principal, bucket);
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) {
      res.setHeader(name, value);
    }
    if (decision.allowed) return true;
    res.status(429).json({
      error: {
        name: 'TooManyRequests',
        message: `Too many ${BUCKET_NAMES[bucket]}: at most ${decision.limit} a minute; try again in ${decision.resetSeconds} s.`,
      },
      response: { statusCode: 429 },
    });
    return false;
  }
}

/**
 * The IETF draft `RateLimit-*` headers of a decision, and `Retry-After` when it refuses.
 *
 * @internal
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
): Record<string, string> {
  return {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
    ...(decision.allowed
      ? {}
      : { 'Retry-After': String(decision.resetSeconds) }),
  };
}
