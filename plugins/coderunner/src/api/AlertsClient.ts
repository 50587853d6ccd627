import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  Alert,
  CodeRunnerHttpClient,
  entityPathParams,
} from '@coderunner/plugin-coderunner-common';
import { AlertsApi } from './AlertsApi';
import { coderunnerHttpClient } from './coderunnerHttpClient';

/**
 * Talks to the alert routes of the `coderunner` backend.
 *
 * @public
 */
export class AlertsClient implements AlertsApi {
  private readonly http: CodeRunnerHttpClient;

  constructor(apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.http = coderunnerHttpClient(apis);
  }

  async getEntityAlerts(
    entityRef: string,
    options: { status?: 'open' | 'resolved'; limit?: number } = {},
  ): Promise<Alert[]> {
    const { items } = await this.http.get(
      '/entities/{kind}/{namespace}/{name}/alerts',
      {
        params: {
          path: entityPathParams(entityRef),
          query: { status: options.status, limit: options.limit },
        },
      },
    );
    return items;
  }

  async getOpenAlerts(options: { limit?: number } = {}): Promise<Alert[]> {
    const { items } = await this.http.get('/alerts', {
      params: { query: { limit: options.limit } },
    });
    return items;
  }
}
