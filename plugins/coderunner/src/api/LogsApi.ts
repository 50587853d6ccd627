import { createApiRef } from '@backstage/core-plugin-api';
import { LogFilter, LogSearchPage } from '@coderunner/plugin-coderunner-common';
import { LogStreamHandlers } from './LogStreamClient';

/**
 * Which stored lines a search or a download covers.
 *
 * @public
 */
export interface LogHistoryQuery {
  filter?: LogFilter;
  /** ISO time: only lines written at or after it. */
  since?: string;
}

/**
 * A live subscription to one environment's logs.
 *
 * @public
 */
export interface LogSubscription {
  /** Stops following: no handler is called after it. */
  close(): void;
}

/**
 * The browser's view of an environment's logs beyond single pages (which
 * {@link CodeRunnerApi.readDeploymentLogs} reads): the live stream, search over the whole stored
 * history, and download.
 *
 * @public
 */
export interface LogsApi {
  /**
   * Follows the environment's logs live, from the last `tail` lines: reconnects and resumes
   * from the last line seen, so nothing is shown twice or skipped.
   */
  follow(
    request: {
      entityRef: string;
      environment: string;
      filter?: LogFilter;
      tail?: number;
    },
    handlers: LogStreamHandlers,
  ): LogSubscription;
  /** The sequence numbers of stored lines that contain `text`, searched by the server. */
  search(
    entityRef: string,
    environment: string,
    text: string,
    query?: LogHistoryQuery & { limit?: number },
  ): Promise<LogSearchPage>;
  /** Every stored line that passes the query, as a file's content. */
  download(
    entityRef: string,
    environment: string,
    format: 'text' | 'ndjson',
    query?: LogHistoryQuery,
  ): Promise<Blob>;
}

/**
 * The API ref of {@link LogsApi}.
 *
 * @public
 */
export const logsApiRef = createApiRef<LogsApi>({
  id: 'plugin.coderunner.logs',
});
