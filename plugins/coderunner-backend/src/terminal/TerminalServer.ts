import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  isError,
  NotAllowedError,
  serializeError,
} from '@backstage/errors';
import {
  TERMINAL_LIMITS,
  TERMINAL_PROTOCOL,
} from '@coderunner/plugin-coderunner-common';
import express from 'express';
import { IncomingMessage, STATUS_CODES } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { actorOf } from '../service/EntityRoutes';
import { RateLimiter, rateLimitHeaders } from '../service/RateLimiter';
import {
  assertPerUserCap,
  offeredToken,
  upgradeListener,
} from '../service/webSocketUpgrades';
import { TerminalSession, TerminalSessionContext } from './TerminalSession';
import {
  parseTerminalRequest,
  resolveTerminalTarget,
  TerminalTarget,
  TerminalTargetContext,
} from './TerminalTarget';

/**
 * Options of {@link TerminalServer.create}.
 *
 * @internal
 */
export interface TerminalServerOptions {
  auth: AuthService;
  httpAuth: HttpAuthService;
  discovery: DiscoveryService;
  logger: LoggerService;
  auditor: AuditorService;
  targets: TerminalTargetContext;
  session: TerminalSessionContext;
  /** Open sessions one user may hold on this replica. */
  maxSessionsPerUser: number;
  /**
   * The origins a browser may open a terminal from (the app's and the backend's). A request
   * without an `Origin` header is not from a browser page and needs only its token.
   */
  allowedOrigins: string[];
  /** Counts connection attempts in the `streamConnects` bucket, shared with the stream. */
  limiter?: RateLimiter;
}

/** An HTTP answer to an upgrade that is refused. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const STATUS_OF_ERROR: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/**
 * The instance terminal WebSocket at `/api/coderunner/terminal?entity=…&environment=…&instance=…`:
 * a shell in a running instance's sandbox for a user holding `coderunner.instance.exec` on the
 * entity. Like the log stream it listens to the HTTP server's `upgrade` event and takes the
 * token as a second subprotocol (`new WebSocket(url, ['coderunner.terminal.v1', token])`).
 * Every check happens before the upgrade, so a refusal is an HTTP status (403, 404, 409, 429);
 * a plain GET of the same URL runs the same checks and answers 204 or the error as JSON, which
 * is how a browser (which never sees the status of a failed upgrade) learns why.
 *
 * @internal
 */
export class TerminalServer {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    // JSON-escaped input may take several bytes per input byte; larger frames are refused.
    maxPayload: TERMINAL_LIMITS.maxInputBytes * 7,
    handleProtocols: protocols =>
      protocols.has(TERMINAL_PROTOCOL) ? TERMINAL_PROTOCOL : false,
  });
  private readonly sessions = new Set<TerminalSession>();
  /** Open sessions per user, counted from the upgrade on so a burst cannot slip past. */
  private readonly sessionsPerUser = new Map<string, number>();
  private path?: string;

  private constructor(private readonly options: TerminalServerOptions) {}

  static create(options: TerminalServerOptions) {
    assertPerUserCap(
      'coderunner.terminal.maxSessionsPerUser',
      options.maxSessionsPerUser,
    );
    return new TerminalServer(options);
  }

  /** Hooks the upgrade listener, and answers a plain GET of /terminal with the checks' outcome. */
  router(): express.Router {
    const router = express.Router();
    router.use(
      upgradeListener(
        '/terminal',
        (request, socket, head) => void this.upgrade(request, socket, head),
      ),
    );
    router.get('/terminal', async (req, res, next) => {
      try {
        const credentials = await this.options.httpAuth.credentials(req, {
          allow: ['user'],
        });
        const query = new URL(req.originalUrl, 'http://localhost').searchParams;
        await this.check(credentials, query);
        res.status(204).end();
      } catch (error) {
        if (error instanceof Refusal) {
          res
            .status(error.status)
            .set(error.headers)
            .json({
              error: { name: 'Refused', message: error.message },
              response: { statusCode: error.status },
            });
          return;
        }
        next(error);
      }
    });
    return router;
  }

  get sessionCount() {
    return this.sessions.size;
  }

  /** Ends every session (the backend is stopping) and waits for their audit events. */
  async stop() {
    const sessions = [...this.sessions];
    for (const session of sessions) {
      session.end(
        'error',
        'The backend is shutting down; open the terminal again',
      );
    }
    await Promise.all(sessions.map(session => session.done));
  }

  /** Every check but the origin and the rate limit: size, permission, target, session count. */
  private async check(
    credentials: BackstageCredentials,
    query: URLSearchParams,
  ): Promise<{ target: TerminalTarget; size: { cols: number; rows: number } }> {
    const size = initialSize(query);
    const target = await resolveTerminalTarget(
      this.options.targets,
      parseTerminalRequest(query),
      credentials,
    );
    const open = this.sessionsPerUser.get(actorOf(credentials)) ?? 0;
    if (open >= this.options.maxSessionsPerUser) {
      throw new Refusal(
        429,
        `You have ${open} terminals open, the most allowed (coderunner.terminal.maxSessionsPerUser); close one first`,
      );
    }
    return { target, size };
  }

  private async upgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) {
    if (!this.path) {
      this.path = `${
        new URL(await this.options.discovery.getBaseUrl('coderunner')).pathname
      }/terminal`;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== this.path) return; // another socket
    let user: string | undefined;
    let credentials: BackstageCredentials;
    let target: TerminalTarget;
    let size: { cols: number; rows: number };
    try {
      credentials = await this.authenticate(request);
      user = actorOf(credentials);
      await this.countConnection(user);
      ({ target, size } = await this.check(credentials, url.searchParams));
    } catch (error) {
      this.refuse(socket, error, user);
      return;
    }
    const principal = user;
    this.sessionsPerUser.set(
      principal,
      (this.sessionsPerUser.get(principal) ?? 0) + 1,
    );
    const release = () => {
      const left = (this.sessionsPerUser.get(principal) ?? 1) - 1;
      if (left > 0) this.sessionsPerUser.set(principal, left);
      else this.sessionsPerUser.delete(principal);
    };
    let audit;
    try {
      audit = await this.options.auditor.createEvent({
        eventId: 'instance-terminal',
        severityLevel: 'high',
        meta: {
          user: principal,
          entityRef: target.entityRef,
          environment: target.environment,
          instanceId: target.instanceId,
        },
      });
    } catch (error) {
      release();
      this.refuse(socket, new Refusal(503, `Could not audit: ${error}`));
      return;
    }
    let upgraded = false;
    // A socket that goes away during the handshake never reaches the callback.
    socket.once('close', () => {
      if (upgraded) return;
      release();
      void audit.fail({
        error: new Error('The connection closed during the handshake'),
      });
    });
    this.wss.handleUpgrade(request, socket, head, ws => {
      upgraded = true;
      const session = new TerminalSession(
        ws,
        target,
        size,
        audit,
        this.options.session,
        // The user's slot frees as soon as the session ends, not once its shell is killed.
        release,
        credentials.expiresAt,
      );
      this.sessions.add(session);
      this.options.logger.info(
        `${principal} opened a terminal in instance ${target.instanceId} of ${target.entityRef} (${target.environment})`,
      );
      void session.done.then(() => this.sessions.delete(session));
    });
  }

  private async authenticate(
    request: IncomingMessage,
  ): Promise<BackstageCredentials> {
    const origin = request.headers.origin;
    if (origin && !this.options.allowedOrigins.includes(origin)) {
      throw new Refusal(403, `Terminals do not open from the origin ${origin}`);
    }
    const token = offeredToken(request, TERMINAL_PROTOCOL);
    if (!token) {
      throw new Refusal(
        401,
        `Offer the subprotocols ${TERMINAL_PROTOCOL} and a Backstage token`,
      );
    }
    let credentials: BackstageCredentials;
    try {
      credentials = await this.options.auth.authenticate(token);
    } catch (error) {
      throw new Refusal(401, `The token was refused: ${error}`);
    }
    if (!this.options.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError('Terminals are for signed-in users');
    }
    return credentials;
  }

  private async countConnection(user: string) {
    let decision;
    try {
      decision = await this.options.limiter?.take(user, 'streamConnects');
    } catch (error) {
      throw new Refusal(503, `Could not count the connection: ${error}`, {
        'Retry-After': '1',
      });
    }
    if (decision && !decision.allowed) {
      throw new Refusal(
        429,
        `Too many connections: at most ${decision.limit} a minute; try again in ${decision.resetSeconds} s`,
        rateLimitHeaders(decision),
      );
    }
  }

  private refuse(socket: Duplex, error: unknown, user?: string) {
    const status =
      error instanceof Refusal
        ? error.status
        : (isError(error) && STATUS_OF_ERROR[error.name]) || 500;
    const headers = error instanceof Refusal ? error.headers : {};
    if (status >= 500) {
      this.options.logger.warn(`Could not open a terminal: ${error}`);
    } else {
      this.options.logger.info(
        `Refused a terminal${user ? ` to ${user}` : ''}: ${error}`,
      );
    }
    const body = JSON.stringify({
      error: isError(error)
        ? { name: error.name, message: error.message }
        : serializeError(new Error(String(error))),
    });
    const lines = Object.entries({
      ...headers,
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      Connection: 'close',
    }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join(
        '',
      )}\r\n${body}`,
    );
  }
}

/** The terminal's size at the start, from `cols` and `rows` (80×24 when left out). */
function initialSize(query: URLSearchParams) {
  const read = (
    name: 'cols' | 'rows',
    fallback: number,
    min: number,
    max: number,
  ) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InputError(
        `The query parameter '${name}' must be a whole number from ${min} to ${max}, not '${raw}'`,
      );
    }
    return value;
  };
  return {
    cols: read('cols', 80, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.maxCols),
    rows: read('rows', 24, TERMINAL_LIMITS.minRows, TERMINAL_LIMITS.maxRows),
  };
}
