import { Entity } from '@backstage/catalog-model';
import { EntitySetup } from '@coderunner/plugin-coderunner-common';
import { CodeRunnerApi, DeploymentMetricsQuery } from '../api';

/** A Component entity as the catalog would hand it to an entity page. */
export const componentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-node', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'guests' },
};

/** What the backend answers for a component with a manifest. */
export const setupWithManifest: EntitySetup = {
  entityRef: 'component:default/hello-node',
  manifestPath: 'coderunner.yaml',
  manifestFound: true,
  environments: ['development', 'staging', 'production'],
};

/** What the backend answers for a component without one. */
export const setupWithoutManifest: EntitySetup = {
  ...setupWithManifest,
  manifestPath: 'deploy/coderunner.yaml',
  manifestFound: false,
};

/** A stand-in for the backend at the API boundary. */
export function fakeCodeRunnerApi(
  answer: EntitySetup | Error | 'pending',
): jest.Mocked<CodeRunnerApi> {
  return {
    getEntitySetup: jest.fn((_entityRef: string) => {
      if (answer === 'pending') {
        return new Promise<EntitySetup>(() => {});
      }
      return answer instanceof Error
        ? Promise.reject(answer)
        : Promise.resolve(answer);
    }),
    listDeploymentPage: jest.fn(async () => ({
      items: [],
      environments: ['staging', 'production'],
    })),
    listDeployments: jest.fn(async (_entityRef: string) => []),
    deploy: jest.fn(),
    rollback: jest.fn(),
    changeDeployment: jest.fn(),
    listReleases: jest.fn(
      async (_entityRef: string, _environment: string) => [],
    ),
    readDeploymentLogs: jest.fn(
      async (_entityRef: string, _environment: string) => ({
        items: [],
        lastSeq: 0,
      }),
    ),
    readDeploymentMetrics: jest.fn(
      async (
        _entityRef: string,
        _environment: string,
        query: DeploymentMetricsQuery,
      ) => ({
        metric: query.metric,
        from: '2025-05-01T09:00:00.000Z',
        to: '2025-05-01T10:00:00.000Z',
        stepSeconds: 30,
        points: [],
      }),
    ),
  };
}
