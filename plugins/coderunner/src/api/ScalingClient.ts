import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import {
  CodeRunnerHttpClient,
  deploymentPathParams,
  ScaleRequest,
  ScalingDecisionRecord,
  ScalingPolicyOverride,
  ScalingPolicyUpdateRequest,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { coderunnerHttpClient } from './coderunnerHttpClient';
import { LogStreamClient } from './LogStreamClient';
import {
  ScalingApi,
  ScalingDecisionQuery,
  ScalingWatchHandlers,
} from './ScalingApi';

const DEPLOYMENT =
  '/entities/{kind}/{namespace}/{name}/deployments/{environment}';
const SCALING = `${DEPLOYMENT}/scaling` as const;

/**
 * Talks to the scaling routes of the `coderunner` backend over HTTP and
 * follows the stream's `scaling` topic.
 *
 * @public
 */
export class ScalingClient implements ScalingApi {
  private readonly http: CodeRunnerHttpClient;

  constructor(
    private readonly apis: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      identityApi: IdentityApi;
    },
  ) {
    this.http = coderunnerHttpClient(apis);
  }

  getStatus(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.http.get(SCALING, {
      params: { path: deploymentPathParams(entityRef, environment) },
    });
  }

  savePolicy(
    entityRef: string,
    environment: string,
    request: ScalingPolicyUpdateRequest,
  ): Promise<ScalingStatus> {
    return this.http.put(`${SCALING}/policy`, {
      params: { path: deploymentPathParams(entityRef, environment) },
      body: request,
    });
  }

  resetPolicy(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.http.delete(`${SCALING}/policy`, {
      params: { path: deploymentPathParams(entityRef, environment) },
    });
  }

  async listPolicyVersions(
    entityRef: string,
    environment: string,
  ): Promise<ScalingPolicyOverride[]> {
    const { items } = await this.http.get(`${SCALING}/policy/versions`, {
      params: { path: deploymentPathParams(entityRef, environment) },
    });
    return items;
  }

  hold(
    entityRef: string,
    environment: string,
    request: ScaleRequest,
  ): Promise<ScalingStatus> {
    return this.http.post(`${DEPLOYMENT}/scale`, {
      params: { path: deploymentPathParams(entityRef, environment) },
      body: request,
    });
  }

  releaseHold(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.http.delete(`${DEPLOYMENT}/scale`, {
      params: { path: deploymentPathParams(entityRef, environment) },
    });
  }

  pause(
    entityRef: string,
    environment: string,
    reason?: string,
  ): Promise<ScalingStatus> {
    return this.http.post(`${SCALING}/pause`, {
      params: { path: deploymentPathParams(entityRef, environment) },
      body: reason ? { reason } : {},
    });
  }

  resume(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.http.post(`${SCALING}/resume`, {
      params: { path: deploymentPathParams(entityRef, environment) },
    });
  }

  async listDecisions(
    entityRef: string,
    environment: string,
    query: ScalingDecisionQuery = {},
  ): Promise<ScalingDecisionRecord[]> {
    const { items } = await this.http.get(`${SCALING}/decisions`, {
      params: {
        path: deploymentPathParams(entityRef, environment),
        query: {
          limit: query.limit,
          before: query.before || undefined,
          changedOnly: query.changedOnly || undefined,
        },
      },
    });
    return items;
  }

  watch(
    entityRef: string,
    environment: string,
    handlers: ScalingWatchHandlers,
  ): () => void {
    const client = new LogStreamClient(
      this.apis,
      { entityRef, environment, topic: 'scaling' },
      {
        onLines: () => {},
        onGap: () => {},
        onError: handlers.onError,
        onConnection: handlers.onConnection,
        onScaling: handlers.onStatus,
      },
    );
    return () => client.close();
  }
}
