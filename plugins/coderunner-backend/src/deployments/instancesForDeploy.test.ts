import { instancesForDeploy } from './instancesForDeploy';

const fixed = { instances: 2, scaling: { min: 2, max: 2 } };
const autoscaled = {
  instances: 2,
  scaling: { template: 'web-app' as const, min: 1, max: 6 },
};

describe('instancesForDeploy', () => {
  it('starts the manifest count when nothing autoscales the deployment', () => {
    expect(
      instancesForDeploy(fixed, {
        desiredState: 'running',
        desiredInstances: 5,
        activeReleaseId: 'r1',
      }),
    ).toBe(2);
  });

  it('starts the manifest count on a first deploy or after a stop', () => {
    expect(
      instancesForDeploy(autoscaled, {
        desiredState: 'running',
        desiredInstances: 1,
        activeReleaseId: null,
      }),
    ).toBe(2);
    expect(
      instancesForDeploy(autoscaled, {
        desiredState: 'stopped',
        desiredInstances: 5,
        activeReleaseId: 'r1',
      }),
    ).toBe(2);
  });

  it('keeps the count the autoscaler chose for a running deployment', () => {
    expect(
      instancesForDeploy(autoscaled, {
        desiredState: 'running',
        desiredInstances: 5,
        activeReleaseId: 'r1',
      }),
    ).toBe(5);
  });

  it('keeps the kept count within the new release bounds', () => {
    expect(
      instancesForDeploy(autoscaled, {
        desiredState: 'running',
        desiredInstances: 9,
        activeReleaseId: 'r1',
      }),
    ).toBe(6);
    expect(
      instancesForDeploy(
        { instances: 3, scaling: { template: 'api', min: 3, max: 8 } },
        {
          desiredState: 'running',
          desiredInstances: 1,
          activeReleaseId: 'r1',
        },
      ),
    ).toBe(3);
  });

  it('starts one instance for a deployment scaled to zero', () => {
    expect(
      instancesForDeploy(
        { instances: 1, scaling: { template: 'cost-saver', min: 0, max: 4 } },
        {
          desiredState: 'running',
          desiredInstances: 0,
          activeReleaseId: 'r1',
        },
      ),
    ).toBe(1);
  });
});
