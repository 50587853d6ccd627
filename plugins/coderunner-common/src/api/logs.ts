import { Deployment } from './deployments';
import { components } from './generated/openapi';
import { ScalingDecisionRecord, ScalingStatus } from './scaling';

/**
 * Where a log line came from.
 *
 * @public
 */
export type LogStream = components['schemas']['LogStream'];

/**
 * The severity of a log line, detected from common formats (`ERROR`, `level=warn`, JSON
 * `"level"`); lines with no recognisable level have none.
 *
 * @public
 */
export type LogLevel = components['schemas']['LogLevel'];

/**
 * Every log level, least severe first.
 *
 * @public
 */
export const LOG_LEVELS: LogLevel[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
];

/**
 * Every log stream.
 *
 * @public
 */
export const LOG_STREAMS: LogStream[] = ['build', 'stdout', 'stderr', 'system'];

/**
 * One line of build or runtime output. `seq` orders the lines of a deployment, with no gaps.
 *
 * @public
 */
export type LogLine = components['schemas']['LogLine'];

/**
 * A page of log lines after a cursor.
 *
 * @public
 */
export type LogPage = components['schemas']['LogPage'];

/**
 * The sequence numbers of the lines that contain a text, over a deployment's whole stored
 * history, oldest first.
 *
 * @public
 */
export type LogSearchPage = components['schemas']['LogSearchPage'];

/**
 * Which lines of a deployment a reader wants; every field narrows the selection.
 *
 * @public
 */
export interface LogFilter {
  instanceId?: string;
  releaseId?: string;
  streams?: LogStream[];
  levels?: LogLevel[];
  /** Case-insensitive substring. */
  text?: string;
}

/**
 * A message from the browser on the CodeRunner WebSocket (`/api/coderunner/stream`).
 * See docs/logs.md.
 *
 * @public
 */
export type StreamClientMessage =
  | {
      type: 'subscribe';
      /** Chosen by the client; names the subscription in every reply. */
      id: string;
      topic: 'logs';
      entityRef: string;
      environment: string;
      /** Resume after this sequence number (no gap, no duplicate). */
      after?: number;
      /** Without `after`: start with the last `tail` lines (default 1000). */
      tail?: number;
      filter?: LogFilter;
    }
  | {
      type: 'subscribe';
      id: string;
      topic: 'status';
      entityRef: string;
      environment: string;
    }
  | {
      type: 'subscribe';
      id: string;
      /** Scaling status and decisions of one environment; see docs/autoscaling.md. */
      topic: 'scaling';
      entityRef: string;
      environment: string;
    }
  | { type: 'unsubscribe'; id: string }
  | { type: 'ping' };

/**
 * Close codes of the CodeRunner WebSocket beyond the standard ones. See docs/logs.md.
 *
 * @public
 */
export const STREAM_CLOSE_CODES = {
  /** The token the socket was opened with expired: reconnect with a fresh token. */
  tokenExpired: 4401,
  /** The user already holds the most open sockets allowed: close another one first. */
  tooManySockets: 4429,
} as const;

/**
 * A message from the backend on the CodeRunner WebSocket. See docs/logs.md.
 *
 * @public
 */
export type StreamServerMessage =
  | { type: 'subscribed'; id: string; deploymentId: string; lastSeq: number }
  | {
      type: 'lines';
      id: string;
      items: LogLine[];
      /** The cursor to resume from: every line up to here was considered. */
      lastSeq: number;
    }
  | {
      type: 'gap';
      id: string;
      /** First and last sequence number that can no longer be delivered. */
      from: number;
      to: number;
      reason: 'retention';
    }
  | { type: 'status'; id: string; deployment: Deployment }
  | {
      type: 'scaling';
      id: string;
      status: ScalingStatus;
      /** The decision that caused this message, when one did. */
      decision?: ScalingDecisionRecord;
    }
  | { type: 'unsubscribed'; id: string }
  | { type: 'heartbeat'; time: string }
  | { type: 'pong' }
  | {
      type: 'error';
      id?: string;
      code: 'invalid' | 'forbidden' | 'not-found' | 'limit' | 'internal';
      message: string;
    };
