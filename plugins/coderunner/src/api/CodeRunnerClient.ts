import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import { CodeRunnerApi } from './CodeRunnerApi';

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

  /** `/entities/{kind}/{namespace}/{name}`, kind and namespace lower-cased like catalog URLs. */
  private entityPath(entityRef: string): string {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return [
      'entities',
      kind.toLocaleLowerCase('en-US'),
      namespace.toLocaleLowerCase('en-US'),
      name,
    ]
      .map(segment => `/${encodeURIComponent(segment)}`)
      .join('');
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
