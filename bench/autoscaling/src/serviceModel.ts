/** What one instance can do. */
export interface InstanceModel {
  /** Concurrent workers per instance. */
  workers: number;
  /** Seconds one request takes on a worker. */
  serviceSeconds: number;
  /** Requests an instance may hold waiting before it rejects more. */
  queueLimit: number;
}

/** Requests per second one instance serves at full utilisation. */
export const capacityOf = (model: InstanceModel) =>
  model.workers / model.serviceSeconds;

/** Probability that an arriving request waits (Erlang C) with `workers` servers and offered load `load` erlangs. */
export function erlangC(workers: number, load: number): number {
  if (load >= workers) {
    return 1;
  }
  let blocking = 1;
  for (let k = 1; k <= workers; k++) {
    blocking = (load * blocking) / (k + load * blocking);
  }
  return (workers * blocking) / (workers - load * (1 - blocking));
}

/** Latency of requests served in one second, from an M/M/c queue per instance plus any backlog. */
export interface SecondLatency {
  p95Seconds: number;
  /** Share of the second's requests slower than the SLO threshold. */
  slowShare: number;
}

/**
 * Latency in a second where `perInstanceRate` requests per second reach each ready instance and `backlogWait`
 * seconds of backlog sit in front of them. Service time is fixed, so a request's latency is its wait plus
 * `serviceSeconds`.
 */
export function secondLatency(
  model: InstanceModel,
  perInstanceRate: number,
  backlogWait: number,
  sloSeconds: number,
): SecondLatency {
  const capacity = capacityOf(model);
  if (backlogWait > 0 || perInstanceRate >= capacity) {
    // Overloaded: everyone waits behind the backlog, so the stationary queue formula no longer applies.
    const p95Seconds = model.serviceSeconds + backlogWait;
    return { p95Seconds, slowShare: p95Seconds > sloSeconds ? 1 : 0.05 };
  }
  const waitProbability = erlangC(
    model.workers,
    perInstanceRate * model.serviceSeconds,
  );
  const drain = capacity - perInstanceRate;
  const queueP95 =
    waitProbability > 0.05 ? Math.log(waitProbability / 0.05) / drain : 0;
  const slack = sloSeconds - model.serviceSeconds;
  return {
    p95Seconds: model.serviceSeconds + queueP95,
    slowShare: Math.min(1, waitProbability * Math.exp(-drain * slack)),
  };
}
