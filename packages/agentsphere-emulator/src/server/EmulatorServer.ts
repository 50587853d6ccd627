import http from 'node:http';
import { Duplex } from 'node:stream';
import { Fault, Faults } from '../faults';
import { SandboxRegistry } from '../sandboxes/SandboxRegistry';
import { handleControlPlane } from './controlPlane';
import { handleEnvd } from './envd';
import {
  credentialMatches,
  parseJson,
  readBody,
  sendEmpty,
  sendJson,
} from './http';
import { proxyHttp, proxyUpgrade } from './portProxy';

const ENVD_PORT = 49983;

type Route =
  | { kind: 'api' }
  | { kind: 'sandbox'; port: number; sandboxId: string }
  | { kind: 'admin' };

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The emulator's single plain-HTTP listener. It routes by Host header:
 * `api.<domain>` is the control plane, `49983-<id>.<domain>` envd,
 * `<port>-<id>.<domain>` a sandbox port, anything else the emulator's own
 * admin API under `/_emulator`.
 */
export class EmulatorServer {
  readonly server: http.Server;

  constructor(
    private readonly options: {
      domain: string;
      registry: SandboxRegistry;
      faults: Faults;
      templates: string[];
      apiKey: string;
      isolated: boolean;
      describe: () => Record<string, unknown>;
    },
  ) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent) {
          sendJson(res, 500, {
            code: 500,
            message: String(error?.message ?? error),
          });
        } else {
          res.destroy();
        }
      });
    });
    this.server.on('upgrade', (req, socket, head) =>
      this.handleUpgrade(req, socket, head),
    );
  }

  private route(hostHeader: string | undefined): Route {
    const host = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
    const suffix = `.${this.options.domain.toLowerCase()}`;
    if (!host.endsWith(suffix)) {
      return { kind: 'admin' };
    }
    const label = host.slice(0, -suffix.length);
    if (label === 'api') {
      return { kind: 'api' };
    }
    const match = /^(\d+)-(.+)$/.exec(label);
    if (!match) {
      return { kind: 'admin' };
    }
    return { kind: 'sandbox', port: Number(match[1]), sandboxId: match[2] };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const route = this.route(req.headers.host);
    if (route.kind === 'admin') {
      await this.handleAdmin(req, res, url);
      return;
    }
    if (route.kind === 'api' || route.port === ENVD_PORT) {
      const service = route.kind === 'api' ? 'api' : 'envd';
      const target = {
        service,
        method: req.method ?? 'GET',
        path: url.pathname,
      } as const;
      const latency = this.options.faults.take(target, ['latency']);
      if (latency) {
        await sleep(latency.ms);
      }
      if (this.options.faults.take(target, ['drop-connection'])) {
        req.socket.destroy();
        return;
      }
      const status = this.options.faults.take(target, ['status']);
      if (status) {
        sendJson(res, status.status, {
          code: status.status,
          message: status.message ?? `injected fault ${status.status}`,
        });
        return;
      }
    }
    if (route.kind === 'api') {
      await handleControlPlane(this.options, req, res, url);
      return;
    }
    const sandbox = this.options.registry.get(route.sandboxId);
    if (!sandbox) {
      sendJson(res, 502, {
        sandboxId: route.sandboxId,
        message: 'The sandbox was not found',
        code: 502,
      });
      return;
    }
    if (route.port === ENVD_PORT) {
      await handleEnvd(sandbox, this.options.faults, req, res, url);
    } else {
      proxyHttp(sandbox, route.port, req, res);
    }
  }

  private handleUpgrade(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) {
    const route = this.route(req.headers.host);
    const sandbox =
      route.kind === 'sandbox' && route.port !== ENVD_PORT
        ? this.options.registry.get(route.sandboxId)
        : undefined;
    if (route.kind !== 'sandbox' || !sandbox) {
      socket.end(
        'HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n',
      );
      return;
    }
    proxyUpgrade(sandbox, route.port, req, socket, head);
  }

  private async handleAdmin(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
  ) {
    if (!credentialMatches(req.headers['x-api-key'], this.options.apiKey)) {
      sendJson(res, 401, {
        code: 401,
        message: `The admin API needs the emulator's API key in X-API-KEY; for AgentSphere's own API send requests with a Host header under .${this.options.domain}.`,
      });
      return;
    }
    if (url.pathname === '/_emulator' && req.method === 'GET') {
      sendJson(res, 200, this.options.describe());
    } else if (url.pathname === '/_emulator/faults' && req.method === 'POST') {
      this.options.faults.inject(parseJson(await readBody(req)) as Fault);
      sendEmpty(res, 204);
    } else if (
      url.pathname === '/_emulator/faults' &&
      req.method === 'DELETE'
    ) {
      this.options.faults.clear();
      sendEmpty(res, 204);
    } else {
      sendJson(res, 404, {
        code: 404,
        message: `Unknown host '${req.headers.host}'. Send requests with a Host header under .${this.options.domain}, or use GET /_emulator.`,
      });
    }
  }
}
