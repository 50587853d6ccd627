import { instancesFor } from '../simulator';
import { Trace } from '../traces';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';

/**
 * Utilisation the oracle runs at: the highest at which the simulated instance still meets the p95 SLO
 * (8 workers at 80 ms: about 1.7% of requests over 300 ms at 85%).
 */
export const oracleUtilisation = 0.85;

/**
 * The offline lower bound: it reads the whole trace ahead, starts each instance exactly one cold start before the
 * second that needs it and stops it the moment no second within the next cold start needs it.
 */
export class OfflineOracle implements Autoscaler {
  readonly name = 'offline-oracle';
  readonly intervalSeconds = 1;
  readonly phaseSeconds = 0;
  private readonly need: Int32Array;

  constructor(trace: Trace, private readonly config: SimulationConfig) {
    const rates = trace.requestsPerSecond;
    this.need = new Int32Array(rates.length);
    for (let t = 0; t < rates.length; t++) {
      this.need[t] = instancesFor(rates[t], oracleUtilisation);
    }
  }

  /** The count to start with: what the first cold start's worth of seconds needs. */
  initial(): number {
    return this.lookahead(0);
  }

  private lookahead(second: number): number {
    let most = this.config.minInstances;
    const end = Math.min(
      this.need.length - 1,
      second + this.config.coldStartSeconds + 1,
    );
    for (let t = second; t <= end; t++) {
      most = Math.max(most, this.need[t]);
    }
    return most;
  }

  desired(view: ScalerView): number {
    return this.lookahead(view.second);
  }
}
