/**
 * CodeRunner for Backstage: the Deployments, Logs, Config and Autoscaling tabs,
 * an overview card and a global page. This entry point serves apps on the
 * legacy frontend system; `@coderunner/plugin-coderunner/alpha` serves the new one.
 *
 * @packageDocumentation
 */

export {
  coderunnerPlugin,
  EntityCodeRunnerDeploymentsContent,
  EntityCodeRunnerLogsContent,
  EntityCodeRunnerConfigContent,
  EntityCodeRunnerAutoscalingContent,
  EntityCodeRunnerCard,
  EntityCodeRunnerCostCard,
  CodeRunnerPage,
} from './plugin';
export { isCodeRunnerAvailable } from './isCodeRunnerAvailable';
export { coderunnerApiRef, CodeRunnerClient } from './api';
export { configApiRef, ConfigClient, logsApiRef, LogsClient } from './api';
export type {
  ConfigApi,
  LogConnectionState,
  LogHistoryQuery,
  LogsApi,
  LogStreamHandlers,
  LogSubscription,
} from './api';
export { costApiRef, CostClient } from './api';
export type { CostApi } from './api';
export { alertsApiRef, AlertsClient } from './api';
export type { AlertsApi } from './api';
export { terminalApiRef, TerminalClient } from './api';
export type {
  TerminalApi,
  TerminalConnection,
  TerminalHandlers,
  TerminalRequest,
} from './api';
export type {
  CodeRunnerApi,
  DeploymentMetricName,
  DeploymentMetricsQuery,
  MetricSeries,
  MetricSeriesPoint,
} from './api';
export { useEntitySetup } from './hooks';
export type { EntitySetupState } from './hooks';
