import { Knex } from 'knex';
import { entityTabPath } from '../links';
import { AlertCondition, AlertRule } from '../types';

/**
 * The objectives every deployment is held to (app-config `coderunner.alerts.objectives`; the
 * manifest has no objective fields).
 *
 * @internal
 */
export interface Objectives {
  /** The share of requests that must succeed, e.g. 0.99; the rest is the error budget. */
  availability: number;
  /** The p95 latency every deployment must stay under, in milliseconds. */
  latencyP95Ms: number;
  /** Fewer requests than this in the short window say too little to alert on. */
  minRequests: number;
}

/**
 * Multi-window burn-rate alerts (the Google SRE workbook's pairs): an alert needs both the long
 * window (the problem is real) and the short one (it is still going on).
 */
const BURN_RATE_PAIRS = [
  { severity: 'critical', longMin: 60, shortMin: 5, burnRate: 14.4 },
  { severity: 'warning', longMin: 360, shortMin: 30, burnRate: 6 },
] as const;
/** Latency over the objective on both of these windows is a warning; over twice it, critical. */
const LATENCY_WINDOWS = { longMin: 60, shortMin: 5 };

/**
 * Windows up to this many minutes are read from the raw samples; longer ones from the 1-minute
 * rollups (a minute or two behind, which a 30-minute window does not feel), which keeps the
 * rows read every 15 s to 5 minutes of samples.
 */
const RAW_WINDOW_MAX_MIN = 5;

const ERROR_METRICS = ['server_errors', 'connection_errors'];
const METRICS = ['requests', ...ERROR_METRICS, 'latency_p95_ms'];

/** Per deployment and window (in minutes): summed sums and counts per metric. */
type Windowed = Map<
  string,
  Map<number, Map<string, { sum: number; count: number }>>
>;

function add(
  into: Windowed,
  deploymentId: string,
  windowMin: number,
  metric: string,
  sum: number,
  count: number,
) {
  let windows = into.get(deploymentId);
  if (!windows) into.set(deploymentId, (windows = new Map()));
  let metrics = windows.get(windowMin);
  if (!metrics) windows.set(windowMin, (metrics = new Map()));
  const current = metrics.get(metric) ?? { sum: 0, count: 0 };
  metrics.set(metric, {
    sum: current.sum + sum,
    count: current.count + count,
  });
}

/**
 * Reads the 5-minute windows from raw samples and the longer ones from 1-minute rollups, one query
 * each for every deployment at once. The rollups change once a minute, so their answer is kept
 * for the minute.
 */
class WindowReader {
  private rollupCache?: { minute: number; data: Windowed };

  constructor(private readonly knex: Knex) {}

  async read(now: number): Promise<Windowed> {
    const windows = [
      ...new Set([
        ...BURN_RATE_PAIRS.flatMap(p => [p.shortMin, p.longMin]),
        LATENCY_WINDOWS.shortMin,
        LATENCY_WINDOWS.longMin,
      ]),
    ];
    const shortWindows = windows.filter(w => w <= RAW_WINDOW_MAX_MIN);
    const longWindows = windows.filter(w => w > RAW_WINDOW_MAX_MIN);
    const data: Windowed = new Map();
    await this.readWindows(
      data,
      'coderunner_metric_samples',
      'at',
      now,
      shortWindows,
    );
    const minute = Math.floor(now / 60_000);
    if (this.rollupCache?.minute !== minute) {
      const rollups: Windowed = new Map();
      await this.readWindows(
        rollups,
        'coderunner_metric_rollups',
        'minute',
        minute * 60_000,
        longWindows,
      );
      this.rollupCache = { minute, data: rollups };
    }
    for (const [deploymentId, byWindow] of this.rollupCache.data) {
      for (const [windowMin, metrics] of byWindow) {
        for (const [metric, { sum, count }] of metrics) {
          add(data, deploymentId, windowMin, metric, sum, count);
        }
      }
    }
    return data;
  }

  private async readWindows(
    into: Windowed,
    table: string,
    timeColumn: string,
    now: number,
    windowsMin: number[],
  ) {
    const longest = Math.max(...windowsMin);
    const columns = windowsMin.flatMap(windowMin => {
      const from = now - windowMin * 60_000;
      return [
        this.knex.raw(`sum(case when ?? >= ? then ?? else 0 end) as ??`, [
          timeColumn,
          from,
          'sum',
          `s${windowMin}`,
        ]),
        this.knex.raw(`sum(case when ?? >= ? then ?? else 0 end) as ??`, [
          timeColumn,
          from,
          'count',
          `c${windowMin}`,
        ]),
      ];
    });
    const rows: Array<Record<string, string | number>> = await this.knex(table)
      .where(timeColumn, '>=', now - longest * 60_000)
      .whereIn('metric', METRICS)
      .groupBy('deployment_id', 'metric')
      .select('deployment_id', 'metric', ...columns);
    for (const row of rows) {
      for (const windowMin of windowsMin) {
        add(
          into,
          String(row.deployment_id),
          windowMin,
          String(row.metric),
          Number(row[`s${windowMin}`] ?? 0),
          Number(row[`c${windowMin}`] ?? 0),
        );
      }
    }
  }
}

const percent = (value: number) =>
  `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`;

/**
 * Error rate and p95 latency against the deployment's objectives, with multi-window burn rates
 * for errors (critical: 14.4× the budget's burn on 1 h and 5 min; warning: 6× on 6 h and 30 min)
 * and both windows over the objective for latency (1 h and 5 min; critical at twice it).
 *
 * @internal
 */
export function objectiveRules(
  knex: Knex,
  objectives: Objectives,
): AlertRule[] {
  const reader = new WindowReader(knex);
  let latest: { at: number; data: Promise<Windowed> } | undefined;
  // Both rules read the same windows once per evaluation.
  const windows = (now: Date) => {
    if (latest?.at !== now.getTime()) {
      latest = { at: now.getTime(), data: reader.read(now.getTime()) };
      latest.data.catch(() => (latest = undefined));
    }
    return latest.data;
  };
  const deployments = async () =>
    new Map(
      (
        await knex('coderunner_deployments')
          .where('desired_state', 'running')
          .select('id', 'entity_ref', 'environment')
      ).map(row => [
        String(row.id),
        {
          entityRef: String(row.entity_ref),
          environment: String(row.environment),
        },
      ]),
    );
  const budget = 1 - objectives.availability;

  const errorRule: AlertRule = {
    id: 'error-budget-burn',
    async evaluate(now) {
      const [data, running] = await Promise.all([windows(now), deployments()]);
      const conditions: AlertCondition[] = [];
      for (const [deploymentId, byWindow] of data) {
        const deployment = running.get(deploymentId);
        if (!deployment) continue;
        const ratio = (windowMin: number) => {
          const metrics = byWindow.get(windowMin);
          const requests = metrics?.get('requests')?.sum ?? 0;
          const errors = ERROR_METRICS.reduce(
            (total, metric) => total + (metrics?.get(metric)?.sum ?? 0),
            0,
          );
          return { requests, ratio: requests > 0 ? errors / requests : 0 };
        };
        for (const pair of BURN_RATE_PAIRS) {
          const short = ratio(pair.shortMin);
          const long = ratio(pair.longMin);
          if (short.requests < objectives.minRequests) continue;
          const shortBurn = short.ratio / budget;
          const longBurn = long.ratio / budget;
          if (shortBurn < pair.burnRate || longBurn < pair.burnRate) continue;
          conditions.push({
            key: `error-budget-burn:${deployment.entityRef}:${deployment.environment}`,
            entityRef: deployment.entityRef,
            environment: deployment.environment,
            severity: pair.severity,
            title: `Error rate over the objective in ${deployment.environment}`,
            description: `${percent(long.ratio)} of requests failed over ${
              pair.longMin >= 60
                ? `${pair.longMin / 60} h`
                : `${pair.longMin} min`
            } and ${percent(short.ratio)} over ${
              pair.shortMin
            } min, against an objective of ${percent(
              objectives.availability,
            )} succeeding: the error budget burns ${longBurn.toFixed(
              1,
            )}× as fast as it may (alerting from ${pair.burnRate}×).`,
            link: entityTabPath(deployment.entityRef, 'deployments'),
          });
          break;
        }
      }
      return conditions;
    },
  };

  const latencyRule: AlertRule = {
    id: 'latency-objective',
    async evaluate(now) {
      const [data, running] = await Promise.all([windows(now), deployments()]);
      const conditions: AlertCondition[] = [];
      for (const [deploymentId, byWindow] of data) {
        const deployment = running.get(deploymentId);
        if (!deployment) continue;
        const p95 = (windowMin: number) => {
          const metrics = byWindow.get(windowMin);
          const latency = metrics?.get('latency_p95_ms');
          return {
            requests: metrics?.get('requests')?.sum ?? 0,
            p95: latency && latency.count > 0 ? latency.sum / latency.count : 0,
          };
        };
        const short = p95(LATENCY_WINDOWS.shortMin);
        const long = p95(LATENCY_WINDOWS.longMin);
        if (short.requests < objectives.minRequests) continue;
        const over = Math.min(short.p95, long.p95) / objectives.latencyP95Ms;
        if (over <= 1) continue;
        conditions.push({
          key: `latency-objective:${deployment.entityRef}:${deployment.environment}`,
          entityRef: deployment.entityRef,
          environment: deployment.environment,
          severity: over > 2 ? 'critical' : 'warning',
          title: `p95 latency over the objective in ${deployment.environment}`,
          description: `p95 latency was ${Math.round(
            long.p95,
          )} ms over 1 h and ${Math.round(
            short.p95,
          )} ms over 5 min, against an objective of ${
            objectives.latencyP95Ms
          } ms.`,
          link: entityTabPath(deployment.entityRef, 'deployments'),
        });
      }
      return conditions;
    },
  };
  return [errorRule, latencyRule];
}
