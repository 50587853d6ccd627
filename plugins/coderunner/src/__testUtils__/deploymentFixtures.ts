import {
  Deployment,
  Instance,
  Release,
} from '@coderunner/plugin-coderunner-common';

/** A release of hello-node in development; override what a test cares about. */
export function aRelease(overrides: Partial<Release> = {}): Release {
  const number = overrides.number ?? 1;
  return {
    id: `release-${number}`,
    deploymentId: 'deployment-development',
    number,
    status: 'built',
    sourceSummary: `examples/hello-node at rev${number}`,
    createdBy: 'user:default/guest',
    createdAt: '2025-05-01T10:00:00.000Z',
    builtAt: '2025-05-01T10:00:05.000Z',
    runCommand: 'node server.js',
    ...overrides,
  };
}

/** An instance of a release. */
export function anInstance(overrides: Partial<Instance> = {}): Instance {
  return {
    id: 'instance-a1b2c3d4e5',
    deploymentId: 'deployment-development',
    releaseId: 'release-1',
    releaseNumber: 1,
    state: 'ready',
    restarts: 0,
    createdAt: '2025-05-01T10:00:06.000Z',
    readyAt: '2025-05-01T10:00:07.000Z',
    ...overrides,
  };
}

/** hello-node deployed to an environment; ready with one instance unless overridden. */
export function aDeployment(overrides: Partial<Deployment> = {}): Deployment {
  const environment = overrides.environment ?? 'development';
  return {
    id: `deployment-${environment}`,
    entityRef: 'component:default/hello-node',
    environment,
    status: 'ready',
    desiredState: 'running',
    desiredInstances: 1,
    url: `http://hello-node.${environment}.localhost:7080/`,
    activeRelease: aRelease(),
    instances: [anInstance()],
    deployedBy: 'user:default/guest',
    deployedAt: '2025-05-01T10:00:07.000Z',
    createdAt: '2025-05-01T10:00:00.000Z',
    updatedAt: '2025-05-01T10:00:07.000Z',
    ...overrides,
  };
}
