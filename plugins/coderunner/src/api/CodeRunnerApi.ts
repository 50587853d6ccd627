import { createApiRef } from '@backstage/core-plugin-api';
import {
  components,
  Deployment,
  DeploymentActionResponse,
  DeploymentListQuery,
  DeploymentPage,
  DeployRequest,
  EntitySetup,
  LogLevel,
  LogPage,
  LogStream,
  Release,
  RollbackRequest,
} from '@coderunner/plugin-coderunner-common';

/**
 * The browser's view of the CodeRunner backend.
 *
 * @public
 */
export interface CodeRunnerApi {
  /**
   * What the backend knows about an entity's CodeRunner setup: where its
   * `coderunner.yaml` is, whether it was found, and the environments on offer.
   *
   * @param entityRef - the entity ref, e.g. `component:default/hello-node`
   */
  getEntitySetup(entityRef: string): Promise<EntitySetup>;

  /**
   * A page of the deployments the user may see, across all entities, in entity ref and then
   * environment order; pass the answer's `nextCursor` as `cursor` for the next page.
   */
  listDeploymentPage(query?: DeploymentListQuery): Promise<DeploymentPage>;

  /** The entity's deployments, one per environment deployed so far. */
  listDeployments(entityRef: string): Promise<Deployment[]>;

  /** Builds a new release from the entity's source and rolls it out. */
  deploy(
    entityRef: string,
    environment: string,
    request?: DeployRequest,
  ): Promise<DeploymentActionResponse>;

  /** Rolls the environment back to an earlier release that built. */
  rollback(
    entityRef: string,
    environment: string,
    request: RollbackRequest,
  ): Promise<DeploymentActionResponse>;

  /** Restarts, stops, starts or deletes the environment's deployment. */
  changeDeployment(
    entityRef: string,
    environment: string,
    action: DeploymentAction,
  ): Promise<DeploymentActionResponse>;

  /** The environment's releases, newest first. */
  listReleases(entityRef: string, environment: string): Promise<Release[]>;

  /** A page of the environment's stored log lines, e.g. one release's build output. */
  readDeploymentLogs(
    entityRef: string,
    environment: string,
    query?: DeploymentLogQuery,
  ): Promise<LogPage>;

  /** One metric of the environment's deployment over a window ending now. */
  readDeploymentMetrics(
    entityRef: string,
    environment: string,
    query: DeploymentMetricsQuery,
  ): Promise<MetricSeries>;
}

/**
 * The series the metrics API keeps per deployment (docs/monitoring.md).
 *
 * @public
 */
export type DeploymentMetricName = components['schemas']['MetricName'];

/**
 * Which series {@link CodeRunnerApi.readDeploymentMetrics} returns.
 *
 * @public
 */
export interface DeploymentMetricsQuery {
  metric: DeploymentMetricName;
  /** How far back from now: `5m`, `1h`, `7d` …; the backend's default is `1h`. */
  window?: string;
  /** Seconds per point; by default the window / 120. */
  step?: number;
}

/**
 * One step of a series: a counter's rate per second, or an average with the
 * smallest and largest sample of the step.
 *
 * @public
 */
export type MetricSeriesPoint = MetricSeries['points'][number];

/**
 * A metric over [from, to), one point per step (steps without data are left
 * out for averages and ratios).
 *
 * @public
 */
export type MetricSeries = components['schemas']['MetricSeries'];

/**
 * A change to a deployment that needs no body.
 *
 * @public
 */
export type DeploymentAction = 'restart' | 'stop' | 'start' | 'delete';

/**
 * Which stored log lines {@link CodeRunnerApi.readDeploymentLogs} returns.
 *
 * @public
 */
export interface DeploymentLogQuery {
  /** Lines after this sequence number. */
  after?: number;
  limit?: number;
  streams?: LogStream[];
  levels?: LogLevel[];
  releaseId?: string;
  instanceId?: string;
  /** ISO time: only lines written at or after it. */
  since?: string;
}

/**
 * The API ref of {@link CodeRunnerApi}.
 *
 * @public
 */
export const coderunnerApiRef = createApiRef<CodeRunnerApi>({
  id: 'plugin.coderunner.service',
});
