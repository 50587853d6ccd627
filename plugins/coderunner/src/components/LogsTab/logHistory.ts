import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  entityApiPath,
  LogFilter,
  LogPage,
  LogSearchPage,
} from '@coderunner/plugin-coderunner-common';

type Apis = { discoveryApi: DiscoveryApi; fetchApi: FetchApi };

/** Lines read around a match or a time: this many before it and after it. */
export const CONTEXT_LINES = 100;

interface Target {
  entityRef: string;
  environment: string;
  filter: LogFilter;
  /** ISO time: only lines written at or after it. */
  since?: string;
}

async function getJson<T>(
  apis: Apis,
  target: Target,
  route: string,
  params: URLSearchParams,
): Promise<T> {
  const { filter } = target;
  if (filter.streams?.length) params.set('stream', filter.streams.join(','));
  if (filter.levels?.length) params.set('level', filter.levels.join(','));
  if (filter.instanceId) params.set('instanceId', filter.instanceId);
  if (filter.releaseId) params.set('releaseId', filter.releaseId);
  if (target.since) params.set('since', target.since);
  const base = await apis.discoveryApi.getBaseUrl('coderunner');
  const response = await apis.fetchApi.fetch(
    `${base}${entityApiPath(
      parseEntityRef(target.entityRef),
    )}/deployments/${encodeURIComponent(
      target.environment,
    )}/${route}?${params}`,
  );
  if (!response.ok) throw await ResponseError.fromResponse(response);
  return (await response.json()) as T;
}

/** The sequence numbers of every stored line that contains `text`, searched by the server. */
export function searchLogs(
  apis: Apis,
  target: Target,
  text: string,
): Promise<LogSearchPage> {
  return getJson(
    apis,
    target,
    'logs/search',
    new URLSearchParams({ q: text, limit: '10000' }),
  );
}

/** The lines around `seq` (with the filter: the nearest ones that pass it), oldest first. */
export async function readAround(
  apis: Apis,
  target: Target,
  seq: number,
): Promise<LogPage> {
  const after = Math.max(0, seq - CONTEXT_LINES - 1);
  return getJson(
    apis,
    { ...target, since: undefined },
    'logs',
    new URLSearchParams({
      after: String(after),
      limit: String(seq - after + CONTEXT_LINES),
    }),
  );
}

/** The first line written at or after `time`, if any. */
export async function firstLineAt(apis: Apis, target: Target, time: string) {
  const page = await getJson<LogPage>(
    apis,
    { ...target, since: time },
    'logs',
    new URLSearchParams({ limit: '1' }),
  );
  return page.items[0];
}
