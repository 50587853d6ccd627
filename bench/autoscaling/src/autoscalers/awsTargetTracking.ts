import { loopPhase } from '../random';
import { Autoscaler, ScalerView, SimulationConfig } from '../types';
import { workloadTargets } from './workloadTargets';

/** AWS Application Auto Scaling target tracking defaults for ECS services. */
export const awsDefaults = {
  periodSeconds: 60,
  /** The high alarm: 3 of 3 one-minute datapoints above the target. */
  scaleOutDatapoints: 3,
  /** The low alarm: 15 of 15 one-minute datapoints below 90% of the target. */
  scaleInDatapoints: 15,
  scaleInThreshold: 0.9,
  scaleOutCooldownSeconds: 300,
  scaleInCooldownSeconds: 300,
};

/**
 * AWS target tracking on ALBRequestCountPerTarget at the run's target (requests per target per minute). Every
 * minute CloudWatch publishes the minute's datapoint; the high alarm scales out to current × metric / target, and
 * during the scale-out cooldown only a larger scale-out goes through. The low alarm scales in the same way, at
 * most once per scale-in cooldown; a scale-out cuts a scale-in cooldown short. A missing datapoint breaks an
 * alarm's run (missing data is treated as missing, the default).
 */
export class AwsTargetTracking implements Autoscaler {
  readonly name = 'aws-target-tracking';
  readonly intervalSeconds = awsDefaults.periodSeconds;
  /** CloudWatch's minute boundaries fall anywhere relative to the service's 15 s samples. */
  readonly phaseSeconds: number;
  private readonly datapoints: Array<number | undefined> = [];
  private lastScaleOut?: { second: number; to: number };
  private lastScaleIn?: number;

  private readonly target: number;

  constructor(private readonly config: SimulationConfig) {
    this.phaseSeconds = loopPhase(config.seed, this.name, this.intervalSeconds);
    this.target = workloadTargets(config).requestsPerSecondPerInstance * 60;
  }

  desired(view: ScalerView): number {
    const current = view.pods.length;
    const end = (view.second - this.config.metricsLagSeconds) * 1000;
    let sum = 0;
    let n = 0;
    for (
      let i = view.samples15.length - 1;
      i >= 0 && view.samples15[i].at > end - 60_000;
      i--
    ) {
      const s = view.samples15[i];
      if (s.at <= end && s.requestsPerSecond !== undefined) {
        sum += s.requestsPerSecond;
        n += 1;
      }
    }
    const healthyTargets = Math.max(1, view.ready);
    this.datapoints.push(
      n === 0 ? undefined : ((sum / n) * 60) / healthyTargets,
    );
    const target = this.target;
    const latest = this.datapoints[this.datapoints.length - 1];
    const last = (k: number) => this.datapoints.slice(-k);
    const high =
      this.datapoints.length >= awsDefaults.scaleOutDatapoints &&
      last(awsDefaults.scaleOutDatapoints).every(
        d => d !== undefined && d > target,
      );
    const low =
      this.datapoints.length >= awsDefaults.scaleInDatapoints &&
      last(awsDefaults.scaleInDatapoints).every(
        d => d !== undefined && d < target * awsDefaults.scaleInThreshold,
      );
    if (latest === undefined) {
      return current;
    }
    const proportional = Math.ceil((healthyTargets * latest) / target);
    if (high && proportional > current) {
      const inCooldown =
        this.lastScaleOut &&
        view.second - this.lastScaleOut.second <
          awsDefaults.scaleOutCooldownSeconds;
      if (!inCooldown || proportional > this.lastScaleOut!.to) {
        this.lastScaleOut = { second: view.second, to: proportional };
        this.lastScaleIn = undefined;
        return proportional;
      }
    }
    if (low && proportional < current) {
      const inCooldown =
        this.lastScaleIn !== undefined &&
        view.second - this.lastScaleIn < awsDefaults.scaleInCooldownSeconds;
      if (!inCooldown) {
        this.lastScaleIn = view.second;
        return Math.max(this.config.minInstances, proportional);
      }
    }
    return current;
  }
}
