import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import {
  CodeRunnerHttpClient,
  deploymentPathParams,
  LogFilter,
  LogSearchPage,
} from '@coderunner/plugin-coderunner-common';
import { coderunnerHttpClient } from './coderunnerHttpClient';
import { LogHistoryQuery, LogsApi, LogSubscription } from './LogsApi';
import { LogStreamClient, LogStreamHandlers } from './LogStreamClient';

const LOGS =
  '/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs';

/**
 * Talks to the logs routes and the WebSocket stream of the `coderunner` backend.
 *
 * @public
 */
export class LogsClient implements LogsApi {
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

  search(
    entityRef: string,
    environment: string,
    text: string,
    query: LogHistoryQuery & { limit?: number } = {},
  ): Promise<LogSearchPage> {
    return this.http.get(`${LOGS}/search`, {
      params: {
        path: deploymentPathParams(entityRef, environment),
        query: { ...historyQuery(query), q: text, limit: query.limit },
      },
    });
  }

  download(
    entityRef: string,
    environment: string,
    format: 'text' | 'ndjson',
    query: LogHistoryQuery = {},
  ): Promise<Blob> {
    return this.http.get(`${LOGS}/download`, {
      params: {
        path: deploymentPathParams(entityRef, environment),
        query: {
          ...historyQuery(query),
          format,
          q: query.filter?.text || undefined,
        },
      },
      parseAs: 'blob',
    });
  }
}

/** The query parameters that select the stored lines of a search or a download. */
function historyQuery({ filter = {}, since }: LogHistoryQuery) {
  return {
    stream: filter.streams,
    level: filter.levels,
    instanceId: filter.instanceId || undefined,
    releaseId: filter.releaseId || undefined,
    since: since || undefined,
  };
}
