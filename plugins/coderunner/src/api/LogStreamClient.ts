import { DiscoveryApi, IdentityApi } from '@backstage/core-plugin-api';
import {
  LogFilter,
  LogLine,
  ScalingDecisionRecord,
  ScalingStatus,
  STREAM_CLOSE_CODES,
  StreamClientMessage,
  StreamServerMessage,
} from '@coderunner/plugin-coderunner-common';

/**
 * The state of the live connection, for the connection indicator.
 *
 * @public
 */
export type LogConnectionState = 'connecting' | 'live' | 'reconnecting';

/**
 * What a subscriber hears.
 *
 * @public
 */
export interface LogStreamHandlers {
  onLines(items: LogLine[]): void;
  onGap(from: number, to: number): void;
  onError(code: string, message: string): void;
  onConnection(state: LogConnectionState): void;
  /** With `topic: 'scaling'`: the environment's scaling status, and the decision that changed it. */
  onScaling?(status: ScalingStatus, decision?: ScalingDecisionRecord): void;
}

const PROTOCOL = 'coderunner.v1';
const MAX_BACKOFF_MS = 10_000;

/**
 * Follows one environment's logs over the CodeRunner WebSocket: reconnects with backoff and
 * resumes from the last sequence number it saw, so nothing is shown twice or skipped. With
 * `topic: 'scaling'` it follows the environment's scaling status the same way (the server
 * sends the whole status on every (re)subscribe, so there is no cursor to resume from).
 *
 * @public
 */
export class LogStreamClient {
  private ws?: WebSocket;
  private cursor?: number;
  private attempts = 0;
  private closed = false;
  private retry?: ReturnType<typeof setTimeout>;
  private readonly id: 'logs' | 'scaling';

  constructor(
    private readonly apis: {
      discoveryApi: DiscoveryApi;
      identityApi: IdentityApi;
    },
    private readonly request: {
      entityRef: string;
      environment: string;
      filter?: LogFilter;
      tail?: number;
      /** `scaling` follows the environment's scaling status instead of its lines. */
      topic?: 'logs' | 'scaling';
    },
    private readonly handlers: LogStreamHandlers,
  ) {
    this.id = request.topic ?? 'logs';
    void this.connect();
  }

  close() {
    this.closed = true;
    clearTimeout(this.retry);
    this.ws?.close();
  }

  private async connect() {
    this.handlers.onConnection(
      this.attempts === 0 ? 'connecting' : 'reconnecting',
    );
    let ws: WebSocket;
    try {
      const base = await this.apis.discoveryApi.getBaseUrl('coderunner');
      const { token } = await this.apis.identityApi.getCredentials();
      if (this.closed) return;
      ws = new WebSocket(`${base.replace(/^http/, 'ws')}/stream`, [
        PROTOCOL,
        token ?? 'none',
      ]);
    } catch {
      this.reconnectLater();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const message: StreamClientMessage =
        this.id === 'scaling'
          ? {
              type: 'subscribe',
              id: this.id,
              topic: 'scaling',
              entityRef: this.request.entityRef,
              environment: this.request.environment,
            }
          : {
              type: 'subscribe',
              id: this.id,
              topic: 'logs',
              entityRef: this.request.entityRef,
              environment: this.request.environment,
              filter: this.request.filter,
              ...(this.cursor !== undefined
                ? { after: this.cursor }
                : { tail: this.request.tail }),
            };
      ws.send(JSON.stringify(message));
    };
    ws.onmessage = event =>
      this.receive(JSON.parse(String(event.data)) as StreamServerMessage);
    ws.onclose = event => {
      if (this.ws !== ws) return;
      if (event.code === STREAM_CLOSE_CODES.tokenExpired) {
        // Routine: the socket lives as long as its token; connect() fetches a fresh one.
        void this.connect();
        return;
      }
      this.reconnectLater();
    };
  }

  private receive(message: StreamServerMessage) {
    switch (message.type) {
      case 'subscribed':
        this.attempts = 0;
        this.handlers.onConnection('live');
        return;
      case 'lines':
        this.cursor = message.lastSeq;
        this.handlers.onLines(message.items);
        return;
      case 'gap':
        this.cursor = Math.max(this.cursor ?? 0, message.to);
        this.handlers.onGap(message.from, message.to);
        return;
      case 'scaling':
        this.attempts = 0;
        this.handlers.onConnection('live');
        this.handlers.onScaling?.(message.status, message.decision);
        return;
      case 'error':
        this.handlers.onError(message.code, message.message);
        if (message.code === 'not-found') {
          // Not deployed yet: look again in a while.
          this.ws?.close();
        } else {
          this.closed = true;
          this.ws?.close();
        }
        return;
      default:
    }
  }

  private reconnectLater() {
    if (this.closed) return;
    this.handlers.onConnection('reconnecting');
    const delay =
      Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts) *
      (0.75 + Math.random() / 2);
    this.attempts += 1;
    this.retry = setTimeout(() => void this.connect(), delay);
  }
}
