import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  CodeRunnerHttpClient,
  createCodeRunnerHttpClient,
} from '@coderunner/plugin-coderunner-common';

/**
 * The generated REST client of the `coderunner` backend, over Backstage's discovery (the base
 * URL) and fetch (the user's token) APIs.
 */
export function coderunnerHttpClient(apis: {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
}): CodeRunnerHttpClient {
  return createCodeRunnerHttpClient({
    baseUrl: () => apis.discoveryApi.getBaseUrl('coderunner'),
    fetch: (url, init) => apis.fetchApi.fetch(url, init),
  });
}
