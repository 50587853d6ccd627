import express from 'express';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';

type UpgradeHandler = (
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) => void;

/** Per server: the plugin's socket paths with their handlers, and the paths it is mounted at. */
const dispatchers = new WeakMap<
  Server,
  { handlers: Map<string, UpgradeHandler>; bases: Set<string> }
>();
/** The upgrade listeners this plugin hooked, on any server. */
const ours = new WeakSet<Function>();

/**
 * Middleware that hands the WebSocket upgrades of `path` (under the path the plugin's router is
 * mounted at, e.g. `/stream`) to `onUpgrade`. The backend framework of this Backstage version
 * has no WebSocket hook for plugins, so, like the signals plugin, it finds the server on the
 * first request that reaches the plugin's router and listens to its `upgrade` event, once per
 * server for all of the plugin's socket paths. An upgrade for another path of the plugin is
 * answered 404 and closed.
 *
 * Node hands upgrades to the HTTP routes only while nobody listens for them, and the signals
 * plugin hooks its own listener on the first upgrade its router sees as a plain request. Once
 * this plugin listens, that request would never come, and the portal's signals would hang for
 * good (live lists, alerts). So an upgrade for another plugin's path, while no other plugin
 * listens, goes on to the HTTP routes as a plain request, as without this listener, and to the
 * listener that request makes its plugin hook.
 *
 * @internal
 */
export function upgradeListener(
  path: string,
  onUpgrade: UpgradeHandler,
): express.RequestHandler {
  return (req, _res, next) => {
    const server = (req.socket as unknown as { server?: Server }).server;
    if (server) {
      let dispatcher = dispatchers.get(server);
      if (!dispatcher) {
        const found = { handlers: new Map(), bases: new Set<string>() };
        dispatcher = found;
        dispatchers.set(server, found);
        const listener = (
          request: IncomingMessage,
          socket: Duplex,
          head: Buffer,
        ) => {
          const pathname = new URL(request.url ?? '/', 'http://localhost')
            .pathname;
          const handler = found.handlers.get(pathname);
          if (handler) {
            handler(request, socket, head);
          } else if ([...found.bases].some(b => pathname.startsWith(b))) {
            socket.end(
              'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
            );
          } else {
            handOn(server, request, socket, head);
          }
        };
        ours.add(listener);
        server.on('upgrade', listener);
      }
      const full = `${req.baseUrl}${path}`;
      if (!dispatcher.handlers.has(full)) {
        dispatcher.handlers.set(full, onUpgrade);
        dispatcher.bases.add(`${req.baseUrl}/`);
      }
    }
    next();
  };
}

/**
 * An upgrade for another plugin's path: left to that plugin's listener when there is one,
 * otherwise handed to the HTTP routes as a plain request (as Node does while nobody listens),
 * and to the first listener another plugin hooks while that request runs.
 */
function handOn(
  server: Server,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
) {
  if (server.listeners('upgrade').some(l => !ours.has(l))) return;
  const response = new ServerResponse(request);
  // Routing rewrites the request's URL on the way into a plugin's router.
  const url = request.url;
  const stop = () => server.off('newListener', hooked);
  function hooked(event: string | symbol, listener: Function) {
    if (event !== 'upgrade' || ours.has(listener)) return;
    stop();
    // Once it is hooked (newListener comes just before), and the request's answer let go.
    setImmediate(() => {
      response.detachSocket(socket as Socket);
      request.url = url;
      listener.call(server, request, socket, head);
    });
  }
  server.on('newListener', hooked);
  socket.once('close', stop);
  // Answered as plain HTTP (a 404, say): the answer is the end of it.
  response.once('finish', () => {
    stop();
    socket.end();
  });
  response.shouldKeepAlive = false;
  response.assignSocket(socket as Socket);
  if (head.length > 0) socket.unshift(head);
  server.emit('request', request, response);
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
