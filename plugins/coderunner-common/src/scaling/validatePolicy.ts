import {
  ScalingDirectionBehavior,
  ScalingPolicy,
  ScalingPolicyError,
} from './types';

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

type Check = (value: number) => boolean;
const nonNegative: Check = v => v >= 0;
const nonNegativeInteger: Check = v => v >= 0 && Number.isInteger(v);

class Checker {
  readonly errors: ScalingPolicyError[] = [];

  number(
    field: string,
    value: unknown,
    check: Check,
    expectation: string,
    optional = false,
  ): boolean {
    if (value === undefined && optional) {
      return false;
    }
    if (!isNumber(value)) {
      this.errors.push({
        field,
        message: `must be a number; set it to ${expectation}`,
      });
      return false;
    }
    if (!check(value)) {
      this.errors.push({
        field,
        message: `is ${value}; set it to ${expectation}`,
      });
      return false;
    }
    return true;
  }

  fail(field: string, message: string) {
    this.errors.push({ field, message });
  }
}

function checkDirection(
  c: Checker,
  field: string,
  value: ScalingDirectionBehavior | undefined,
) {
  if (typeof value !== 'object' || value === null) {
    c.fail(
      field,
      'is missing; add stabilizationWindowSeconds, tolerance and periodSeconds',
    );
    return;
  }
  c.number(
    `${field}.stabilizationWindowSeconds`,
    value.stabilizationWindowSeconds,
    nonNegative,
    'seconds, 0 or more',
  );
  c.number(
    `${field}.tolerance`,
    value.tolerance,
    v => v >= 0 && v < 1,
    'a fraction from 0 to below 1, such as 0.1',
  );
  c.number(
    `${field}.periodSeconds`,
    value.periodSeconds,
    v => v > 0,
    'seconds, more than 0',
  );
  c.number(
    `${field}.maxInstancesPerPeriod`,
    value.maxInstancesPerPeriod,
    v => v >= 1 && Number.isInteger(v),
    'a whole number, 1 or more, or remove it',
    true,
  );
  c.number(
    `${field}.maxPercentPerPeriod`,
    value.maxPercentPerPeriod,
    v => v > 0,
    'a percentage above 0, or remove it',
    true,
  );
}

/**
 * Checks a scaling policy and lists every problem with the field it is in and what to change.
 * An empty list means the policy is valid.
 *
 * @public
 */
export function validateScalingPolicy(
  policy: ScalingPolicy,
  now?: number,
): ScalingPolicyError[] {
  const c = new Checker();
  const minOk = c.number(
    'minInstances',
    policy.minInstances,
    nonNegativeInteger,
    'a whole number, 0 or more',
  );
  const maxOk = c.number(
    'maxInstances',
    policy.maxInstances,
    v => v >= 1 && Number.isInteger(v),
    'a whole number, 1 or more',
  );
  if (minOk && maxOk && policy.minInstances > policy.maxInstances) {
    c.fail(
      'minInstances',
      `is ${policy.minInstances}, above maxInstances (${policy.maxInstances}); lower it or raise maxInstances`,
    );
  }

  const targets = policy.targets ?? {};
  const percent: Check = v => v > 0 && v <= 100;
  c.number(
    'targets.cpuPercent',
    targets.cpuPercent,
    percent,
    'a percentage from 1 to 100, such as 70',
    true,
  );
  c.number(
    'targets.memoryPercent',
    targets.memoryPercent,
    percent,
    'a percentage from 1 to 100, such as 80',
    true,
  );
  c.number(
    'targets.p95LatencyMs',
    targets.p95LatencyMs,
    v => v > 0,
    'milliseconds above 0, such as 200',
    true,
  );
  c.number(
    'targets.errorRate',
    targets.errorRate,
    v => v > 0 && v < 1,
    'a fraction between 0 and 1, such as 0.01 for 1%',
    true,
  );
  c.number(
    'targets.requestsPerSecondPerInstance',
    targets.requestsPerSecondPerInstance,
    v => v > 0,
    'requests per second above 0',
    true,
  );
  if (!Object.values(targets).some(v => v !== undefined)) {
    c.fail(
      'targets',
      'has no target; set at least one of cpuPercent, memoryPercent, p95LatencyMs, errorRate, requestsPerSecondPerInstance',
    );
  }

  checkDirection(c, 'behavior.scaleUp', policy.behavior?.scaleUp);
  checkDirection(c, 'behavior.scaleDown', policy.behavior?.scaleDown);
  c.number(
    'cooldowns.scaleUpSeconds',
    policy.cooldowns?.scaleUpSeconds,
    nonNegative,
    'seconds, 0 or more',
  );
  c.number(
    'cooldowns.scaleDownSeconds',
    policy.cooldowns?.scaleDownSeconds,
    nonNegative,
    'seconds, 0 or more',
  );
  c.number(
    'predictionHorizonSeconds',
    policy.predictionHorizonSeconds,
    nonNegative,
    'seconds, 0 or more (0 turns prediction off)',
  );
  c.number(
    'metricsMaxAgeSeconds',
    policy.metricsMaxAgeSeconds,
    v => v > 0,
    'seconds above 0, such as 60',
  );

  if (policy.scaleToZero !== undefined) {
    c.number(
      'scaleToZero.idleSeconds',
      policy.scaleToZero.idleSeconds,
      v => v > 0,
      'seconds above 0, such as 900',
    );
  }
  if (
    c.number(
      'budgetMaxInstances',
      policy.budgetMaxInstances,
      nonNegativeInteger,
      'a whole number, 0 or more, or remove it',
      true,
    ) &&
    minOk &&
    policy.budgetMaxInstances! < policy.minInstances
  ) {
    c.fail(
      'budgetMaxInstances',
      `is ${policy.budgetMaxInstances}, below minInstances (${policy.minInstances}); the budget wins, so lower minInstances or raise the budget`,
    );
  }

  const override = policy.override;
  if (override !== undefined) {
    c.number(
      'override.instances',
      override.instances,
      nonNegativeInteger,
      'a whole number, 0 or more',
    );
    if (typeof override.reason !== 'string' || override.reason.trim() === '') {
      c.fail(
        'override.reason',
        'is empty; say why the count is pinned, for example "load test until 14:00"',
      );
    }
    if (
      c.number(
        'override.expiresAt',
        override.expiresAt,
        v => v > 0,
        'a time in epoch milliseconds',
      ) &&
      now !== undefined &&
      override.expiresAt <= now
    ) {
      c.fail(
        'override.expiresAt',
        'is in the past; set a future time or remove the override',
      );
    }
    if (
      maxOk &&
      isNumber(override.instances) &&
      override.instances > policy.maxInstances
    ) {
      c.fail(
        'override.instances',
        `is ${override.instances}, above maxInstances (${policy.maxInstances}); lower it or raise maxInstances`,
      );
    }
  }
  return c.errors;
}
