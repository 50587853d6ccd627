import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { STREAM_CLOSE_CODES } from '@coderunner/plugin-coderunner-common';
import express from 'express';
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { actorOf } from '../service/EntityRoutes';
import { RateLimiter, rateLimitHeaders } from '../service/RateLimiter';
import {
  assertPerUserCap,
  offeredToken,
  upgradeListener,
} from '../service/webSocketUpgrades';
import { StreamConnection, StreamContext } from './StreamConnection';

/** The subprotocol the browser offers next to its token. */
export const STREAM_PROTOCOL = 'coderunner.v1';
const HEARTBEAT_MS = 15_000;

/**
 * Options of {@link StreamServer.create}.
 *
 * @internal
 */
export interface StreamServerOptions {
  auth: AuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  context: StreamContext;
  /** Open sockets one user (or service) may hold on this replica; more are closed at once. */
  maxSocketsPerUser: number;
  /** Counts connection attempts in the `streamConnects` bucket, shared by all replicas. */
  limiter?: RateLimiter;
}

/**
 * The CodeRunner WebSocket at `/api/coderunner/stream`. The backend framework of this
 * Backstage version has no WebSocket hook for plugins, so, like the signals plugin, it
 * listens to the HTTP server's `upgrade` event, which it finds on the first request that
 * reaches the plugin. Browsers cannot set headers on a WebSocket, so the Backstage token
 * travels as a second subprotocol: `new WebSocket(url, ['coderunner.v1', token])`.
 *
 * @internal
 */
export class StreamServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: 64 * 1024,
    handleProtocols: protocols =>
      protocols.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false,
  });
  private readonly connections = new Set<StreamConnection>();
  /** Open sockets per principal, counted from the upgrade on so a burst cannot slip past. */
  private readonly socketsPerUser = new Map<string, number>();
  private readonly heartbeat: NodeJS.Timeout;
  private path?: string;

  private constructor(private readonly options: StreamServerOptions) {
    this.heartbeat = setInterval(() => {
      for (const connection of this.connections) connection.heartbeat();
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  static create(options: StreamServerOptions) {
    assertPerUserCap(
      'coderunner.stream.maxSocketsPerUser',
      options.maxSocketsPerUser,
    );
    return new StreamServer(options);
  }

  /** Mount first: hooks the upgrade listener, and answers a plain GET of /stream. */
  router(): express.Router {
    const router = express.Router();
    router.use(
      upgradeListener(
        '/stream',
        (request, socket, head) => void this.upgrade(request, socket, head),
      ),
    );
    router.get('/stream', (_req, res) => {
      // An upgrade that arrived before the listener was hooked; the client retries.
      res.setHeader('retry-after', '1');
      res.status(503).json({
        error: {
          name: 'ServiceUnavailable',
          message: 'Connect again with a WebSocket.',
        },
        response: { statusCode: 503 },
      });
    });
    return router;
  }

  get connectionCount() {
    return this.connections.size;
  }

  /** Subscriptions over every open socket of this replica. */
  get subscriptionCount() {
    let total = 0;
    for (const connection of this.connections)
      total += connection.subscriptionCount;
    return total;
  }

  async stop() {
    clearInterval(this.heartbeat);
    for (const connection of this.connections) connection.close();
    this.connections.clear();
  }

  private async upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) {
    if (!this.path) {
      this.path = `${
        new URL(await this.options.discovery.getBaseUrl('coderunner')).pathname
      }/stream`;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.path) return; // another plugin's socket
    let credentials: BackstageCredentials;
    try {
      const token = offeredToken(request, STREAM_PROTOCOL);
      if (!token) {
        throw new Error(
          `offer the subprotocols ${STREAM_PROTOCOL} and a Backstage token`,
        );
      }
      credentials = await this.options.auth.authenticate(token);
    } catch (error) {
      this.options.logger.info(`Refused a log stream connection: ${error}`);
      socket.end(
        'HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    const principal = actorOf(credentials);
    let decision;
    try {
      decision = await this.options.limiter?.take(principal, 'streamConnects');
    } catch (error) {
      // No unhandled rejection from an upgrade listener; the client retries with backoff.
      this.options.logger.warn(`Could not count a stream connection: ${error}`);
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
      );
      return;
    }
    if (decision && !decision.allowed) {
      const body = `Too many stream connections: at most ${decision.limit} a minute; try again in ${decision.resetSeconds} s.`;
      const headers = Object.entries(rateLimitHeaders(decision)).map(
        ([name, value]) => `${name}: ${value}\r\n`,
      );
      socket.end(
        `HTTP/1.1 429 Too Many Requests\r\n${headers.join(
          '',
        )}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(
          body,
        )}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    const open = this.socketsPerUser.get(principal) ?? 0;
    const overCap = open >= this.options.maxSocketsPerUser;
    if (!overCap) this.socketsPerUser.set(principal, open + 1);
    this.wss.handleUpgrade(request, socket, head, ws => {
      if (overCap) {
        // Accepted only to say why: a browser sees a close reason, never an HTTP status.
        ws.close(
          STREAM_CLOSE_CODES.tooManySockets,
          `Too many open streams: at most ${this.options.maxSocketsPerUser} per user; close other tabs`,
        );
        return;
      }
      const connection = new StreamConnection(
        ws,
        credentials,
        this.options.context,
      );
      this.connections.add(connection);
      ws.on('close', () => {
        this.connections.delete(connection);
        const left = (this.socketsPerUser.get(principal) ?? 1) - 1;
        if (left > 0) this.socketsPerUser.set(principal, left);
        else this.socketsPerUser.delete(principal);
      });
    });
  }
}
