import { MetricsPipeline } from './metricsPipeline';
import { capacityOf, InstanceModel, secondLatency } from './serviceModel';
import { Trace } from './traces';
import {
  Autoscaler,
  PodTimes,
  RunResult,
  ScalingAction,
  SimulationConfig,
} from './types';

/** The instance every run uses: 8 workers at 80 ms a request, so 100 requests per second. */
export const instanceModel: InstanceModel = {
  workers: 8,
  serviceSeconds: 0.08,
  queueLimit: 200,
};

/** Direction reversals closer than this count as oscillations. */
export const oscillationSeconds = 300;

/** Instances a utilisation target of `utilisation` needs for `rate` requests per second. */
export function instancesFor(rate: number, utilisation: number): number {
  return Math.ceil(rate / (capacityOf(instanceModel) * utilisation));
}

function initialInstances(trace: Trace, config: SimulationConfig): number {
  let sum = 0;
  const n = Math.min(60, trace.requestsPerSecond.length);
  for (let t = 0; t < n; t++) {
    sum += trace.requestsPerSecond[t];
  }
  return Math.min(
    config.maxInstances,
    Math.max(
      config.minInstances,
      instancesFor(sum / n, config.targetUtilisation),
    ),
  );
}

/**
 * Runs one autoscaler over one trace, a second at a time, and measures cost and SLO.
 * Requests arrive at the gateway, spread evenly over ready instances, wait in a shared backlog when capacity is
 * short, and are rejected (errors) when the backlog is over the instances' queue limits. The autoscaler is asked
 * every `intervalSeconds`, at its `phaseSeconds` offset.
 */
export function simulate(
  trace: Trace,
  autoscaler: Autoscaler,
  config: SimulationConfig,
  initial?: number,
): RunResult {
  const seconds = trace.requestsPerSecond.length;
  const capacity = capacityOf(instanceModel);
  const pipeline = new MetricsPipeline(config);
  // Oldest first; a scale-down removes the newest (still starting ones first), as a ReplicaSet prefers.
  const pods: PodTimes[] = [];
  for (let i = 0; i < (initial ?? initialInstances(trace, config)); i++) {
    pods.push({ startedAt: -3600, readyAt: 0 });
  }
  const actions: ScalingAction[] = [];
  const minutes = Math.ceil(seconds / 60);
  const minuteRequests = new Float64Array(minutes);
  const minuteSlow = new Float64Array(minutes);
  const minuteErrors = new Float64Array(minutes);
  const instancesEvery10s: number[] = [];
  const p95Every10s: number[] = [];
  let p95Max = 0;
  let backlog = 0;
  let instanceSeconds = 0;
  let coldStarts = 0;
  let oscillations = 0;
  const { intervalSeconds, phaseSeconds } = autoscaler;

  for (let t = 0; t < seconds; t++) {
    let ready = 0;
    for (const pod of pods) {
      if (pod.readyAt <= t) {
        ready += 1;
      }
    }
    if (t > 0 && (t - phaseSeconds) % intervalSeconds === 0) {
      const view = {
        second: t,
        ready,
        starting: pods.length - ready,
        samples15: pipeline.samples15,
        pods,
        actions,
      };
      const wanted = Math.min(
        config.maxInstances,
        Math.max(config.minInstances, Math.round(autoscaler.desired(view))),
      );
      const from = pods.length;
      if (wanted !== from) {
        const previous = actions[actions.length - 1];
        if (
          previous &&
          t - previous.second <= oscillationSeconds &&
          previous.to > previous.from !== wanted > from
        ) {
          oscillations += 1;
        }
        actions.push({ second: t, from, to: wanted });
        while (pods.length < wanted) {
          pods.push({ startedAt: t, readyAt: t + config.coldStartSeconds });
          coldStarts += 1;
        }
        pods.length = wanted;
        ready = 0;
        for (const pod of pods) {
          if (pod.readyAt <= t) {
            ready += 1;
          }
        }
      }
    }

    const arrivals = trace.requestsPerSecond[t];
    const cap = ready * capacity;
    const total = backlog + arrivals;
    const served = Math.min(total, cap);
    backlog = total - served;
    const limit = Math.max(ready, 1) * instanceModel.queueLimit;
    const dropped = Math.max(0, backlog - limit);
    backlog -= dropped;
    const backlogWait = cap > 0 ? backlog / cap : config.sloP95Seconds + 1;
    const latency = secondLatency(
      instanceModel,
      ready > 0 ? arrivals / ready : 0,
      backlogWait,
      config.sloP95Seconds,
    );
    const utilisation = cap > 0 ? served / cap : 0;
    pipeline.record(t, {
      arrivals,
      dropped,
      p95Ms: latency.p95Seconds * 1000,
      cpuPercent: ready > 0 ? utilisation * 100 : undefined,
      memoryPercent: ready > 0 ? 30 + 40 * utilisation : undefined,
    });

    const minute = Math.floor(t / 60);
    minuteRequests[minute] += arrivals;
    minuteSlow[minute] += (arrivals - dropped) * latency.slowShare;
    minuteErrors[minute] += Math.min(arrivals, dropped);
    instanceSeconds += pods.length;
    p95Max = Math.max(p95Max, arrivals > 0 ? latency.p95Seconds * 1000 : 0);
    if (t % 10 === 9 || t === seconds - 1) {
      instancesEvery10s.push(pods.length);
      p95Every10s.push(Math.round(p95Max));
      p95Max = 0;
    }
  }

  const violatingMinutes: number[] = [];
  for (let m = 0; m < minutes; m++) {
    const requests = minuteRequests[m];
    if (
      requests > 0 &&
      (minuteSlow[m] / requests > 0.05 ||
        minuteErrors[m] / requests > config.sloErrorRate)
    ) {
      violatingMinutes.push(m);
    }
  }
  return {
    trace: trace.name,
    autoscaler: autoscaler.name,
    coldStartSeconds: config.coldStartSeconds,
    targetUtilisation: config.targetUtilisation,
    seed: config.seed,
    instanceMinutes: instanceSeconds / 60,
    cost: (instanceSeconds / 3600) * config.pricePerInstanceHour,
    violationMinutes: violatingMinutes.length,
    coldStarts,
    actions: actions.length,
    oscillations,
    instancesEvery10s,
    p95Every10s,
    violatingMinutes,
  };
}
