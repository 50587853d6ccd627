import net from 'node:net';
import {
  Agent,
  Dispatcher,
  buildConnector,
  getGlobalDispatcher,
  setGlobalDispatcher,
} from 'undici';

const DISPATCHER_KEY = Symbol.for('undici.globalDispatcher.1');

/**
 * Undoes {@link routeDomainToEmulator}.
 *
 * @public
 */
export interface EmulatorRoute {
  /** Restores the global dispatcher that was installed before. */
  remove(): void;
}

/**
 * Installs a global undici dispatcher that sends every request for
 * `*.<domain>` (including `https://` URLs, spoken as plain HTTP) to the
 * emulator, and everything else through a normal agent.
 *
 * The AgentSphere SDK has no base URL override; this is how its unmodified
 * traffic reaches a local emulator. Install it before the first SDK call.
 *
 * @param domain - the emulated domain, for example `agentsphere.test`
 * @param emulatorUrl - the emulator's plain HTTP address, for example `http://127.0.0.1:7070`
 * @public
 */
export function routeDomainToEmulator(
  domain: string,
  emulatorUrl: string,
): EmulatorRoute {
  const target = new URL(emulatorUrl);
  const port = Number(target.port || 80);
  const host = target.hostname;
  const suffix = `.${domain.toLowerCase()}`;
  const defaultConnect = buildConnector({});

  const agent = new Agent({
    connect(options, callback) {
      if (!options.hostname.toLowerCase().endsWith(suffix)) {
        defaultConnect(options, callback);
        return;
      }
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const onError = (error: Error) => callback(error, null);
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        callback(null, socket);
      });
    },
  });

  const previous: Dispatcher = getGlobalDispatcher();
  setGlobalDispatcher(agent);
  const fetchRealm = globalOfFetchRealm();
  const previousInFetchRealm = fetchRealm?.[DISPATCHER_KEY];
  if (fetchRealm) {
    fetchRealm[DISPATCHER_KEY] = agent;
  }
  return {
    remove() {
      if (getGlobalDispatcher() === agent) {
        setGlobalDispatcher(previous);
      }
      if (fetchRealm && fetchRealm[DISPATCHER_KEY] === agent) {
        fetchRealm[DISPATCHER_KEY] = previousInFetchRealm;
      }
      agent.close().catch(() => undefined);
    },
  };
}

// The key both Node's bundled undici and the undici package (v6) read.

/**
 * The global object of the realm that owns `fetch`, when it is not ours.
 *
 * Under jest's vm sandbox, `fetch` comes from the outer realm and reads that
 * realm's global dispatcher, so the route has to be installed there as well.
 */
function globalOfFetchRealm(): Record<symbol, unknown> | undefined {
  const fetchFn: unknown = globalThis.fetch;
  if (typeof fetchFn !== 'function') {
    return undefined;
  }
  const RealmFunction = fetchFn.constructor.constructor as FunctionConstructor;
  const realmGlobal = new RealmFunction('return globalThis')() as Record<
    symbol,
    unknown
  >;
  return realmGlobal === (globalThis as object) ? undefined : realmGlobal;
}
