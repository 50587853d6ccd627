import {
  EffectiveScalingPolicy,
  manifestScalingTemplates,
  SCALING_LIMITS,
  ScalingPolicyTargets,
  ScalingPolicyUpdateRequest,
} from '@coderunner/plugin-coderunner-common';
import { CoderunnerTranslate } from '../../translation';

/** The policy dialog's fields as typed; numbers stay text until saved. */
export interface PolicyForm {
  template: string;
  minInstances: string;
  maxInstances: string;
  /** Error rate in percent, the others in their own unit. */
  targets: Record<keyof ScalingPolicyTargets, string>;
}

/** A field of the form, as the backend names it in a 400 (`targets.cpuPercent`). */
export type PolicyField =
  | 'template'
  | 'minInstances'
  | 'maxInstances'
  | `targets.${keyof ScalingPolicyTargets}`;

const TARGET_KEYS: (keyof ScalingPolicyTargets)[] = [
  'cpuPercent',
  'memoryPercent',
  'p95LatencyMs',
  'errorRate',
  'requestsPerSecondPerInstance',
];

/** Percent as typed ↔ the API's fraction for the error rate. */
const toForm = (key: keyof ScalingPolicyTargets, value: number) =>
  String(key === 'errorRate' ? Number((value * 100).toPrecision(6)) : value);
const fromForm = (key: keyof ScalingPolicyTargets, value: number) =>
  key === 'errorRate' ? value / 100 : value;

/** The form filled with the effective policy. */
export function formFromPolicy(policy: EffectiveScalingPolicy): PolicyForm {
  const targets = {} as PolicyForm['targets'];
  for (const key of TARGET_KEYS) {
    const value = policy.targets[key];
    targets[key] = value === undefined ? '' : toForm(key, value);
  }
  return {
    template: policy.template ?? '',
    minInstances: String(policy.minInstances),
    maxInstances: String(policy.maxInstances),
    targets,
  };
}

/** What is wrong with each field, in words; empty when the form can be saved. */
export function validatePolicyForm(
  form: PolicyForm,
  t: CoderunnerTranslate,
): Partial<Record<PolicyField, string>> {
  const errors: Partial<Record<PolicyField, string>> = {};
  const max = SCALING_LIMITS.maxInstances;
  const whole = (text: string, lowest: number) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value))
      return t('autoscalingTab.policyDialog.wholeNumber');
    if (value < lowest || value > max)
      return t('autoscalingTab.policyDialog.range', {
        low: String(lowest),
        high: String(max),
      });
    return undefined;
  };
  const minError = whole(form.minInstances, 0);
  const maxError = whole(form.maxInstances, 1);
  if (minError) errors.minInstances = minError;
  if (maxError) errors.maxInstances = maxError;
  if (
    !minError &&
    !maxError &&
    Number(form.minInstances) > Number(form.maxInstances)
  ) {
    errors.minInstances = t('autoscalingTab.policyDialog.minAboveMax');
  }
  if (
    form.template &&
    !(manifestScalingTemplates as readonly string[]).includes(form.template)
  ) {
    errors.template = t('autoscalingTab.policyDialog.oneOf', {
      names: manifestScalingTemplates.join(', '),
    });
  }
  const ranges: Record<keyof ScalingPolicyTargets, [number, number]> = {
    cpuPercent: [1, 100],
    memoryPercent: [1, 100],
    p95LatencyMs: [1, 600_000],
    errorRate: [0.01, 100],
    requestsPerSecondPerInstance: [0.01, 1_000_000],
  };
  for (const key of TARGET_KEYS) {
    const text = form.targets[key].trim();
    if (!text) continue;
    const value = Number(text);
    const [low, high] = ranges[key];
    if (!Number.isFinite(value) || value < low || value > high) {
      errors[`targets.${key}`] = t('autoscalingTab.policyDialog.numberRange', {
        low: String(low),
        high: String(high),
      });
    }
  }
  return errors;
}

/**
 * The override to save: the values the user changed from the effective
 * policy, on top of the override already saved. An override's targets replace
 * the template's as a whole, so once any target changes (or targets were saved
 * before) every filled-in target is sent; an emptied one has no target.
 */
export function policyRequest(
  form: PolicyForm,
  policy: EffectiveScalingPolicy,
): ScalingPolicyUpdateRequest {
  const saved = policy.sources.override?.values ?? {};
  const request: ScalingPolicyUpdateRequest = {};
  const template = form.template || undefined;
  if (
    template !== undefined &&
    (template !== policy.template || saved.template !== undefined)
  )
    request.template = template;
  const min = Number(form.minInstances);
  if (min !== policy.minInstances || saved.minInstances !== undefined)
    request.minInstances = min;
  const max = Number(form.maxInstances);
  if (max !== policy.maxInstances || saved.maxInstances !== undefined)
    request.maxInstances = max;
  const targets: ScalingPolicyTargets = {};
  let targetsChanged = saved.targets !== undefined;
  for (const key of TARGET_KEYS) {
    const text = form.targets[key].trim();
    const value = text ? fromForm(key, Number(text)) : undefined;
    if (value !== policy.targets[key]) targetsChanged = true;
    if (value !== undefined) targets[key] = value;
  }
  if (targetsChanged) request.targets = targets;
  return request;
}

/**
 * The fields a backend 400 names ("targets.cpuPercent must be …",
 * "/body/minInstances …"), so the dialog can mark them.
 */
export function fieldsNamedIn(message: string): PolicyField[] {
  const fields: PolicyField[] = [];
  for (const key of TARGET_KEYS) {
    if (new RegExp(`\\b${key}\\b`).test(message)) fields.push(`targets.${key}`);
  }
  for (const field of ['template', 'minInstances', 'maxInstances'] as const) {
    if (new RegExp(`\\b${field}\\b`).test(message)) fields.push(field);
  }
  return fields;
}
