import { BucketedHistogram } from '../metrics/BucketedHistogram';

/**
 * Upper bounds, in seconds, of the gateway's latency buckets (Prometheus' `le`); one more bucket
 * above the last counts everything slower. Fixed, so that observing a request only increments.
 *
 * @internal
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * The request counters of one deployment or one instance: totals since the gateway started,
 * only ever incremented (except `inFlight`), so that readers compute rates from differences.
 *
 * @internal
 */
export class RequestCounters {
  /** Answered requests by status class: index 0 is 1xx, 4 is 5xx. */
  readonly byStatusClass = new Float64Array(5);
  /** Requests whose instance could not be reached or broke off the answer. */
  connectionErrors = 0;
  inFlight = 0;
  /** How long answered requests took. */
  readonly latency = new BucketedHistogram(LATENCY_BUCKETS_SECONDS);

  get requests(): number {
    let total = 0;
    for (const count of this.byStatusClass) total += count;
    return total;
  }

  get serverErrors(): number {
    return this.byStatusClass[4];
  }

  /** Counts an answered request; `status` is what the client got. */
  observe(status: number, seconds: number): void {
    const statusClass = Math.floor(status / 100) - 1;
    this.byStatusClass[
      statusClass < 0 || statusClass > 4 ? 4 : statusClass
    ] += 1;
    this.latency.observe(seconds);
  }
}

/**
 * One deployment's counters and those of its instances.
 *
 * @internal
 */
export interface DeploymentRequestSeries {
  deploymentId: string;
  entityRef: string;
  environment: string;
  /** Every request of the deployment, counted once whatever the retries. */
  counters: RequestCounters;
  /** Per instance id: every attempt the gateway sent to that instance. */
  instances: Map<string, RequestCounters>;
}

/**
 * What the gateway measured, in memory, per deployment and instance: kept by the gateway (every
 * request crosses it, as Knative's queue-proxy) and read by the metrics capability. Counters are
 * created when routes load, so the request path only finds and increments them.
 *
 * @internal
 */
export class RequestMetrics {
  private readonly series = new Map<string, DeploymentRequestSeries>();

  /** The counters of a deployment, created on first sight. */
  deployment(deployment: {
    deploymentId: string;
    entityRef: string;
    environment: string;
  }): DeploymentRequestSeries {
    let series = this.series.get(deployment.deploymentId);
    if (!series) {
      series = {
        ...deployment,
        counters: new RequestCounters(),
        instances: new Map(),
      };
      this.series.set(deployment.deploymentId, series);
    }
    return series;
  }

  /** The counters of an instance of a deployment, created on first sight. */
  instance(
    series: DeploymentRequestSeries,
    instanceId: string,
  ): RequestCounters {
    let counters = series.instances.get(instanceId);
    if (!counters) {
      counters = new RequestCounters();
      series.instances.set(instanceId, counters);
    }
    return counters;
  }

  /**
   * Forgets deployments and instances that no longer exist, so that the number of series stays
   * that of the live ones. A deployment's counters outlive its instances: its totals never drop.
   */
  retain(live: Map<string, Set<string>>): void {
    for (const [deploymentId, series] of this.series) {
      const instances = live.get(deploymentId);
      if (!instances) {
        this.series.delete(deploymentId);
        continue;
      }
      for (const instanceId of series.instances.keys()) {
        if (!instances.has(instanceId)) series.instances.delete(instanceId);
      }
    }
  }

  /** Every deployment's series, as they are now (live objects: read, never change). */
  all(): IterableIterator<DeploymentRequestSeries> {
    return this.series.values();
  }
}
