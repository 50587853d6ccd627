import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { request, upgrade } from 'undici';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { DeploymentRow } from '../deployments/rows';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** An idempotent request's body up to this size is kept, so it can be sent again on a retry. */
const MAX_REPLAYABLE_BODY = 1024 * 1024;

/**
 * Gateway settings from app-config `coderunner.gateway`.
 *
 * @internal
 */
export interface GatewayOptions {
  /** The port the gateway listens on; 0 picks a free one (tests). */
  port: number;
  /** Apps are served at `<name>.<environment>.<baseDomain>`; `localhost` works in browsers. */
  baseDomain: string;
  /** The scheme and port people use to reach the gateway, e.g. `http://…:7080`. */
  publicScheme: string;
  publicPort?: number;
  listenHost?: string;
}

type Route = { deploymentId: string; label: string; urls: string[]; status: string };

/**
 * Serves every deployment on a stable URL of its own origin, balancing over the ready
 * instances of its active release, retrying idempotent requests on another instance when one
 * dies, passing WebSockets through, and answering 503 with a page that says why when no
 * instance is ready. Runs on its own port so that apps never share the portal's origin.
 *
 * @internal
 */
export class Gateway {
  private server?: http.Server;
  private routes = new Map<string, Route>();
  private next = 0;
  private refreshing?: Promise<void>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: DeploymentStore,
    private readonly options: GatewayOptions,
    private readonly logger: LoggerService,
  ) {}

  /** The host name of a deployment on the gateway. */
  hostFor(entityRef: string, environment: string): string {
    const ref = parseEntityRef(entityRef);
    const namespace = ref.namespace === 'default' ? '' : `.${ref.namespace}`;
    return `${ref.name}${namespace}.${environment}.${this.options.baseDomain}`.toLocaleLowerCase('en-US');
  }

  /** The URL people open for a deployment. */
  urlFor(deployment: Pick<DeploymentRow, 'entity_ref' | 'environment'>): string {
    const port = this.options.publicPort ?? this.port;
    const defaultPort = this.options.publicScheme === 'https' ? 443 : 80;
    return `${this.options.publicScheme}://${this.hostFor(deployment.entity_ref, deployment.environment)}${
      port === defaultPort ? '' : `:${port}`
    }/`;
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => void this.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port, this.options.listenHost ?? '0.0.0.0', resolve);
    });
    await this.refresh();
    const tick = () => {
      void this.refresh().finally(() => {
        this.timer = setTimeout(tick, 2000);
      });
    };
    this.timer = setTimeout(tick, 2000);
    this.logger.info(`CodeRunner gateway serving deployments at ${this.options.publicScheme}://<name>.<environment>.${this.options.baseDomain}:${this.port}`);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise(resolve => this.server!.close(resolve));
    }
  }

  /** Re-reads which instances serve which host; called on every deployment change. */
  refresh(): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = this.loadRoutes().finally(() => {
        this.refreshing = undefined;
      });
    }
    return this.refreshing;
  }

  private async loadRoutes() {
    try {
      const routes = new Map<string, Route>();
      for (const deployment of await this.store.listDeployments()) {
        const instances = await this.store.listInstances(deployment.id);
        const urls = instances
          .filter(
            i =>
              i.state === 'ready' &&
              i.url &&
              i.release_id === deployment.active_release_id,
          )
          .map(i => i.url!);
        routes.set(this.hostFor(deployment.entity_ref, deployment.environment), {
          deploymentId: deployment.id,
          label: `${deployment.entity_ref} in ${deployment.environment}`,
          urls,
          status: deployment.status_reason ?? deployment.status,
        });
      }
      this.routes = routes;
    } catch (error) {
      this.logger.warn(`Gateway could not refresh its routes: ${error}`);
    }
  }

  private route(req: http.IncomingMessage): Route | undefined {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLocaleLowerCase('en-US');
    return this.routes.get(host);
  }

  private pick(route: Route, skip: Set<string>): string | undefined {
    const candidates = route.urls.filter(u => !skip.has(u));
    if (candidates.length === 0) return undefined;
    this.next = (this.next + 1) % candidates.length;
    return candidates[this.next];
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const route = this.route(req);
    if (!route) {
      return unavailable(res, 404, 'No such deployment', `Nothing is deployed at ${req.headers.host}.`);
    }
    const method = req.method ?? 'GET';
    const body = await requestBody(req, method);
    // A request is tried on another instance only when repeating it is safe and possible.
    const retryable = IDEMPOTENT.has(method) && body.replayable;
    const tried = new Set<string>();
    let current = route;
    let refreshed = false;
    for (;;) {
      let target = this.pick(current, tried);
      if (!target && tried.size > 0 && !refreshed) {
        // Every known instance failed: the routes may be stale; look again once.
        refreshed = true;
        await this.refresh();
        current = this.route(req) ?? current;
        target = this.pick(current, tried);
      }
      if (!target) {
        return unavailable(
          res,
          503,
          'No instance is ready',
          `${route.label} has no ready instance right now (${route.status}). Try again in a moment.`,
        );
      }
      tried.add(target);
      try {
        const upstream = await request(new URL(req.url ?? '/', target), {
          method: method as any,
          headers: forwardHeaders(req),
          body: body.content,
          headersTimeout: 30_000,
          bodyTimeout: 0,
        });
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(upstream.headers)) {
          if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
        }
        res.writeHead(upstream.statusCode, headers);
        for await (const chunk of upstream.body) {
          res.write(chunk);
        }
        res.end();
        return undefined;
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return undefined;
        }
        // The instance died or is not answering: try another one when it is safe to repeat.
        if (!retryable) {
          return unavailable(res, 502, 'The instance failed', `${route.label}: ${error}`);
        }
        void this.refresh();
      }
    }
  }

  private async handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer) {
    const route = this.route(req);
    const target = route && this.pick(route, new Set());
    if (!target) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\n\r\n');
      return;
    }
    try {
      const upstream = await upgrade(new URL(req.url ?? '/', target), {
        method: 'GET',
        // undici sets `connection` and `upgrade` itself (and refuses them as headers).
        headers: forwardHeaders(req),
        protocol: req.headers.upgrade ?? 'websocket',
      });
      const lines = ['HTTP/1.1 101 Switching Protocols'];
      for (const [name, value] of Object.entries(upstream.headers)) {
        for (const v of Array.isArray(value) ? value : [value]) {
          if (v !== undefined) lines.push(`${name}: ${v}`);
        }
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.socket.write(head);
      upstream.socket.pipe(socket).pipe(upstream.socket);
      upstream.socket.on('error', () => socket.destroy());
      socket.on('error', () => upstream.socket.destroy());
    } catch {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
    }
  }
}

/**
 * What to send upstream as the body: nothing, the whole body read into memory (an idempotent
 * request of known, modest size, which a retry can send again), or the request stream itself.
 */
async function requestBody(
  req: http.IncomingMessage,
  method: string,
): Promise<{ content?: Buffer | http.IncomingMessage; replayable: boolean }> {
  const length = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (method === 'GET' || method === 'HEAD' || (!chunked && (length === undefined || length === '0'))) {
    return { replayable: true };
  }
  if (IDEMPOTENT.has(method) && !chunked && Number(length) <= MAX_REPLAYABLE_BODY) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return { content: Buffer.concat(chunks), replayable: true };
  }
  return { content: req, replayable: false };
}

function forwardHeaders(req: http.IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
  }
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  return headers;
}

function unavailable(res: http.ServerResponse, status: number, title: string, detail: string) {
  const escape = (s: string) => s.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'retry-after': '5' });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto">` +
      `<h1>${escape(title)}</h1><p>${escape(detail)}</p><p><small>CodeRunner gateway</small></p></body></html>`,
  );
}
