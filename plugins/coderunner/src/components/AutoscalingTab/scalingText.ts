import {
  EffectiveScalingPolicy,
  ScalingDecisionCause,
  ScalingDecisionRecord,
  ScalingPolicyTargets,
} from '@coderunner/plugin-coderunner-common';
import { displayUser } from '../../lib/displayUser';

/** The targets in the order the tab lists them, with how each reads. */
export const TARGETS: {
  key: keyof ScalingPolicyTargets;
  label: string;
  /** The value as a person writes it (percent for the error rate). */
  format: (value: number) => string;
}[] = [
  { key: 'cpuPercent', label: 'CPU', format: v => `${v}%` },
  { key: 'memoryPercent', label: 'Memory', format: v => `${v}%` },
  { key: 'p95LatencyMs', label: 'p95 latency', format: v => `${v} ms` },
  {
    key: 'errorRate',
    label: 'Error rate',
    format: v => `${Number((v * 100).toPrecision(6))}%`,
  },
  {
    key: 'requestsPerSecondPerInstance',
    label: 'Requests per instance',
    format: v => `${v} req/s`,
  },
];

/** What each cause of a decision is called in the timeline and its filter. */
export const CAUSE_LABELS: Record<ScalingDecisionCause, string> = {
  autoscaler: 'Autoscaler',
  manual: 'Manual hold',
  'hold-expired': 'Hold expired',
  paused: 'Paused',
  resumed: 'Resumed',
  policy: 'Policy change',
  wake: 'Woken by a request',
};

/** `45 s`, `5 min`, `1 h 30 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/** One line of the policy table: a setting, its value and where the value comes from. */
export interface PolicyRow {
  setting: string;
  value: string;
  source: string;
}

/**
 * The effective policy as rows, each naming its source: coderunner.yaml, the
 * saved override (version, who) or the budget cap; targets and windows not
 * overridden come from the template.
 */
export function policyRows(policy: EffectiveScalingPolicy): PolicyRow[] {
  const { manifest, override } = policy.sources;
  const overridden = override?.values;
  const overrideSource = override
    ? `Override v${override.version} by ${displayUser(override.by)}`
    : '';
  const templateSource = policy.template
    ? `Template ${policy.template}`
    : 'Defaults';
  const from = (set: boolean) => (set ? overrideSource : 'coderunner.yaml');
  const configuredMax = overridden?.maxInstances ?? manifest.maxInstances;
  const capped =
    policy.budgetMaxInstances !== undefined &&
    policy.budgetMaxInstances < configuredMax;
  const rows: PolicyRow[] = [
    {
      setting: 'Template',
      value: policy.template ?? 'none (the count only changes by hand)',
      source: from(overridden?.template !== undefined),
    },
    {
      setting: 'Minimum instances',
      value: String(policy.minInstances),
      source: from(overridden?.minInstances !== undefined),
    },
    {
      setting: 'Maximum instances',
      value: capped
        ? `${policy.budgetMaxInstances} (${configuredMax} configured)`
        : String(policy.maxInstances),
      source: capped
        ? 'Budget cap'
        : from(overridden?.maxInstances !== undefined),
    },
  ];
  for (const target of TARGETS) {
    const value = policy.targets[target.key];
    if (value === undefined) continue;
    rows.push({
      setting: `Target: ${target.label}`,
      value: target.format(value),
      // An override's targets replace the template's as a whole.
      source: overridden?.targets ? overrideSource : templateSource,
    });
  }
  const { windows } = policy;
  const windowRows: [string, number | undefined][] = [
    ['Scale-up window', windows.scaleUpStabilizationSeconds],
    ['Scale-down window', windows.scaleDownStabilizationSeconds],
    ['Cooldown after scaling up', windows.scaleUpCooldownSeconds],
    ['Cooldown before scaling down', windows.scaleDownCooldownSeconds],
    ['Metrics count as missing after', windows.metricsMaxAgeSeconds],
    ['Scale to zero after idle', windows.scaleToZeroIdleSeconds],
  ];
  for (const [setting, seconds] of windowRows) {
    if (seconds === undefined) continue;
    rows.push({
      setting,
      value: formatSeconds(seconds),
      source: templateSource,
    });
  }
  return rows;
}

/** `14:02`, or `May 1, 14:02` when not today. */
export function formatDecisionTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  return at.toLocaleString(undefined, {
    ...(sameDay ? {} : { month: 'short', day: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  });
}

const EXPLANATION_HEAD = /^(\d+ → \d+|holding at \d+)(: |$)/;

/**
 * A decision as one sentence: "2 → 4 at 14:02: p95 latency 480 ms over the
 * 200 ms target; CPU 55% within target". The backend's explanation starts with
 * the same head ("2 → 4: …"), which is replaced by one that says when.
 */
export function decisionSentence(
  decision: ScalingDecisionRecord,
  now = new Date(),
): string {
  const head =
    decision.from === decision.to
      ? `Held at ${decision.to}`
      : `${decision.from} → ${decision.to}`;
  const reasons = decision.explanation.replace(EXPLANATION_HEAD, '').trim();
  return `${head} at ${formatDecisionTime(decision.at, now)}${
    reasons ? `: ${reasons}` : ''
  }`;
}
