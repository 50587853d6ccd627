import express from 'express';
import { IncomingMessage, Server } from 'node:http';
import { Duplex } from 'node:stream';

/**
 * Middleware that hands every WebSocket upgrade the HTTP server receives to `onUpgrade`. The
 * backend framework of this Backstage version has no WebSocket hook for plugins, so, like the
 * signals plugin, it finds the server on the first request that reaches the plugin's router and
 * listens to its `upgrade` event; `onUpgrade` ignores the paths that are not its own.
 *
 * @internal
 */
export function upgradeListener(
  onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void,
): express.RequestHandler {
  const servers = new WeakSet<Server>();
  return (req, _res, next) => {
    const server = (req.socket as unknown as { server?: Server }).server;
    if (server && !servers.has(server)) {
      servers.add(server);
      server.on('upgrade', onUpgrade);
    }
    next();
  };
}

/**
 * The Backstage token a browser offers as a second subprotocol beside `protocol` (browsers
 * cannot set headers on a WebSocket); undefined unless the request offers both.
 *
 * @internal
 */
export function offeredToken(
  request: IncomingMessage,
  protocol: string,
): string | undefined {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map(p => p.trim());
  const token = offered.find(p => p && p !== protocol);
  return offered.includes(protocol) ? token : undefined;
}

/**
 * Checks a WebSocket server's per-user cap from app-config (`key` names it in the error): a
 * whole number of at least 1, or start-up stops saying so.
 *
 * @internal
 */
export function assertPerUserCap(key: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(
      `${key} must be a whole number of at least 1, not ${value}`,
    );
  }
}
