import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { Gateway, GatewayOptions } from './Gateway';

/**
 * Reads `coderunner.gateway` (and `coderunner.metrics.gateway.enabled`, whether the gateway
 * counts requests), or `undefined` when `coderunner.gateway.enabled` is `false`.
 *
 * @internal
 */
export function readGatewayOptions(
  config: RootConfigService,
): GatewayOptions | undefined {
  const gatewayConfig = config.getOptionalConfig('coderunner.gateway');
  if (gatewayConfig?.getOptionalBoolean('enabled') === false) return undefined;
  return {
    port: gatewayConfig?.getOptionalNumber('port') ?? 7080,
    baseDomain: gatewayConfig?.getOptionalString('baseDomain') ?? 'localhost',
    publicScheme: gatewayConfig?.getOptionalString('publicScheme') ?? 'http',
    publicPort: gatewayConfig?.getOptionalNumber('publicPort'),
    listenHost: gatewayConfig?.getOptionalString('listenHost'),
    measureRequests:
      config.getOptionalBoolean('coderunner.metrics.gateway.enabled') ?? true,
    wakeTimeoutSeconds: gatewayConfig?.getOptionalNumber('wakeTimeoutSeconds'),
    answerTimeoutSeconds: gatewayConfig?.getOptionalNumber(
      'answerTimeoutSeconds',
    ),
    maxHeldRequests: gatewayConfig?.getOptionalNumber('maxHeldRequests'),
  };
}

/**
 * Builds the Gateway capability from app-config: the gateway that serves every deployment on
 * its own origin (absent when disabled) and what it measures for the metrics capability
 * (absent when it does not count requests).
 *
 * @internal
 */
export function createGatewayCapability(options: {
  config: RootConfigService;
  logger: LoggerService;
  store: DeploymentStore;
}) {
  const settings = readGatewayOptions(options.config);
  const gateway = settings
    ? new Gateway(
        options.store,
        settings,
        options.logger.child({ component: 'gateway' }),
      )
    : undefined;
  return {
    gateway,
    requests: settings?.measureRequests ? gateway?.requestMetrics : undefined,
  };
}
