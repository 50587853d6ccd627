import {
  AuditorService,
  AuthService,
  DiscoveryService,
  HttpAuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import { EntityGuard } from '../entities/EntityGuard';
import { RateLimiter } from '../service/RateLimiter';
import { TerminalServer } from './TerminalServer';
import {
  TERMINAL_INSTANCE_STATES,
  TerminalTargetContext,
} from './TerminalTarget';

const CONFIG_KEY = 'coderunner.terminal';

/**
 * Builds the instance terminal: the WebSocket at `/terminal` that joins a browser to a shell in
 * a running instance's sandbox (docs/terminal.md). Reads `coderunner.terminal`; its router goes
 * on the plugin's HTTP router before the API routes.
 *
 * @internal
 */
export function createTerminalCapability(options: {
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  discovery: DiscoveryService;
  auditor: AuditorService;
  limiter: RateLimiter;
  guard: EntityGuard;
  runtime: SandboxRuntime;
  deployments: TerminalTargetContext['deployments'];
  instances: TerminalTargetContext['instances'];
}) {
  const { config } = options;
  const logger = options.logger.child({ component: 'terminal' });
  const seconds = (key: string, fallback: number) => {
    const value = config.getOptionalNumber(`${CONFIG_KEY}.${key}`) ?? fallback;
    if (!(value > 0)) {
      throw new Error(
        `${CONFIG_KEY}.${key} must be a number of seconds above 0, not ${value}`,
      );
    }
    return value * 1000;
  };
  const origins = ['app.baseUrl', 'backend.baseUrl'].flatMap(key => {
    const url = config.getOptionalString(key);
    return url ? [new URL(url).origin] : [];
  });
  const server = TerminalServer.create({
    auth: options.auth,
    httpAuth: options.httpAuth,
    discovery: options.discovery,
    logger,
    auditor: options.auditor,
    limiter: options.limiter,
    maxSessionsPerUser:
      config.getOptionalNumber(`${CONFIG_KEY}.maxSessionsPerUser`) ?? 5,
    allowedOrigins: origins,
    targets: {
      guard: options.guard,
      deployments: options.deployments,
      instances: options.instances,
    },
    session: {
      runtime: options.runtime,
      logger,
      limits: {
        idleTimeoutMs: seconds('idleTimeoutSeconds', 900),
        maxSessionMs: seconds('maxSessionSeconds', 3600),
        maxBufferedBytes: 8 * 1024 * 1024,
        maxPendingInputBytes: 256 * 1024,
      },
      async instanceRunning(instanceId) {
        const instance = await options.instances.getInstance(instanceId);
        return (
          instance !== undefined && TERMINAL_INSTANCE_STATES.has(instance.state)
        );
      },
    },
  });
  return { server, router: server.router() };
}
