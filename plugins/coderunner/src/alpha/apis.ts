import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/frontend-plugin-api';
import {
  AlertsClient,
  alertsApiRef,
  CodeRunnerClient,
  coderunnerApiRef,
  ConfigClient,
  configApiRef,
  LogsClient,
  logsApiRef,
  CostClient,
  costApiRef,
  ScalingClient,
  scalingApiRef,
  TerminalClient,
  terminalApiRef,
} from '../api';

/** `api:coderunner`: the {@link CodeRunnerClient} behind `coderunnerApiRef`. */
export const coderunnerApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: coderunnerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CodeRunnerClient({ discoveryApi, fetchApi }),
    }),
});

/** `api:coderunner/config`: the {@link ConfigClient} behind `configApiRef`. */
export const configApi = ApiBlueprint.make({
  name: 'config',
  params: defineParams =>
    defineParams({
      api: configApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ConfigClient(deps),
    }),
});

/** `api:coderunner/logs`: the {@link LogsClient} behind `logsApiRef`. */
export const logsApi = ApiBlueprint.make({
  name: 'logs',
  params: defineParams =>
    defineParams({
      api: logsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new LogsClient(deps),
    }),
});

/** `api:coderunner/scaling`: the {@link ScalingClient} behind `scalingApiRef`. */
export const scalingApi = ApiBlueprint.make({
  name: 'scaling',
  params: defineParams =>
    defineParams({
      api: scalingApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new ScalingClient(deps),
    }),
});

/** `api:coderunner/cost`: the {@link CostClient} behind `costApiRef`. */
export const costApi = ApiBlueprint.make({
  name: 'cost',
  params: defineParams =>
    defineParams({
      api: costApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CostClient(deps),
    }),
});

/** `api:coderunner/alerts`: the {@link AlertsClient} behind `alertsApiRef`. */
export const alertsApi = ApiBlueprint.make({
  name: 'alerts',
  params: defineParams =>
    defineParams({
      api: alertsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AlertsClient(deps),
    }),
});

/** `api:coderunner/terminal`: the {@link TerminalClient} behind `terminalApiRef`. */
export const terminalApi = ApiBlueprint.make({
  name: 'terminal',
  params: defineParams =>
    defineParams({
      api: terminalApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new TerminalClient(deps),
    }),
});
