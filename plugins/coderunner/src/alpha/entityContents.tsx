import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isCodeRunnerAvailable } from '../isCodeRunnerAvailable';

/** `entity-content:coderunner/deployments` */
export const deploymentsEntityContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: '/deployments',
    title: 'Deployments',
    group: 'deployment',
    filter: isCodeRunnerAvailable,
    loader: () =>
      import('../components/DeploymentsTab').then(m => <m.DeploymentsTab />),
  },
});

/** `entity-content:coderunner/logs` */
export const logsEntityContent = EntityContentBlueprint.make({
  name: 'logs',
  params: {
    path: '/logs',
    title: 'Logs',
    group: 'observability',
    filter: isCodeRunnerAvailable,
    loader: () => import('../components/LogsTab').then(m => <m.LogsTab />),
  },
});

/** `entity-content:coderunner/config` */
export const configEntityContent = EntityContentBlueprint.make({
  name: 'config',
  params: {
    path: '/config',
    title: 'Config',
    group: 'deployment',
    filter: isCodeRunnerAvailable,
    loader: () => import('../components/ConfigTab').then(m => <m.ConfigTab />),
  },
});

/** `entity-content:coderunner/autoscaling` */
export const autoscalingEntityContent = EntityContentBlueprint.make({
  name: 'autoscaling',
  params: {
    path: '/autoscaling',
    title: 'Autoscaling',
    group: 'deployment',
    filter: isCodeRunnerAvailable,
    loader: () =>
      import('../components/AutoscalingTab').then(m => <m.AutoscalingTab />),
  },
});
