import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
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
} from './api';
import {
  autoscalingRouteRef,
  configRouteRef,
  deploymentsRouteRef,
  logsRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The CodeRunner plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const coderunnerPlugin = createPlugin({
  id: 'coderunner',
  apis: [
    createApiFactory({
      api: coderunnerApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CodeRunnerClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: configApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ConfigClient(deps),
    }),
    createApiFactory({
      api: logsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new LogsClient(deps),
    }),
    createApiFactory({
      api: scalingApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new ScalingClient(deps),
    }),
    createApiFactory({
      api: costApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CostClient(deps),
    }),
    createApiFactory({
      api: alertsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AlertsClient(deps),
    }),
    createApiFactory({
      api: terminalApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new TerminalClient(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The Deployments tab, for `EntityLayout.Route`.
 *
 * @public
 */
export const EntityCodeRunnerDeploymentsContent = coderunnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityCodeRunnerDeploymentsContent',
    component: () =>
      import('./components/DeploymentsTab').then(m => m.DeploymentsTab),
    mountPoint: deploymentsRouteRef,
  }),
);

/**
 * The Logs tab, for `EntityLayout.Route`.
 *
 * @public
 */
export const EntityCodeRunnerLogsContent = coderunnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityCodeRunnerLogsContent',
    component: () => import('./components/LogsTab').then(m => m.LogsTab),
    mountPoint: logsRouteRef,
  }),
);

/**
 * The Config tab, for `EntityLayout.Route`.
 *
 * @public
 */
export const EntityCodeRunnerConfigContent = coderunnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityCodeRunnerConfigContent',
    component: () => import('./components/ConfigTab').then(m => m.ConfigTab),
    mountPoint: configRouteRef,
  }),
);

/**
 * The Autoscaling tab, for `EntityLayout.Route`.
 *
 * @public
 */
export const EntityCodeRunnerAutoscalingContent = coderunnerPlugin.provide(
  createRoutableExtension({
    name: 'EntityCodeRunnerAutoscalingContent',
    component: () =>
      import('./components/AutoscalingTab').then(m => m.AutoscalingTab),
    mountPoint: autoscalingRouteRef,
  }),
);

/**
 * The CodeRunner card for an entity's overview.
 *
 * @public
 */
export const EntityCodeRunnerCard = coderunnerPlugin.provide(
  createComponentExtension({
    name: 'EntityCodeRunnerCard',
    component: {
      lazy: () => import('./components/OverviewCard').then(m => m.OverviewCard),
    },
  }),
);

/**
 * The Cost card for an entity's overview: month to date, forecast and budgets.
 *
 * @public
 */
export const EntityCodeRunnerCostCard = coderunnerPlugin.provide(
  createComponentExtension({
    name: 'EntityCodeRunnerCostCard',
    component: {
      lazy: () => import('./components/CostCard').then(m => m.CostCard),
    },
  }),
);

/**
 * The global CodeRunner page, for a `<Route path="/coderunner">`.
 *
 * @public
 */
export const CodeRunnerPage = coderunnerPlugin.provide(
  createRoutableExtension({
    name: 'CodeRunnerPage',
    component: () => import('./components/GlobalPage').then(m => m.GlobalPage),
    mountPoint: rootRouteRef,
  }),
);
