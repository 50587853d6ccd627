import { ScalingBehavior, ScalingPolicy } from './types';

/**
 * The names of the built-in policy templates, spelt as `scaling.template` in coderunner.yaml.
 *
 * @public
 */
export type ScalingTemplateName =
  | 'web-app'
  | 'api'
  | 'worker'
  | 'ml-inference'
  | 'development'
  | 'cost-saver';

/**
 * A starting point for a policy, with what it is for.
 *
 * @public
 */
export interface ScalingTemplate {
  name: ScalingTemplateName;
  title: string;
  /** Who the template is for and what it trades off. */
  intent: string;
  policy: ScalingPolicy;
}

function behavior(
  upPercent: number,
  downWindow: number,
  downPercent: number,
): ScalingBehavior {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      tolerance: 0.1,
      periodSeconds: 15,
      maxPercentPerPeriod: upPercent,
      maxInstancesPerPeriod: 4,
    },
    scaleDown: {
      stabilizationWindowSeconds: downWindow,
      tolerance: 0.1,
      periodSeconds: 60,
      maxPercentPerPeriod: downPercent,
    },
  };
}

const base = {
  cooldowns: { scaleUpSeconds: 0, scaleDownSeconds: 60 },
  predictionHorizonSeconds: 30,
  metricsMaxAgeSeconds: 60,
};

const templates: Record<ScalingTemplateName, ScalingTemplate> = {
  'web-app': {
    name: 'web-app',
    title: 'Web app',
    intent:
      'User-facing pages: keeps p95 latency under 200 ms. Scales up at once (up to 10× per 15 s) and back down after 90 quiet seconds (45 once a drop in load has held that long), all the excess at once (the engine keeps what recurring bursts of the last half hour need).',
    policy: {
      ...base,
      minInstances: 1,
      maxInstances: 20,
      targets: { cpuPercent: 70, p95LatencyMs: 200, errorRate: 0.01 },
      behavior: behavior(900, 90, 100),
    },
  },
  api: {
    name: 'api',
    title: 'API',
    intent:
      'Machine clients with tight latency budgets: keeps two instances for redundancy, targets p95 150 ms, scales up at once and down after three quiet minutes.',
    policy: {
      ...base,
      minInstances: 2,
      maxInstances: 30,
      targets: { cpuPercent: 65, p95LatencyMs: 150, errorRate: 0.005 },
      behavior: behavior(900, 180, 50),
    },
  },
  worker: {
    name: 'worker',
    title: 'Worker / batch',
    intent:
      'Queue consumers where throughput matters more than latency: runs hot (CPU 85%), grows by at most double per period and shrinks after five quiet minutes.',
    policy: {
      ...base,
      minInstances: 1,
      maxInstances: 50,
      targets: { cpuPercent: 85, memoryPercent: 85 },
      behavior: behavior(100, 300, 25),
      predictionHorizonSeconds: 0,
    },
  },
  'ml-inference': {
    name: 'ml-inference',
    title: 'ML inference',
    intent:
      'Model servers with slow cold starts and large memory: looks two minutes ahead on rising load, watches memory, and lets capacity go only after ten quiet minutes.',
    policy: {
      ...base,
      minInstances: 1,
      maxInstances: 10,
      targets: { cpuPercent: 60, memoryPercent: 80, p95LatencyMs: 1000 },
      behavior: behavior(200, 600, 25),
      cooldowns: { scaleUpSeconds: 0, scaleDownSeconds: 300 },
      predictionHorizonSeconds: 120,
    },
  },
  development: {
    name: 'development',
    title: 'Development',
    intent:
      'Preview and personal environments: one instance at most two, and zero after 15 idle minutes.',
    policy: {
      ...base,
      minInstances: 1,
      maxInstances: 2,
      targets: { cpuPercent: 80 },
      behavior: behavior(100, 60, 100),
      scaleToZero: { idleSeconds: 900 },
      predictionHorizonSeconds: 0,
    },
  },
  'cost-saver': {
    name: 'cost-saver',
    title: 'Cost saver',
    intent:
      'Internal tools where a slower page is fine: runs hot (CPU 85%, p95 500 ms), scales down after one quiet minute and to zero after 30 idle minutes.',
    policy: {
      ...base,
      minInstances: 1,
      maxInstances: 5,
      targets: { cpuPercent: 85, p95LatencyMs: 500 },
      behavior: behavior(100, 60, 100),
      scaleToZero: { idleSeconds: 1800 },
      predictionHorizonSeconds: 0,
    },
  },
};

/**
 * The built-in templates, in the order a picker shows them.
 *
 * @public
 */
export const scalingTemplates: readonly ScalingTemplate[] =
  Object.values(templates);

/**
 * A copy of a template's policy, safe to change.
 *
 * @public
 */
export function scalingPolicyFromTemplate(
  name: ScalingTemplateName,
): ScalingPolicy {
  return JSON.parse(JSON.stringify(templates[name].policy));
}
