import { LoggerService } from '@backstage/backend-plugin-api';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import { DeploymentCensus, ReadyInstance } from './DeploymentCensus';
import { MetricSample, MetricsStore } from './MetricsStore';

/** Sandboxes asked at once; the runtime's own retries and breaker still apply. */
const CONCURRENCY = 8;

/**
 * One deployment's sandboxes as the last poll found them, for Prometheus.
 *
 * @internal
 */
export interface DeploymentUsage {
  entityRef: string;
  environment: string;
  /** Average over the instances that reported. */
  cpuPercent: number;
  /** Added up over the instances that reported. */
  memoryMiB: number;
}

/**
 * Reads the CPU and memory of every ready instance's sandbox through the runtime and stores
 * them with each deployment's ready instance count. Runs on one replica at a time (a global
 * scheduler task): the figures describe sandboxes, not replicas.
 *
 * @internal
 */
export class SandboxUsagePoller {
  constructor(
    private readonly runtime: Pick<SandboxRuntime, 'getResourceUsage'>,
    private readonly census: DeploymentCensus,
    private readonly store: MetricsStore,
    private readonly logger: LoggerService,
  ) {}

  /** What the last poll on this replica found, per deployment id. */
  latest = new Map<string, DeploymentUsage>();

  /** When a poll on this replica last started, succeeded and failed; read by /health. */
  readonly record: {
    startedAt?: number;
    succeededAt?: number;
    failedAt?: number;
  } = {};

  /** Returns how many sandboxes reported their usage. */
  async poll(now = new Date()): Promise<number> {
    this.record.startedAt = Date.now();
    try {
      const reported = await this.collect(now);
      this.record.succeededAt = Date.now();
      return reported;
    } catch (error) {
      this.record.failedAt = Date.now();
      throw error;
    }
  }

  private async collect(now: Date): Promise<number> {
    const instances = await this.census.readyInstances();
    const samples: MetricSample[] = [];
    const ready = new Map<string, number>();
    for (const instance of instances) {
      ready.set(
        instance.deploymentId,
        (ready.get(instance.deploymentId) ?? 0) + 1,
      );
    }
    for (const [deploymentId, count] of ready) {
      samples.push({
        deploymentId,
        metric: 'instances_ready',
        at: now,
        sum: count,
        count: 1,
      });
    }
    let reported = 0;
    const queue = [...instances];
    const worker = async () => {
      for (let instance = queue.shift(); instance; instance = queue.shift()) {
        if (await this.sample(instance, now, samples)) reported += 1;
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker),
    );
    this.latest = summarize(instances, samples);
    await this.store.write(samples);
    return reported;
  }

  private async sample(
    instance: ReadyInstance,
    now: Date,
    into: MetricSample[],
  ): Promise<boolean> {
    try {
      const usage = await this.runtime.getResourceUsage(instance.sandboxId);
      if (!usage) return false;
      const { deploymentId } = instance;
      into.push({
        deploymentId,
        metric: 'cpu_percent',
        at: now,
        sum: usage.cpuUsedPercent,
        count: 1,
      });
      into.push({
        deploymentId,
        metric: 'memory_mib',
        at: now,
        sum: usage.memoryUsedMiB,
        count: 1,
      });
      return true;
    } catch (error) {
      this.logger.debug(
        `No resource usage for sandbox ${instance.sandboxId}: ${error}`,
      );
      return false;
    }
  }
}

function summarize(instances: ReadyInstance[], samples: MetricSample[]) {
  const usage = new Map<string, DeploymentUsage & { reported: number }>();
  for (const instance of instances) {
    usage.set(instance.deploymentId, {
      entityRef: instance.entityRef,
      environment: instance.environment,
      cpuPercent: 0,
      memoryMiB: 0,
      reported: 0,
    });
  }
  for (const sample of samples) {
    const deployment = usage.get(sample.deploymentId)!;
    if (sample.metric === 'cpu_percent') {
      deployment.cpuPercent += sample.sum;
      deployment.reported += 1;
    } else if (sample.metric === 'memory_mib') {
      deployment.memoryMiB += sample.sum;
    }
  }
  const latest = new Map<string, DeploymentUsage>();
  for (const [deploymentId, { reported, ...deployment }] of usage) {
    if (reported > 0) {
      latest.set(deploymentId, {
        ...deployment,
        cpuPercent: deployment.cpuPercent / reported,
      });
    }
  }
  return latest;
}
