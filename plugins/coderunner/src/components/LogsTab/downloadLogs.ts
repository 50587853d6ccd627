import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { entityApiPath, LogFilter } from '@coderunner/plugin-coderunner-common';

/** Fetches the whole (filtered) history as a file and hands it to the browser to save. */
export async function downloadLogs(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  options: {
    entityRef: string;
    environment: string;
    filter: LogFilter;
    since?: string;
    format: 'text' | 'ndjson';
  },
) {
  const base = await apis.discoveryApi.getBaseUrl('coderunner');
  const query = new URLSearchParams({ format: options.format });
  const { filter } = options;
  if (filter.streams?.length) query.set('stream', filter.streams.join(','));
  if (filter.levels?.length) query.set('level', filter.levels.join(','));
  if (filter.instanceId) query.set('instanceId', filter.instanceId);
  if (filter.releaseId) query.set('releaseId', filter.releaseId);
  if (filter.text) query.set('q', filter.text);
  if (options.since) query.set('since', options.since);
  const response = await apis.fetchApi.fetch(
    `${base}${entityApiPath(
      parseEntityRef(options.entityRef),
    )}/deployments/${encodeURIComponent(
      options.environment,
    )}/logs/download?${query}`,
  );
  if (!response.ok) {
    throw new Error(
      `Download failed: ${response.status} ${await response.text()}`,
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `${name}-${options.environment}.${
    options.format === 'text' ? 'log' : 'ndjson'
  }`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
