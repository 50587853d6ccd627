import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import {
  LogFilter,
  LogLine,
  LogPage,
} from '@coderunner/plugin-coderunner-common';
import useAsync from 'react-use/esm/useAsync';
import { coderunnerApiRef, logsApiRef } from '../api';

/** Lines read around a match or a time: this many before it and after it. */
export const CONTEXT_LINES = 100;

/** Matches one search reads at most. */
const SEARCH_LIMIT = 10_000;

/** The stored lines of one environment that the Logs tab reads, with its filters. */
export interface LogHistoryTarget {
  entityRef: string;
  environment: string;
  filter: LogFilter;
  /** ISO time: only lines written at or after it. */
  since?: string;
}

function pageQuery(filter: LogFilter) {
  return {
    streams: filter.streams,
    levels: filter.levels,
    releaseId: filter.releaseId,
    instanceId: filter.instanceId,
  };
}

/**
 * Reads the stored history of the target's logs: the lines around one, the first line at a
 * time, and the whole history as a file the browser saves.
 */
export function useLogHistory(target: LogHistoryTarget) {
  const api = useApi(coderunnerApiRef);
  const logsApi = useApi(logsApiRef);
  const { entityRef, environment, filter, since } = target;

  /** The lines around `seq` (with the filter: the nearest ones that pass it), oldest first. */
  const readAround = (seq: number): Promise<LogPage> => {
    const after = Math.max(0, seq - CONTEXT_LINES - 1);
    return api.readDeploymentLogs(entityRef, environment, {
      after,
      limit: seq - after + CONTEXT_LINES,
      ...pageQuery(filter),
    });
  };

  /** The first line written at or after `time`, if any. */
  const firstLineAt = async (time: string): Promise<LogLine | undefined> => {
    const page = await api.readDeploymentLogs(entityRef, environment, {
      limit: 1,
      since: time,
      ...pageQuery(filter),
    });
    return page.items[0];
  };

  /** Fetches the whole (filtered) history as a file and hands it to the browser to save. */
  const download = async (format: 'text' | 'ndjson') => {
    const blob = await logsApi.download(entityRef, environment, format, {
      filter,
      since,
    });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${parseEntityRef(entityRef).name}-${environment}.${
      format === 'text' ? 'log' : 'ndjson'
    }`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  return { readAround, firstLineAt, download };
}

/**
 * The sequence numbers of every stored line of the target that contains `text`, searched by
 * the server over the whole history; nothing while `text` is empty.
 */
export function useLogSearch(target: LogHistoryTarget, text: string) {
  const logsApi = useApi(logsApiRef);
  const { entityRef, environment, filter, since } = target;
  return useAsync(
    async () =>
      text
        ? logsApi.search(entityRef, environment, text, {
            filter,
            since,
            limit: SEARCH_LIMIT,
          })
        : undefined,
    [logsApi, entityRef, environment, filter, since, text],
  );
}
