import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  METRIC_NAMES,
  MetricPoint,
  MetricsQuery,
} from '@coderunner/plugin-coderunner-node';
import {
  COUNTER_METRICS,
  MetricSample,
  MetricsStore,
  StoredMetric,
} from './MetricsStore';

const SAMPLES = 'coderunner_metric_samples';
const ROLLUPS = 'coderunner_metric_rollups';
const MINUTE_MS = 60_000;
/** Enough for a day at 10-second steps; a chart never needs more. */
const MAX_POINTS = 11_000;
const WRITE_BATCH = 500;

type Bucket = {
  bucket: number | string;
  sum: number;
  count: number;
  min: number;
  max: number;
};

/**
 * {@link MetricsStore} in the plugin's database (SQLite or PostgreSQL). A query reads raw
 * samples while its window is within their retention, the 1-minute rollups before that.
 *
 * @internal
 */
export class DatabaseMetricsStore implements MetricsStore {
  /** `rawRetentionMs`: how long raw samples are kept; older windows are read from rollups. */
  static create(options: {
    knex: Knex;
    rawRetentionMs: number;
    now?: () => number;
  }): DatabaseMetricsStore {
    return new DatabaseMetricsStore(
      options.knex,
      options.rawRetentionMs,
      options.now ?? Date.now,
    );
  }

  private constructor(
    private readonly knex: Knex,
    private readonly rawRetentionMs: number,
    private readonly now: () => number,
  ) {}

  async write(samples: MetricSample[]): Promise<void> {
    const rows = samples
      .filter(s => s.count > 0 && Number.isFinite(s.sum))
      .map(s => ({
        deployment_id: s.deploymentId,
        metric: s.metric,
        at: s.at.getTime(),
        sum: s.sum,
        count: s.count,
      }));
    for (let i = 0; i < rows.length; i += WRITE_BATCH) {
      await this.knex(SAMPLES).insert(rows.slice(i, i + WRITE_BATCH));
    }
  }

  async query(query: MetricsQuery): Promise<MetricPoint[]> {
    const { metric, from, to, stepSeconds } = query;
    if (!METRIC_NAMES.includes(metric)) {
      throw new InputError(
        `metric must be one of ${METRIC_NAMES.join(', ')}; got '${metric}'`,
      );
    }
    if (!Number.isInteger(stepSeconds) || stepSeconds < 1) {
      throw new InputError(
        `step must be a whole number of seconds, at least 1; got ${stepSeconds}`,
      );
    }
    if (!(from.getTime() < to.getTime())) {
      throw new InputError('the window must end after it starts');
    }
    const steps = Math.ceil(
      (to.getTime() - from.getTime()) / (stepSeconds * 1000),
    );
    if (steps > MAX_POINTS) {
      throw new InputError(
        `the window holds ${steps} steps of ${stepSeconds} s; at most ${MAX_POINTS}: choose a larger step`,
      );
    }
    const fromRollups = from.getTime() < this.now() - this.rawRetentionMs;
    if (fromRollups && stepSeconds % 60 !== 0) {
      throw new InputError(
        `data older than the raw retention is kept per minute: step must be a multiple of 60 seconds; got ${stepSeconds}`,
      );
    }
    if (metric === 'error_ratio') {
      const errors = await this.buckets(
        { ...query, metric: 'server_errors' },
        fromRollups,
      );
      const requests = await this.buckets(
        { ...query, metric: 'requests' },
        fromRollups,
      );
      const points: MetricPoint[] = [];
      for (const [at, bucket] of requests) {
        if (bucket.sum > 0) {
          points.push({
            at: new Date(at),
            value: (errors.get(at)?.sum ?? 0) / bucket.sum,
          });
        }
      }
      return points;
    }
    const buckets = await this.buckets({ ...query, metric }, fromRollups);
    if (COUNTER_METRICS.has(metric)) {
      // A counter that counted nothing in a step was at rate 0 then.
      const stepMs = stepSeconds * 1000;
      const points: MetricPoint[] = [];
      for (
        let at = from.getTime() - (from.getTime() % stepMs);
        at < to.getTime();
        at += stepMs
      ) {
        points.push({
          at: new Date(at),
          value: (buckets.get(at)?.sum ?? 0) / stepSeconds,
        });
      }
      return points;
    }
    return [...buckets].map(([at, b]) => ({
      at: new Date(at),
      value: b.sum / b.count,
      min: b.min,
      max: b.max,
    }));
  }

  /** The samples of one series added up per step, keyed by the step's start. */
  private async buckets(
    query: MetricsQuery & { metric: StoredMetric },
    fromRollups: boolean,
  ): Promise<Map<number, Bucket>> {
    const stepMs = query.stepSeconds * 1000;
    const time = fromRollups ? 'minute' : 'at';
    const rows: Bucket[] = await this.knex(fromRollups ? ROLLUPS : SAMPLES)
      .where({ deployment_id: query.deploymentId, metric: query.metric })
      .andWhere(time, '>=', query.from.getTime())
      .andWhere(time, '<', query.to.getTime())
      .select(
        this.knex.raw(`?? - (?? % ${stepMs}) as bucket`, [time, time]),
        this.knex.raw('sum(??) as sum', ['sum']),
        this.knex.raw('sum(??) as count', ['count']),
        fromRollups
          ? this.knex.raw('min(??) as min', ['min'])
          : this.knex.raw('min(?? / ??) as min', ['sum', 'count']),
        fromRollups
          ? this.knex.raw('max(??) as max', ['max'])
          : this.knex.raw('max(?? / ??) as max', ['sum', 'count']),
      )
      .groupBy('bucket')
      .orderBy('bucket');
    return new Map(
      rows.map(row => [
        Number(row.bucket),
        {
          bucket: Number(row.bucket),
          sum: Number(row.sum),
          count: Number(row.count),
          min: Number(row.min),
          max: Number(row.max),
        },
      ]),
    );
  }

  async rollUp(window: { from: Date; to: Date }): Promise<number> {
    const from = window.from.getTime() - (window.from.getTime() % MINUTE_MS);
    const to = window.to.getTime() - (window.to.getTime() % MINUTE_MS);
    if (from >= to) return 0;
    const rows: (Bucket & { deployment_id: string; metric: string })[] =
      await this.knex(SAMPLES)
        .where('at', '>=', from)
        .andWhere('at', '<', to)
        .select(
          'deployment_id',
          'metric',
          this.knex.raw(`?? - (?? % ${MINUTE_MS}) as bucket`, ['at', 'at']),
          this.knex.raw('sum(??) as sum', ['sum']),
          this.knex.raw('sum(??) as count', ['count']),
          this.knex.raw('min(?? / ??) as min', ['sum', 'count']),
          this.knex.raw('max(?? / ??) as max', ['sum', 'count']),
        )
        .groupBy('deployment_id', 'metric', 'bucket');
    const rollups = rows.map(row => ({
      deployment_id: row.deployment_id,
      metric: row.metric,
      minute: Number(row.bucket),
      sum: Number(row.sum),
      count: Number(row.count),
      min: Number(row.min),
      max: Number(row.max),
    }));
    // Rolling a minute up again (a late sample, another replica's run) replaces its rollup.
    for (let i = 0; i < rollups.length; i += WRITE_BATCH) {
      await this.knex(ROLLUPS)
        .insert(rollups.slice(i, i + WRITE_BATCH))
        .onConflict(['deployment_id', 'metric', 'minute'])
        .merge(['sum', 'count', 'min', 'max']);
    }
    return rollups.length;
  }

  async prune(before: {
    samples: Date;
    rollups: Date;
  }): Promise<{ samples: number; rollups: number }> {
    const samples = await this.knex(SAMPLES)
      .where('at', '<', before.samples.getTime())
      .delete();
    const rollups = await this.knex(ROLLUPS)
      .where('minute', '<', before.rollups.getTime())
      .delete();
    return { samples, rollups };
  }
}
