import {
  CodeRunnerManifest,
  EffectiveScalingPolicy,
  manifestScalingTemplates,
  SCALING_LIMITS,
  ScalingPolicy,
  scalingPolicyFromTemplate,
  scalingTemplates,
  ScalingPolicyOverride,
  ScalingPolicyOverrideValues,
  ScalingTemplateName,
  validateScalingPolicy,
} from '@coderunner/plugin-coderunner-common';
import { InputError } from '@backstage/errors';

/** Whether `name` is a built-in template (the manifest and the engine spell them alike). */
const isTemplate = (name: string): name is ScalingTemplateName =>
  scalingTemplates.some(template => template.name === name);

const TARGET_FIELDS = [
  'cpuPercent',
  'memoryPercent',
  'p95LatencyMs',
  'errorRate',
  'requestsPerSecondPerInstance',
] as const;

/**
 * The policy the controller applies, for the API, and the same as the engine's input.
 *
 * @internal
 */
export interface ResolvedPolicy {
  /** False when neither the manifest nor the override names a template. */
  autoscaling: boolean;
  effective: EffectiveScalingPolicy;
  /** The engine's policy; absent without autoscaling. */
  engine?: ScalingPolicy;
}

/**
 * The effective policy: the manifest's template, min and max, then each value the saved
 * override sets (its `targets` replace the template's as a whole), then the budget cap.
 *
 * @internal
 */
export function resolvePolicy(
  manifest: Pick<CodeRunnerManifest, 'scaling' | 'instances'>,
  override: ScalingPolicyOverride | undefined,
  budgetMaxInstances: number | undefined,
): ResolvedPolicy {
  const values = override?.values ?? {};
  const template = values.template ?? manifest.scaling.template;
  const minInstances = values.minInstances ?? manifest.scaling.min;
  const maxInstances = values.maxInstances ?? manifest.scaling.max;
  const sources: EffectiveScalingPolicy['sources'] = {
    manifest: {
      ...(manifest.scaling.template
        ? { template: manifest.scaling.template }
        : {}),
      minInstances: manifest.scaling.min,
      maxInstances: manifest.scaling.max,
    },
    ...(override && Object.keys(override.values).length > 0
      ? { override }
      : {}),
  };
  const budget = budgetMaxInstances === undefined ? {} : { budgetMaxInstances };
  if (!template || !isTemplate(template)) {
    return {
      autoscaling: false,
      effective: {
        minInstances,
        maxInstances,
        targets: values.targets ?? {},
        windows: {
          scaleUpStabilizationSeconds: 0,
          scaleDownStabilizationSeconds: 0,
          scaleUpCooldownSeconds: 0,
          scaleDownCooldownSeconds: 0,
          metricsMaxAgeSeconds: 0,
        },
        ...budget,
        sources,
      },
    };
  }
  const engine = scalingPolicyFromTemplate(template);
  engine.minInstances = minInstances;
  engine.maxInstances = maxInstances;
  if (values.targets) engine.targets = { ...values.targets };
  if (budgetMaxInstances !== undefined)
    engine.budgetMaxInstances = budgetMaxInstances;
  return {
    autoscaling: true,
    engine,
    effective: {
      template,
      minInstances,
      maxInstances,
      targets: engine.targets,
      windows: {
        scaleUpStabilizationSeconds:
          engine.behavior.scaleUp.stabilizationWindowSeconds,
        scaleDownStabilizationSeconds:
          engine.behavior.scaleDown.stabilizationWindowSeconds,
        scaleUpCooldownSeconds: engine.cooldowns.scaleUpSeconds,
        scaleDownCooldownSeconds: engine.cooldowns.scaleDownSeconds,
        metricsMaxAgeSeconds: engine.metricsMaxAgeSeconds,
        ...(engine.scaleToZero
          ? { scaleToZeroIdleSeconds: engine.scaleToZero.idleSeconds }
          : {}),
      },
      ...budget,
      sources,
    },
  };
}

function fail(field: string, message: string): never {
  throw new InputError(`${field} ${message}`);
}

/**
 * Checks an override request on its own and against the manifest it applies to; a problem is
 * an InputError naming the field. Returns the values to save.
 *
 * @internal
 */
export function checkOverride(
  body: ScalingPolicyOverrideValues,
  manifest: Pick<CodeRunnerManifest, 'scaling' | 'instances'>,
): ScalingPolicyOverrideValues {
  const values: ScalingPolicyOverrideValues = {};
  if (body.template !== undefined) {
    if (!isTemplate(body.template)) {
      fail(
        'template',
        `must be one of ${manifestScalingTemplates.join(', ')}; got '${
          body.template
        }'`,
      );
    }
    values.template = body.template;
  }
  for (const field of ['minInstances', 'maxInstances'] as const) {
    const value = body[field];
    if (value === undefined) continue;
    const lowest = field === 'minInstances' ? 0 : 1;
    if (
      !Number.isInteger(value) ||
      value < lowest ||
      value > SCALING_LIMITS.maxInstances
    ) {
      fail(
        field,
        `must be a whole number from ${lowest} to ${SCALING_LIMITS.maxInstances}; got ${value}`,
      );
    }
    values[field] = value;
  }
  if (body.targets !== undefined) {
    const targets = body.targets;
    if (
      typeof targets !== 'object' ||
      targets === null ||
      !TARGET_FIELDS.some(f => targets[f] !== undefined)
    ) {
      fail('targets', `must set at least one of ${TARGET_FIELDS.join(', ')}`);
    }
    values.targets = { ...targets };
  }
  if (Object.keys(values).length === 0) {
    fail(
      'body',
      'sets nothing: give template, minInstances, maxInstances or targets (DELETE the policy to go back to the manifest)',
    );
  }
  const resolved = resolvePolicy(
    manifest,
    { version: 0, by: '', at: '', values },
    undefined,
  );
  if (!resolved.engine) {
    fail(
      'template',
      'is needed: neither the manifest nor this override names a scaling template',
    );
  }
  const [problem] = validateScalingPolicy(resolved.engine);
  if (problem) fail(problem.field, problem.message);
  return values;
}
