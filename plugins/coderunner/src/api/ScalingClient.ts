import { parseEntityRef } from '@backstage/catalog-model';
import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ScaleRequest,
  ScalingDecisionList,
  ScalingDecisionRecord,
  ScalingPolicyOverride,
  ScalingPolicyUpdateRequest,
  ScalingPolicyVersionList,
  ScalingStatus,
} from '@coderunner/plugin-coderunner-common';
import { LogStreamClient } from './LogStreamClient';
import {
  ScalingApi,
  ScalingDecisionQuery,
  ScalingWatchHandlers,
} from './ScalingApi';

/**
 * Talks to the scaling routes of the `coderunner` backend over HTTP and
 * follows the stream's `scaling` topic.
 *
 * @public
 */
export class ScalingClient implements ScalingApi {
  constructor(
    private readonly apis: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      identityApi: IdentityApi;
    },
  ) {}

  getStatus(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.request(this.scalingPath(entityRef, environment));
  }

  savePolicy(
    entityRef: string,
    environment: string,
    request: ScalingPolicyUpdateRequest,
  ): Promise<ScalingStatus> {
    return this.request(`${this.scalingPath(entityRef, environment)}/policy`, {
      method: 'PUT',
      body: request,
    });
  }

  resetPolicy(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.request(`${this.scalingPath(entityRef, environment)}/policy`, {
      method: 'DELETE',
    });
  }

  async listPolicyVersions(
    entityRef: string,
    environment: string,
  ): Promise<ScalingPolicyOverride[]> {
    return (
      await this.request<ScalingPolicyVersionList>(
        `${this.scalingPath(entityRef, environment)}/policy/versions`,
      )
    ).items;
  }

  hold(
    entityRef: string,
    environment: string,
    request: ScaleRequest,
  ): Promise<ScalingStatus> {
    return this.request(
      `${this.deploymentPath(entityRef, environment)}/scale`,
      {
        method: 'POST',
        body: request,
      },
    );
  }

  releaseHold(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.request(
      `${this.deploymentPath(entityRef, environment)}/scale`,
      {
        method: 'DELETE',
      },
    );
  }

  pause(
    entityRef: string,
    environment: string,
    reason?: string,
  ): Promise<ScalingStatus> {
    return this.request(`${this.scalingPath(entityRef, environment)}/pause`, {
      method: 'POST',
      body: reason ? { reason } : {},
    });
  }

  resume(entityRef: string, environment: string): Promise<ScalingStatus> {
    return this.request(`${this.scalingPath(entityRef, environment)}/resume`, {
      method: 'POST',
      body: {},
    });
  }

  async listDecisions(
    entityRef: string,
    environment: string,
    query: ScalingDecisionQuery = {},
  ): Promise<ScalingDecisionRecord[]> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.before) params.set('before', query.before);
    if (query.changedOnly) params.set('changedOnly', 'true');
    const search = params.toString();
    return (
      await this.request<ScalingDecisionList>(
        `${this.scalingPath(entityRef, environment)}/decisions${
          search ? `?${search}` : ''
        }`,
      )
    ).items;
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

  /** `/entities/{kind}/{namespace}/{name}/deployments/{environment}` */
  private deploymentPath(entityRef: string, environment: string): string {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return `/${[
      'entities',
      kind.toLocaleLowerCase('en-US'),
      namespace.toLocaleLowerCase('en-US'),
      name,
      'deployments',
      environment,
    ]
      .map(encodeURIComponent)
      .join('/')}`;
  }

  private scalingPath(entityRef: string, environment: string): string {
    return `${this.deploymentPath(entityRef, environment)}/scaling`;
  }

  private async request<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    const baseUrl = await this.apis.discoveryApi.getBaseUrl('coderunner');
    const hasBody = init?.body !== undefined;
    const response = await this.apis.fetchApi.fetch(`${baseUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: hasBody ? { 'content-type': 'application/json' } : undefined,
      body: hasBody ? JSON.stringify(init!.body) : undefined,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
