import { parseEntityRef } from '@backstage/catalog-model';
import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  entityApiPath,
  LogFilter,
  LogSearchPage,
} from '@coderunner/plugin-coderunner-common';
import { LogHistoryQuery, LogsApi, LogSubscription } from './LogsApi';
import { LogStreamClient, LogStreamHandlers } from './LogStreamClient';

/**
 * Talks to the logs routes and the WebSocket stream of the `coderunner` backend.
 *
 * @public
 */
export class LogsClient implements LogsApi {
  constructor(
    private readonly apis: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      identityApi: IdentityApi;
    },
  ) {}

  follow(
    request: {
      entityRef: string;
      environment: string;
      filter?: LogFilter;
      tail?: number;
    },
    handlers: LogStreamHandlers,
  ): LogSubscription {
    return new LogStreamClient(this.apis, request, handlers);
  }

  async search(
    entityRef: string,
    environment: string,
    text: string,
    query: LogHistoryQuery & { limit?: number } = {},
  ): Promise<LogSearchPage> {
    const params = this.params(query);
    params.set('q', text);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    const response = await this.fetch(
      entityRef,
      environment,
      'logs/search',
      params,
    );
    return (await response.json()) as LogSearchPage;
  }

  async download(
    entityRef: string,
    environment: string,
    format: 'text' | 'ndjson',
    query: LogHistoryQuery = {},
  ): Promise<Blob> {
    const params = this.params(query);
    params.set('format', format);
    if (query.filter?.text) params.set('q', query.filter.text);
    const response = await this.fetch(
      entityRef,
      environment,
      'logs/download',
      params,
    );
    return response.blob();
  }

  private params(query: LogHistoryQuery): URLSearchParams {
    const params = new URLSearchParams();
    const filter = query.filter ?? {};
    if (filter.streams?.length) params.set('stream', filter.streams.join(','));
    if (filter.levels?.length) params.set('level', filter.levels.join(','));
    if (filter.instanceId) params.set('instanceId', filter.instanceId);
    if (filter.releaseId) params.set('releaseId', filter.releaseId);
    if (query.since) params.set('since', query.since);
    return params;
  }

  private async fetch(
    entityRef: string,
    environment: string,
    route: string,
    params: URLSearchParams,
  ): Promise<Response> {
    const base = await this.apis.discoveryApi.getBaseUrl('coderunner');
    const response = await this.apis.fetchApi.fetch(
      `${base}${entityApiPath(
        parseEntityRef(entityRef),
      )}/deployments/${encodeURIComponent(environment)}/${route}?${params}`,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }
}
