/**
 * Where a log line came from.
 *
 * @public
 */
export type LogStream = 'build' | 'stdout' | 'stderr' | 'system';

/**
 * One line of build or runtime output. `seq` orders the lines of a deployment, with no gaps.
 *
 * @public
 */
export interface LogLine {
  seq: number;
  stream: LogStream;
  line: string;
  createdAt: string;
  releaseId?: string;
  instanceId?: string;
}

/**
 * A page of log lines after a cursor.
 *
 * @public
 */
export interface LogPage {
  items: LogLine[];
  /** The cursor to pass as `after` for the next page. */
  lastSeq: number;
}
