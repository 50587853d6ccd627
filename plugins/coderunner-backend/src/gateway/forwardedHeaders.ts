import http from 'node:http';

/** Headers about one connection only (RFC 9110 7.6.1), never passed on in either direction. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Request headers the gateway sets itself or drops: the Host (the upstream's comes from the
 * instance origin), `Expect` (Node has already answered `100 Continue`), and anything a client
 * could use to pose as another address or scheme, since the gateway is the edge.
 */
const REPLACED = new Set(['host', 'expect', 'forwarded', 'x-real-ip']);
const REPLACED_PREFIX = 'x-forwarded-';

/** The portal's session (and any other site's under the same domain) stays out of apps unless they opt in. */
const CREDENTIALS = new Set(['cookie', 'authorization']);

/** How the gateway is reached from outside, for the `X-Forwarded-*` headers. */
export interface PublicAddress {
  scheme: string;
  port: number;
}

/** The names a `Connection` header lists, which are hop-by-hop as well. */
function connectionOptions(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : value ?? '';
  return new Set(
    text
      .split(',')
      .map(name => name.trim().toLocaleLowerCase('en-US'))
      .filter(Boolean),
  );
}

/**
 * The headers an instance gets for a client request: the client's end-to-end headers without
 * credentials (unless `forwardCredentials`), and `X-Forwarded-For`/`-Host`/`-Proto`/`-Port` that
 * describe the client's connection to the gateway, replacing whatever the client sent.
 *
 * @internal
 */
export function upstreamRequestHeaders(
  req: http.IncomingMessage,
  options: { forwardCredentials: boolean; publicAddress: PublicAddress },
): Record<string, string | string[]> {
  const named = connectionOptions(req.headers.connection);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (
      value === undefined ||
      HOP_BY_HOP.has(name) ||
      named.has(name) ||
      REPLACED.has(name) ||
      name.startsWith(REPLACED_PREFIX) ||
      (!options.forwardCredentials && CREDENTIALS.has(name))
    ) {
      continue;
    }
    headers[name] = value;
  }
  const client = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = client.startsWith('::ffff:')
    ? client.slice('::ffff:'.length)
    : client;
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = options.publicAddress.scheme;
  headers['x-forwarded-port'] = String(options.publicAddress.port);
  return headers;
}

/**
 * The headers the client gets from an instance's answer: all but the hop-by-hop ones. The app's
 * own `Set-Cookie` is kept: it sets cookies on the app's origin, not the portal's.
 *
 * @internal
 */
export function downstreamResponseHeaders(
  upstream: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const named = connectionOptions(upstream.connection);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) {
      headers[name] = value;
    }
  }
  return headers;
}
