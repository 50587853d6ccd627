import { AwsTargetTracking } from './autoscalers/awsTargetTracking';
import { CodeRunnerEngine } from './autoscalers/codeRunnerEngine';
import { FixedCapacity, peakInstances } from './autoscalers/fixedCapacity';
import { HorizontalPodAutoscaler } from './autoscalers/hpa';
import { KnativePodAutoscaler } from './autoscalers/kpa';
import { OfflineOracle } from './autoscalers/oracle';
import { matchedUtilisation } from './autoscalers/workloadTargets';
import { simulate } from './simulator';
import { Trace } from './traces';
import { Autoscaler, RunResult, SimulationConfig } from './types';

/** The swept cold starts, in seconds. */
export const coldStarts = [2, 15, 60];

/** The world every run shares, apart from the cold start, the target and the seed. */
export function simulationConfig(
  coldStartSeconds: number,
  seed: number,
  targetUtilisation = matchedUtilisation,
): SimulationConfig {
  return {
    coldStartSeconds,
    minInstances: 1,
    maxInstances: 60,
    pricePerInstanceHour: 0.1,
    metricsLagSeconds: 5,
    metricNoise: 0.05,
    missingSampleChance: 0.01,
    sloP95Seconds: 0.3,
    sloErrorRate: 0.01,
    targetUtilisation,
    seed,
  };
}

interface Contender {
  autoscaler: Autoscaler;
  initial?: number;
}

type Create = (trace: Trace, config: SimulationConfig) => Contender;

/** The autoscalers that take a utilisation target, ours first: these are swept over targets. */
export const targetedContenders: Create[] = [
  (_trace, config) => ({ autoscaler: new CodeRunnerEngine(config) }),
  (_trace, config) => ({ autoscaler: new HorizontalPodAutoscaler(config) }),
  (_trace, config) => ({ autoscaler: new KnativePodAutoscaler(config) }),
  (_trace, config) => ({ autoscaler: new AwsTargetTracking(config) }),
];

/** Every autoscaler in the comparison at the matched target: the targeted ones, fixed capacity and the oracle. */
export const contenders: Create[] = [
  ...targetedContenders,
  (trace, config) => {
    const instances = peakInstances(trace, config);
    return { autoscaler: new FixedCapacity(instances), initial: instances };
  },
  (trace, config) => {
    const oracle = new OfflineOracle(trace, config);
    return { autoscaler: oracle, initial: oracle.initial() };
  },
];

/** Runs the given autoscalers on every trace at every given cold start, for one seed and target. */
export function runAll(
  traces: readonly Trace[],
  seed: number,
  options: {
    target?: number;
    coldStartsSeconds?: readonly number[];
    autoscalers?: readonly Create[];
  } = {},
): RunResult[] {
  const results: RunResult[] = [];
  for (const trace of traces) {
    for (const coldStart of options.coldStartsSeconds ?? coldStarts) {
      const config = simulationConfig(coldStart, seed, options.target);
      for (const create of options.autoscalers ?? contenders) {
        const { autoscaler, initial } = create(trace, config);
        results.push(simulate(trace, autoscaler, config, initial));
      }
    }
  }
  return results;
}
