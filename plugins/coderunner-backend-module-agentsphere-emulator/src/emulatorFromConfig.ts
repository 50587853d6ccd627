import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  routeDomainToEmulator,
  startEmulator,
} from '@coderunner/agentsphere-emulator';
import {
  AgentSphereEndpoint,
  assertEmulatorAllowed,
} from '@coderunner/plugin-coderunner-node';

const DEFAULT_DOMAIN = 'agentsphere.test';
const ISOLATIONS = ['auto', 'bubblewrap', 'none'] as const;

/**
 * An emulator the backend reaches: one it started, or one already running elsewhere.
 *
 * @public
 */
export interface EmulatorConnection {
  /** The domain and key to point the plugin's AgentSphere runtime at. */
  endpoint: AgentSphereEndpoint;
  /** The emulator's plain HTTP address. */
  url: string;
  /** Whether this backend started it (and so stops it). */
  started: boolean;
  /** How its sandboxes are isolated, when this backend started it. */
  isolation?: string;
  /** Stops reaching it; stops it too when this backend started it. */
  stop(): Promise<void>;
}

function emulatorDomain(config: RootConfigService): string {
  const domain =
    config.getOptionalString('coderunner.emulator.domain') ?? DEFAULT_DOMAIN;
  // The gateway reaches instances under .test through the emulator's route (no DNS resolves it).
  if (!/^([a-z0-9-]+\.)*test$/i.test(domain)) {
    throw new Error(
      `coderunner.emulator.domain must be a name under the reserved .test domain, such as ${DEFAULT_DOMAIN}; got '${domain}'`,
    );
  }
  return domain;
}

/**
 * Reaches the emulator that app-config describes and routes its domain to it (the SDK has no
 * base URL; see `routeDomainToEmulator`): with `coderunner.emulator.url`, an emulator already
 * running there (started with `agentsphere-emulator --api-key …`, or shared by several backend
 * replicas), which needs `coderunner.emulator.apiKey`; otherwise one it starts on
 * `coderunner.emulator.port`. Refuses, as the module does, to run with `NODE_ENV=production`
 * unless `coderunner.runtime.allowEmulatorInProduction` is true.
 *
 * @public
 */
export async function emulatorFromConfig(
  config: RootConfigService,
  options: { logger: LoggerService },
): Promise<EmulatorConnection> {
  assertEmulatorAllowed(config);
  const domain = emulatorDomain(config);
  const apiKey = config.getOptionalString('coderunner.emulator.apiKey');
  const url = config.getOptionalString('coderunner.emulator.url');
  if (url !== undefined) {
    if (!isPlainHttpAddress(url)) {
      throw new Error(
        `coderunner.emulator.url must be the plain HTTP address of a running emulator (scheme, host and port only, no user, path or query), such as http://127.0.0.1:7070; got '${url.replace(
          /\/\/[^@/]*@/,
          '//…@',
        )}'`,
      );
    }
    if (!apiKey) {
      throw new Error(
        `coderunner.emulator.url needs coderunner.emulator.apiKey, the key the emulator at ${url} requires (its --api-key)`,
      );
    }
    const route = routeDomainToEmulator(domain, url);
    return {
      endpoint: { domain, apiKey },
      url,
      started: false,
      async stop() {
        route.remove();
      },
    };
  }
  const isolation =
    config.getOptionalString('coderunner.emulator.isolation') ?? 'auto';
  if (!ISOLATIONS.includes(isolation as (typeof ISOLATIONS)[number])) {
    throw new Error(
      `coderunner.emulator.isolation must be one of ${ISOLATIONS.join(
        ', ',
      )}, not '${isolation}'`,
    );
  }
  const emulator = await startEmulator({
    port: config.getOptionalNumber('coderunner.emulator.port') ?? 7070,
    domain,
    isolation: isolation as (typeof ISOLATIONS)[number],
    allowInternetAccess: config.getOptionalBoolean(
      'coderunner.emulator.allowInternetAccess',
    ),
    apiKey,
    log: message => options.logger.info(message),
  });
  const route = routeDomainToEmulator(domain, emulator.url);
  return {
    endpoint: { domain, apiKey: emulator.apiKey },
    url: emulator.url,
    started: true,
    isolation: emulator.isolation,
    async stop() {
      route.remove();
      await emulator.stop();
    },
  };
}

/** `http://host[:port][/]` and nothing else: no user or password, path, query or fragment. */
function isPlainHttpAddress(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    !url.username &&
    !url.password &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash &&
    !text.includes('?') &&
    !text.includes('#')
  );
}
