import {
  AuthService,
  DiscoveryService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { EntityGuard } from '../entities/EntityGuard';
import { LogsCapability } from '../logs/createLogsCapability';
import { RateLimiter } from '../service/RateLimiter';
import { FeedRegistry } from './FeedRegistry';
import { StreamContext } from './StreamConnection';
import { StreamServer } from './StreamServer';

/**
 * Builds the live stream: the WebSocket at `/stream` that multiplexes log lines and deployment
 * status over the Logs capability's store and hub. Its router goes on the plugin's HTTP router
 * with `authPolicies` (the socket authenticates itself with the token it offers as a subprotocol).
 *
 * @internal
 */
export function createStreamCapability(options: {
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  discovery: DiscoveryService;
  /** Counts connection attempts, shared with the routes. */
  limiter: RateLimiter;
  logs: LogsCapability;
  guard: EntityGuard;
  deployments: StreamContext['deployments'];
}) {
  const logger = options.logger.child({ component: 'stream' });
  const context: StreamContext = {
    feeds: new FeedRegistry(options.logs.store, options.logs.hub),
    store: options.logs.store,
    guard: options.guard,
    deployments: options.deployments,
    logger,
    limits: {
      maxSubscriptions: 20,
      highWaterBytes: 1024 * 1024,
      maxTail: 10_000,
    },
  };
  const server = StreamServer.create({
    auth: options.auth,
    discovery: options.discovery,
    logger,
    limiter: options.limiter,
    maxSocketsPerUser:
      options.config.getOptionalNumber('coderunner.stream.maxSocketsPerUser') ??
      10,
    context,
  });
  options.logs.pipeline.stream = server;
  return {
    server,
    /** Set `context.scaling` to serve the `scaling` topic. */
    context,
    router: server.router(),
    authPolicies: [{ path: '/stream', allow: 'unauthenticated' as const }],
  };
}
