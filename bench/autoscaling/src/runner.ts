import { AwsTargetTracking } from './autoscalers/awsTargetTracking';
import { CodeRunnerEngine } from './autoscalers/codeRunnerEngine';
import { FixedCapacity, peakInstances } from './autoscalers/fixedCapacity';
import { HorizontalPodAutoscaler } from './autoscalers/hpa';
import { KnativePodAutoscaler } from './autoscalers/kpa';
import { OfflineOracle } from './autoscalers/oracle';
import { simulate } from './simulator';
import { Trace } from './traces';
import { Autoscaler, RunResult, SimulationConfig } from './types';

/** The swept cold starts, in seconds. */
export const coldStarts = [2, 15, 60];

/** The world every run shares, apart from the cold start and the seed. */
export function simulationConfig(coldStartSeconds: number, seed: number): SimulationConfig {
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
    seed,
  };
}

interface Contender {
  autoscaler: Autoscaler;
  initial?: number;
}

/** Every autoscaler in the comparison, ours first. */
export const contenders: Array<(trace: Trace, config: SimulationConfig) => Contender> = [
  (_trace, config) => ({ autoscaler: new CodeRunnerEngine(config) }),
  (_trace, config) => ({ autoscaler: new HorizontalPodAutoscaler(config) }),
  (_trace, config) => ({ autoscaler: new KnativePodAutoscaler(config) }),
  (_trace, config) => ({ autoscaler: new AwsTargetTracking(config) }),
  (trace, config) => {
    const instances = peakInstances(trace, config);
    return { autoscaler: new FixedCapacity(instances), initial: instances };
  },
  (trace, config) => {
    const oracle = new OfflineOracle(trace, config);
    return { autoscaler: oracle, initial: oracle.initial() };
  },
];

/** Runs every autoscaler on every trace at every cold start. */
export function runAll(traces: readonly Trace[], seed: number): RunResult[] {
  const results: RunResult[] = [];
  for (const trace of traces) {
    for (const coldStart of coldStarts) {
      const config = simulationConfig(coldStart, seed);
      for (const create of contenders) {
        const { autoscaler, initial } = create(trace, config);
        results.push(simulate(trace, autoscaler, config, initial));
      }
    }
  }
  return results;
}
