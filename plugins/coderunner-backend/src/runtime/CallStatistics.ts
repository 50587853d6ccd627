import { BucketedHistogram } from '../metrics/BucketedHistogram';
import { AgentSphereErrorKind } from './AgentSphereError';

/**
 * How an attempt to call AgentSphere ended: `ok`, or the kind of its failure.
 *
 * @public
 */
export type CallOutcome = 'ok' | AgentSphereErrorKind;

/**
 * What calls to AgentSphere did, counted in memory by the caller and read by the metrics
 * capability: attempts per outcome (each retry counts) and how long the answered ones took.
 *
 * @public
 */
export class CallStatistics {
  readonly attempts = new Map<CallOutcome, number>();
  readonly duration = new BucketedHistogram([
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
  ]);
  lastAttempt?: { at: Date; outcome: CallOutcome };

  /** `seconds` is left out for a call the circuit breaker refused before it went out. */
  record(outcome: CallOutcome, seconds?: number): void {
    this.attempts.set(outcome, (this.attempts.get(outcome) ?? 0) + 1);
    if (seconds !== undefined) this.duration.observe(seconds);
    this.lastAttempt = { at: new Date(), outcome };
  }
}
