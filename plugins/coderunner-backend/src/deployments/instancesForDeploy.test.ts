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
        desired_state: 'running',
        desired_instances: 5,
        active_release_id: 'r1',
      }),
    ).toBe(2);
  });

  it('starts the manifest count on a first deploy or after a stop', () => {
    expect(
      instancesForDeploy(autoscaled, {
        desired_state: 'running',
        desired_instances: 1,
        active_release_id: null,
      }),
    ).toBe(2);
    expect(
      instancesForDeploy(autoscaled, {
        desired_state: 'stopped',
        desired_instances: 5,
        active_release_id: 'r1',
      }),
    ).toBe(2);
  });

  it('keeps the count the autoscaler chose for a running deployment', () => {
    expect(
      instancesForDeploy(autoscaled, {
        desired_state: 'running',
        desired_instances: 5,
        active_release_id: 'r1',
      }),
    ).toBe(5);
  });

  it('keeps the kept count within the new release bounds', () => {
    expect(
      instancesForDeploy(autoscaled, {
        desired_state: 'running',
        desired_instances: 9,
        active_release_id: 'r1',
      }),
    ).toBe(6);
    expect(
      instancesForDeploy(
        { instances: 3, scaling: { template: 'api', min: 3, max: 8 } },
        {
          desired_state: 'running',
          desired_instances: 1,
          active_release_id: 'r1',
        },
      ),
    ).toBe(3);
  });

  it('starts one instance for a deployment scaled to zero', () => {
    expect(
      instancesForDeploy(
        { instances: 1, scaling: { template: 'cost-saver', min: 0, max: 4 } },
        {
          desired_state: 'running',
          desired_instances: 0,
          active_release_id: 'r1',
        },
      ),
    ).toBe(1);
  });
});
