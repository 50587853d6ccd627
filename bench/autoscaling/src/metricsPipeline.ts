import { MetricSample } from '@coderunner/plugin-coderunner-common';
import { Random } from './random';
import { SimulationConfig } from './types';

/** What the gateway and the sandbox measured in one second. */
export interface SecondStats {
  arrivals: number;
  dropped: number;
  p95Ms: number;
  /** Undefined when no instance was ready to report it. */
  cpuPercent?: number;
  memoryPercent?: number;
}

/** How often the scrape-based autoscalers get a sample, in seconds. */
export const scrapeSeconds = 15;

/**
 * Turns per-second truth into what every autoscaler sees: 15 s averages published `metricsLagSeconds` late, each
 * metric (latency and error rate too) with the same multiplicative noise, and occasional lost samples.
 */
export class MetricsPipeline {
  readonly samples15: MetricSample[] = [];
  private readonly history: SecondStats[] = [];
  private readonly random: Random;

  constructor(private readonly config: SimulationConfig) {
    this.random = new Random(config.seed * 7919 + 17);
  }

  private noisy(value: number): number {
    return Math.max(
      0,
      value * (1 + this.config.metricNoise * this.random.gaussian()),
    );
  }

  /** Records second `second` and publishes whatever has become visible by its end. */
  record(second: number, stats: SecondStats) {
    this.history.push(stats);
    const end = second + 1 - this.config.metricsLagSeconds;
    if (end >= scrapeSeconds && end % scrapeSeconds === 0) {
      this.publish(end);
    }
  }

  private publish(end: number) {
    let arrivals = 0;
    let dropped = 0;
    let latencyWeighted = 0;
    let cpu = 0;
    let memory = 0;
    let reporting = 0;
    for (let t = end - scrapeSeconds; t < end; t++) {
      const s = this.history[t];
      arrivals += s.arrivals;
      dropped += s.dropped;
      latencyWeighted += s.p95Ms * s.arrivals;
      if (s.cpuPercent !== undefined) {
        cpu += s.cpuPercent;
        memory += s.memoryPercent ?? 0;
        reporting += 1;
      }
    }
    const lost = this.random.next() < this.config.missingSampleChance;
    if (lost) {
      return;
    }
    this.samples15.push({
      at: end * 1000,
      requestsPerSecond: this.noisy(arrivals / scrapeSeconds),
      p95LatencyMs:
        arrivals > 0 ? this.noisy(latencyWeighted / arrivals) : undefined,
      errorRate: arrivals > 0 ? Math.min(1, this.noisy(dropped / arrivals)) : 0,
      cpuPercent:
        reporting > 0 ? Math.min(100, this.noisy(cpu / reporting)) : undefined,
      memoryPercent: reporting > 0 ? this.noisy(memory / reporting) : undefined,
    });
  }
}
