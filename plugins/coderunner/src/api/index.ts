export type {
  CodeRunnerApi,
  DeploymentAction,
  DeploymentLogQuery,
  DeploymentMetricName,
  DeploymentMetricsQuery,
  MetricSeries,
  MetricSeriesPoint,
} from './CodeRunnerApi';
export { coderunnerApiRef } from './CodeRunnerApi';
export { CodeRunnerClient } from './CodeRunnerClient';
export type { ConfigApi } from './ConfigApi';
export { configApiRef } from './ConfigApi';
export { ConfigClient } from './ConfigClient';
export type { LogHistoryQuery, LogsApi, LogSubscription } from './LogsApi';
export { logsApiRef } from './LogsApi';
export { LogsClient } from './LogsClient';
export type { LogConnectionState, LogStreamHandlers } from './LogStreamClient';
export type { CostApi } from './CostApi';
export { costApiRef } from './CostApi';
export { CostClient } from './CostClient';
export type { AlertsApi } from './AlertsApi';
export { alertsApiRef } from './AlertsApi';
export { AlertsClient } from './AlertsClient';
export type {
  ScalingApi,
  ScalingDecisionQuery,
  ScalingWatchHandlers,
} from './ScalingApi';
export { scalingApiRef } from './ScalingApi';
export { ScalingClient } from './ScalingClient';
export type {
  TerminalApi,
  TerminalConnection,
  TerminalHandlers,
  TerminalRequest,
} from './TerminalApi';
export { terminalApiRef } from './TerminalApi';
export { TerminalClient } from './TerminalClient';
