import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Alert, AlertList } from '@coderunner/plugin-coderunner-common';
import { AlertsApi } from './AlertsApi';

/**
 * Talks to the alert routes of the `coderunner` backend.
 *
 * @public
 */
export class AlertsClient implements AlertsApi {
  constructor(
    private readonly apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  async getEntityAlerts(
    entityRef: string,
    options: { status?: 'open' | 'resolved'; limit?: number } = {},
  ): Promise<Alert[]> {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    const path = `/${[
      'entities',
      kind.toLocaleLowerCase('en-US'),
      namespace.toLocaleLowerCase('en-US'),
      name,
      'alerts',
    ]
      .map(encodeURIComponent)
      .join('/')}`;
    return (await this.request(path, options)).items;
  }

  async getOpenAlerts(options: { limit?: number } = {}): Promise<Alert[]> {
    return (await this.request('/alerts', options)).items;
  }

  private async request(
    path: string,
    params: Record<string, string | number | undefined>,
  ): Promise<AlertList> {
    const entries = Object.entries(params)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]);
    const query = entries.length ? `?${new URLSearchParams(entries)}` : '';
    const baseUrl = await this.apis.discoveryApi.getBaseUrl('coderunner');
    const response = await this.apis.fetchApi.fetch(
      `${baseUrl}${path}${query}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as AlertList;
  }
}
