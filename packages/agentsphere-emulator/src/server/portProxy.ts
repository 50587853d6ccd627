import http from 'node:http';
import { Duplex } from 'node:stream';
import { EmulatedSandbox } from '../sandboxes/EmulatedSandbox';
import { sendJson } from './http';

function portClosed(
  res: http.ServerResponse,
  sandbox: EmulatedSandbox,
  port: number,
) {
  sendJson(res, 502, {
    message: 'The sandbox is running but port is not open',
    sandboxId: sandbox.sandboxId,
    port,
    code: 502,
  });
}

/**
 * Connections to each sandbox port, kept open between requests as a reverse proxy keeps them:
 * a new connection per request would, under steady traffic, leave the sandbox's ephemeral
 * ports in TIME_WAIT faster than they free up, and connects would fail.
 */
const portAgents = new WeakMap<EmulatedSandbox, Map<number, http.Agent>>();

function portAgent(sandbox: EmulatedSandbox, port: number): http.Agent {
  let agents = portAgents.get(sandbox);
  if (!agents) {
    agents = new Map();
    portAgents.set(sandbox, agents);
  }
  let agent = agents.get(port);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    agent.createConnection = () => sandbox.connectPort(port);
    agents.set(port, agent);
  }
  return agent;
}

/** Forwards an HTTP request for `<port>-<id>.<domain>` to that port inside the sandbox. */
export function proxyHttp(
  sandbox: EmulatedSandbox,
  port: number,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const upstream = http.request(
    {
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent: portAgent(sandbox, port),
    },
    answer => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      portClosed(res, sandbox, port);
    } else {
      res.destroy();
    }
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

/** Forwards an upgrade (WebSocket) request as raw bytes, both ways. */
export function proxyUpgrade(
  sandbox: EmulatedSandbox,
  port: number,
  req: http.IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  const upstream = sandbox.connectPort(port);
  const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length) {
    upstream.write(head);
  }
  upstream.pipe(socket);
  socket.pipe(upstream);
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
}
