import {
  LogFilter,
  LogLevel,
  LogLine,
  LogPage,
  LogSearchPage,
  LogStream,
} from '@coderunner/plugin-coderunner-common';

/**
 * A line on its way into the store.
 *
 * @internal
 */
export interface NewLogLine {
  stream: LogStream;
  line: string;
  releaseId?: string;
  instanceId?: string;
  /** Detected from the line when not given. */
  level?: LogLevel;
  /**
   * For an instance's stdout or stderr: the byte offset of its stream just after this line.
   * Stored with the line, in the same transaction, so a takeover reads on from there.
   */
  offset?: number;
}

/**
 * What to read: lines after a cursor, narrowed by a filter and a time range.
 *
 * @internal
 */
export interface LogQuery extends LogFilter {
  after?: number;
  limit?: number;
  /** ISO times; `since` inclusive, `until` exclusive. */
  since?: string;
  until?: string;
}

/**
 * Hears lines of a deployment just committed by this process, in order, with their sequence
 * numbers (`seq` of the first is one above the deployment's previous head).
 *
 * @internal
 */
export type AppendListener = (lines: LogLine[]) => void;

/**
 * Where log lines are kept: per deployment, numbered by a sequence without gaps, with the
 * byte offsets of each instance's stored output.
 *
 * @internal
 */
export interface LogStore {
  /**
   * Hears, in this process, the lines of a deployment right after this store committed them,
   * with their sequence numbers: a feed takes fresh lines from here instead of reading them
   * back. Writes by other processes are not heard; read them by cursor.
   */
  onAppended(deploymentId: string, listener: AppendListener): () => void;
  /**
   * Stores lines after the deployment's newest, numbered on from it in one transaction; the
   * sequence number of the last, or 0 when there were none or the deployment is gone.
   */
  append(deploymentId: string, lines: NewLogLine[]): Promise<number>;
  /**
   * A page of lines after `after`, oldest first. With a filter, `lastSeq` is the last line
   * looked at, matching or not, so paging on never reads a line twice.
   */
  read(deploymentId: string, options?: LogQuery): Promise<LogPage>;
  /**
   * {@link read} for the deployment of an entity in an environment, found by the same query
   * when the page is unfiltered (the log page of the API asks the database once); undefined
   * when there is no such deployment.
   */
  readOf(
    deployment: { entityRef: string; environment: string },
    options?: LogQuery,
  ): Promise<LogPage | undefined>;
  /**
   * The JSON text of a page this store read (the same as `JSON.stringify(page)`) when the
   * store can write it cheaper than serializing the page, from text it keeps, with an ETag
   * for it that changes whenever the text would; otherwise undefined.
   */
  pageJson?(page: LogPage): PageText | undefined;
  /**
   * The sequence numbers of the lines after `after` that contain `text` (case-insensitive,
   * literally: `%`, `_` and `\` are no wildcards) and pass the filter, over the whole stored
   * history: only numbers travel, the lines around a match are read from the history.
   */
  search(
    deploymentId: string,
    options: LogQuery & { text: string },
  ): Promise<LogSearchPage>;
  /** The sequence number of the newest line of a deployment, 0 when it has none. */
  head(deploymentId: string): Promise<number>;
  /** When the newest stored line of an instance was written, if it has any. */
  lastLineAt(
    deploymentId: string,
    instanceId: string,
  ): Promise<Date | undefined>;
  /** The last lines an instance wrote, oldest first: the reason shown for a crash. */
  tail(
    deploymentId: string,
    instanceId: string,
    count: number,
  ): Promise<string[]>;
  /**
   * Deletes lines older than `maxAgeMs` and, per deployment, all but the newest
   * `maxLinesPerDeployment`. Returns how many lines went.
   */
  prune(options: {
    maxLinesPerDeployment: number;
    maxAgeMs: number;
  }): Promise<number>;
  /**
   * How many bytes of an instance's stdout and stderr are stored (0 for a stream with none):
   * a replica that takes the instance over reads its output buffer on from there.
   */
  storedOffsets(
    instanceId: string,
  ): Promise<{ stdout: number; stderr: number }>;
}

/** A page's JSON text, as its UTF-8 bytes, and a (weak) ETag made without hashing it. */
export interface PageText {
  text: Buffer;
  etag: string;
}
