import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  CodeRunnerHttpClient,
  Deployment,
  DeploymentActionResponse,
  DeploymentListQuery,
  DeploymentPage,
  DeployRequest,
  deploymentPathParams,
  entityPathParams,
  EntitySetup,
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
import { coderunnerHttpClient } from './coderunnerHttpClient';

const DEPLOYMENT =
  '/entities/{kind}/{namespace}/{name}/deployments/{environment}';

/**
 * Talks to the `coderunner` backend plugin over HTTP.
 *
 * @public
 */
export class CodeRunnerClient implements CodeRunnerApi {
  private readonly http: CodeRunnerHttpClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = coderunnerHttpClient(options);
  }

  async getEntitySetup(entityRef: string): Promise<EntitySetup> {
    return this.http.get('/entities/{kind}/{namespace}/{name}/setup', {
      params: { path: entityPathParams(entityRef) },
    });
  }

  async listDeploymentPage(
    query: DeploymentListQuery = {},
  ): Promise<DeploymentPage> {
    return this.http.get('/deployments', {
      params: {
        query: {
          limit: query.limit,
          cursor: query.cursor || undefined,
          environment: query.environments,
          status: query.statuses,
          q: query.text || undefined,
        },
      },
    });
  }

  async listDeployments(entityRef: string): Promise<Deployment[]> {
    const { items } = await this.http.get(
      '/entities/{kind}/{namespace}/{name}/deployments',
      { params: { path: entityPathParams(entityRef) } },
    );
    return items;
  }

  async deploy(
    entityRef: string,
    environment: string,
    request: DeployRequest = {},
  ): Promise<DeploymentActionResponse> {
    return this.http.post(`${DEPLOYMENT}/deploy`, {
      params: { path: deploymentPathParams(entityRef, environment) },
      body: request,
    });
  }

  async rollback(
    entityRef: string,
    environment: string,
    request: RollbackRequest,
  ): Promise<DeploymentActionResponse> {
    return this.http.post(`${DEPLOYMENT}/rollback`, {
      params: { path: deploymentPathParams(entityRef, environment) },
      body: request,
    });
  }

  async changeDeployment(
    entityRef: string,
    environment: string,
    action: DeploymentAction,
  ): Promise<DeploymentActionResponse> {
    const init = {
      params: { path: deploymentPathParams(entityRef, environment) },
    };
    return action === 'delete'
      ? this.http.delete(DEPLOYMENT, init)
      : this.http.post(`${DEPLOYMENT}/${action}`, init);
  }

  async listReleases(
    entityRef: string,
    environment: string,
  ): Promise<Release[]> {
    const { items } = await this.http.get(`${DEPLOYMENT}/releases`, {
      params: { path: deploymentPathParams(entityRef, environment) },
    });
    return items;
  }

  async readDeploymentLogs(
    entityRef: string,
    environment: string,
    query: DeploymentLogQuery = {},
  ): Promise<LogPage> {
    return this.http.get(`${DEPLOYMENT}/logs`, {
      params: {
        path: deploymentPathParams(entityRef, environment),
        query: {
          after: query.after,
          limit: query.limit,
          stream: query.streams,
          level: query.levels,
          releaseId: query.releaseId || undefined,
          instanceId: query.instanceId || undefined,
          since: query.since || undefined,
        },
      },
    });
  }

  async readDeploymentMetrics(
    entityRef: string,
    environment: string,
    query: DeploymentMetricsQuery,
  ): Promise<MetricSeries> {
    return this.http.get(`${DEPLOYMENT}/metrics`, {
      params: {
        path: deploymentPathParams(entityRef, environment),
        query: {
          metric: query.metric,
          window: query.window || undefined,
          step: query.step,
        },
      },
    });
  }
}
