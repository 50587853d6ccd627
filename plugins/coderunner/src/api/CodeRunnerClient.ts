import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Deployment,
  DeploymentActionResponse,
  DeploymentListQuery,
  DeploymentPage,
  DeployRequest,
  entityApiPath,
  EntitySetup,
  ListResponse,
  LogPage,
  Release,
  RollbackRequest,
} from '@coderunner/plugin-coderunner-common';
import {
  CodeRunnerApi,
  DeploymentAction,
  DeploymentLogQuery,
  DeploymentMetricsQuery,
  MetricSeries,
} from './CodeRunnerApi';

/**
 * Talks to the `coderunner` backend plugin over HTTP.
 *
 * @public
 */
export class CodeRunnerClient implements CodeRunnerApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntitySetup(entityRef: string): Promise<EntitySetup> {
    return this.get<EntitySetup>(`${this.entityPath(entityRef)}/setup`);
  }

  async listDeploymentPage(
    query: DeploymentListQuery = {},
  ): Promise<DeploymentPage> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.environments?.length) {
      params.set('environment', query.environments.join(','));
    }
    if (query.statuses?.length) params.set('status', query.statuses.join(','));
    if (query.text) params.set('q', query.text);
    const search = params.toString();
    return this.get<DeploymentPage>(
      `/deployments${search ? `?${search}` : ''}`,
    );
  }

  async listDeployments(entityRef: string): Promise<Deployment[]> {
    return (
      await this.get<ListResponse<Deployment>>(
        `${this.entityPath(entityRef)}/deployments`,
      )
    ).items;
  }

  async deploy(
    entityRef: string,
    environment: string,
    request: DeployRequest = {},
  ): Promise<DeploymentActionResponse> {
    return this.sendDeploymentChange(
      'POST',
      `${this.deploymentPath(entityRef, environment)}/deploy`,
      request,
    );
  }

  async rollback(
    entityRef: string,
    environment: string,
    request: RollbackRequest,
  ): Promise<DeploymentActionResponse> {
    return this.sendDeploymentChange(
      'POST',
      `${this.deploymentPath(entityRef, environment)}/rollback`,
      request,
    );
  }

  async changeDeployment(
    entityRef: string,
    environment: string,
    action: DeploymentAction,
  ): Promise<DeploymentActionResponse> {
    const path = this.deploymentPath(entityRef, environment);
    return action === 'delete'
      ? this.sendDeploymentChange('DELETE', path)
      : this.sendDeploymentChange('POST', `${path}/${action}`);
  }

  async listReleases(
    entityRef: string,
    environment: string,
  ): Promise<Release[]> {
    return (
      await this.get<ListResponse<Release>>(
        `${this.deploymentPath(entityRef, environment)}/releases`,
      )
    ).items;
  }

  async readDeploymentLogs(
    entityRef: string,
    environment: string,
    query: DeploymentLogQuery = {},
  ): Promise<LogPage> {
    const params = new URLSearchParams();
    if (query.after !== undefined) params.set('after', String(query.after));
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.streams?.length) params.set('stream', query.streams.join(','));
    if (query.levels?.length) params.set('level', query.levels.join(','));
    if (query.releaseId) params.set('releaseId', query.releaseId);
    if (query.instanceId) params.set('instanceId', query.instanceId);
    if (query.since) params.set('since', query.since);
    const search = params.toString();
    return this.get<LogPage>(
      `${this.deploymentPath(entityRef, environment)}/logs${
        search ? `?${search}` : ''
      }`,
    );
  }

  async readDeploymentMetrics(
    entityRef: string,
    environment: string,
    query: DeploymentMetricsQuery,
  ): Promise<MetricSeries> {
    const params = new URLSearchParams({ metric: query.metric });
    if (query.window) params.set('window', query.window);
    if (query.step !== undefined) params.set('step', String(query.step));
    return this.get<MetricSeries>(
      `${this.deploymentPath(entityRef, environment)}/metrics?${params}`,
    );
  }

  private entityPath(entityRef: string): string {
    return entityApiPath(parseEntityRef(entityRef));
  }

  /** `/entities/{kind}/{namespace}/{name}/deployments/{environment}` */
  private deploymentPath(entityRef: string, environment: string): string {
    return `${this.entityPath(entityRef)}/deployments/${encodeURIComponent(
      environment,
    )}`;
  }

  private async sendDeploymentChange(
    method: 'POST' | 'DELETE',
    path: string,
    body?: object,
  ): Promise<DeploymentActionResponse> {
    const baseUrl = await this.discoveryApi.getBaseUrl('coderunner');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body && {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as DeploymentActionResponse;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('coderunner');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
