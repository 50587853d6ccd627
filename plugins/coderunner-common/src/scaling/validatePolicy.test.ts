import { scalingPolicyFromTemplate } from './templates';
import { validateScalingPolicy } from './validatePolicy';

describe('validateScalingPolicy', () => {
  it('accepts every template', () => {
    for (const name of [
      'web-app',
      'api',
      'worker',
      'ml-inference',
      'development',
      'cost-saver',
    ] as const) {
      expect(validateScalingPolicy(scalingPolicyFromTemplate(name))).toEqual(
        [],
      );
    }
  });

  it('names the field and says what to fix', () => {
    const policy = scalingPolicyFromTemplate('web-app');
    policy.minInstances = 5;
    policy.maxInstances = 3;
    policy.targets = { cpuPercent: 140 };
    policy.behavior.scaleUp.tolerance = 1.5;
    policy.override = { instances: 2, reason: ' ', expiresAt: 1000 };
    expect(validateScalingPolicy(policy, 2000)).toEqual([
      {
        field: 'minInstances',
        message: 'is 5, above maxInstances (3); lower it or raise maxInstances',
      },
      {
        field: 'targets.cpuPercent',
        message: 'is 140; set it to a percentage from 1 to 100, such as 70',
      },
      {
        field: 'behavior.scaleUp.tolerance',
        message: 'is 1.5; set it to a fraction from 0 to below 1, such as 0.1',
      },
      {
        field: 'override.reason',
        message:
          'is empty; say why the count is pinned, for example "load test until 14:00"',
      },
      {
        field: 'override.expiresAt',
        message: 'is in the past; set a future time or remove the override',
      },
    ]);
  });

  it('requires at least one target and a budget not below the minimum', () => {
    const policy = scalingPolicyFromTemplate('api');
    policy.targets = {};
    policy.budgetMaxInstances = 1;
    expect(validateScalingPolicy(policy).map(e => e.field)).toEqual([
      'targets',
      'budgetMaxInstances',
    ]);
  });
});
