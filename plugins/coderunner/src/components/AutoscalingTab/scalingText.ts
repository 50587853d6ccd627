import {
  EffectiveScalingPolicy,
  ScalingDecisionCause,
  ScalingDecisionRecord,
  ScalingPolicyTargets,
} from '@coderunner/plugin-coderunner-common';
import { displayUser } from '../../lib/displayUser';
import { CoderunnerTranslate } from '../../translation';

/**
 * The targets in the order the tab lists them, with how each value reads; each is named by
 * the message `autoscalingTab.targets.<key>`.
 */
export const TARGETS: {
  key: keyof ScalingPolicyTargets;
  /** The value as a person writes it (percent for the error rate). */
  format: (value: number) => string;
}[] = [
  { key: 'cpuPercent', format: v => `${v}%` },
  { key: 'memoryPercent', format: v => `${v}%` },
  { key: 'p95LatencyMs', format: v => `${v} ms` },
  {
    key: 'errorRate',
    format: v => `${Number((v * 100).toPrecision(6))}%`,
  },
  {
    key: 'requestsPerSecondPerInstance',
    format: v => `${v} req/s`,
  },
];

/** The causes of a decision, in the order the timeline's filter offers them. */
export const CAUSES: ScalingDecisionCause[] = [
  'autoscaler',
  'manual',
  'hold-expired',
  'paused',
  'resumed',
  'policy',
  'wake',
];

/** What a cause of a decision is called in the timeline and its filter. */
export function causeLabel(
  cause: ScalingDecisionCause,
  t: CoderunnerTranslate,
): string {
  return CAUSES.includes(cause) ? t(`autoscalingTab.causes.${cause}`) : cause;
}

/** `45 s`, `5 min`, `1 h 30 min`. */
export function formatSeconds(seconds: number, t: CoderunnerTranslate): string {
  if (seconds < 60) {
    return t('autoscalingTab.duration.seconds', { seconds: String(seconds) });
  }
  if (seconds < 3600) {
    const minutes = String(Math.floor(seconds / 60));
    const rest = seconds % 60;
    return rest
      ? t('autoscalingTab.duration.minutesSeconds', {
          minutes,
          seconds: String(rest),
        })
      : t('autoscalingTab.duration.minutes', { minutes });
  }
  const hours = String(Math.floor(seconds / 3600));
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes
    ? t('autoscalingTab.duration.hoursMinutes', {
        hours,
        minutes: String(minutes),
      })
    : t('autoscalingTab.duration.hours', { hours });
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
export function policyRows(
  policy: EffectiveScalingPolicy,
  t: CoderunnerTranslate,
): PolicyRow[] {
  const { manifest, override } = policy.sources;
  const overridden = override?.values;
  const overrideSource = override
    ? t('autoscalingTab.policyRows.overrideSource', {
        version: String(override.version),
        user: displayUser(override.by, t),
      })
    : '';
  const templateSource = policy.template
    ? t('autoscalingTab.policyRows.templateSource', {
        template: policy.template,
      })
    : t('autoscalingTab.policyRows.defaults');
  const from = (set: boolean) => (set ? overrideSource : 'coderunner.yaml');
  const configuredMax = overridden?.maxInstances ?? manifest.maxInstances;
  const capped =
    policy.budgetMaxInstances !== undefined &&
    policy.budgetMaxInstances < configuredMax;
  const rows: PolicyRow[] = [
    {
      setting: t('autoscalingTab.policyRows.template'),
      value: policy.template ?? t('autoscalingTab.policyRows.noTemplate'),
      source: from(overridden?.template !== undefined),
    },
    {
      setting: t('autoscalingTab.policyRows.minInstances'),
      value: String(policy.minInstances),
      source: from(overridden?.minInstances !== undefined),
    },
    {
      setting: t('autoscalingTab.policyRows.maxInstances'),
      value: capped
        ? t('autoscalingTab.policyRows.capped', {
            budget: String(policy.budgetMaxInstances),
            configured: String(configuredMax),
          })
        : String(policy.maxInstances),
      source: capped
        ? t('autoscalingTab.policyRows.budgetCap')
        : from(overridden?.maxInstances !== undefined),
    },
  ];
  for (const target of TARGETS) {
    const value = policy.targets[target.key];
    if (value === undefined) continue;
    rows.push({
      setting: t('autoscalingTab.policyRows.target', {
        target: t(`autoscalingTab.targets.${target.key}`),
      }),
      value: target.format(value),
      // An override's targets replace the template's as a whole.
      source: overridden?.targets ? overrideSource : templateSource,
    });
  }
  const { windows } = policy;
  const windowRows: [string, number | undefined][] = [
    [
      t('autoscalingTab.policyRows.scaleUpWindow'),
      windows.scaleUpStabilizationSeconds,
    ],
    [
      t('autoscalingTab.policyRows.scaleDownWindow'),
      windows.scaleDownStabilizationSeconds,
    ],
    [
      t('autoscalingTab.policyRows.scaleUpCooldown'),
      windows.scaleUpCooldownSeconds,
    ],
    [
      t('autoscalingTab.policyRows.scaleDownCooldown'),
      windows.scaleDownCooldownSeconds,
    ],
    [
      t('autoscalingTab.policyRows.metricsMaxAge'),
      windows.metricsMaxAgeSeconds,
    ],
    [
      t('autoscalingTab.policyRows.scaleToZero'),
      windows.scaleToZeroIdleSeconds,
    ],
  ];
  for (const [setting, seconds] of windowRows) {
    if (seconds === undefined) continue;
    rows.push({
      setting,
      value: formatSeconds(seconds, t),
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
  t: CoderunnerTranslate,
  now = new Date(),
): string {
  const head =
    decision.from === decision.to
      ? t('autoscalingTab.decisions.heldAt', {
          instances: String(decision.to),
        })
      : `${decision.from} → ${decision.to}`;
  const reasons = decision.explanation.replace(EXPLANATION_HEAD, '').trim();
  const time = formatDecisionTime(decision.at, now);
  return reasons
    ? t('autoscalingTab.decisions.sentenceWithReasons', { head, time, reasons })
    : t('autoscalingTab.decisions.sentence', { head, time });
}
