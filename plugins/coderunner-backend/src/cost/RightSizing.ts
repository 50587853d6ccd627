import {
  resourceSizeNames,
  resourceSizes,
  ResourceSize,
  RightSizingAdvice,
} from '@coderunner/plugin-coderunner-common';
import { MetricsReader } from '@coderunner/plugin-coderunner-node';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { CostCalculator } from './CostCalculator';
import { DAY_MS, picoFor, toAmount } from './money';

/** A size fits when its expected p95 CPU and memory stay at or under these percentages. */
export const FIT_CPU_PERCENT = 60;
export const FIT_MEMORY_PERCENT = 70;
const STEP_SECONDS = 300;
const MONTH_MS = 30 * DAY_MS;

/** The p-th percentile (0–100) of values, nearest rank. @internal */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Suggests a size for each running deployment of an entity from its measured CPU and memory
 * (5-minute averages over the last days) against what each size offers: the smallest size
 * whose expected p95 CPU stays at or under 60% and p95 memory at or under 70%. Only advice: a
 * person changes `resources.size` in the manifest.
 *
 * @internal
 */
export class RightSizing {
  constructor(
    private readonly options: {
      deployments: DeploymentStore;
      reader: MetricsReader;
      calculator: CostCalculator;
      days: number;
      /** Fewer 5-minute averages than this give no advice. */
      minSamples: number;
      clock?: () => number;
    },
  ) {}

  async advise(entityRef: string): Promise<RightSizingAdvice[]> {
    const { deployments, reader, calculator, days, minSamples } = this.options;
    const now = this.options.clock?.() ?? Date.now();
    const to = new Date(Math.floor(now / 60_000) * 60_000);
    const from = new Date(to.getTime() - days * DAY_MS);
    const advice: RightSizingAdvice[] = [];
    for (const deployment of await deployments.listDeployments({ entityRef })) {
      if (!deployment.activeReleaseId) continue;
      const release = await deployments.getRelease(deployment.activeReleaseId);
      const size = sizeOf(release?.manifest);
      if (!size) continue;
      const series = (metric: 'cpu_percent' | 'memory_mib') =>
        reader.query({
          deploymentId: deployment.id,
          metric,
          from,
          to,
          stepSeconds: STEP_SECONDS,
        });
      const [cpu, memory] = await Promise.all([
        series('cpu_percent'),
        series('memory_mib'),
      ]);
      if (cpu.length < minSamples || memory.length === 0) continue;
      const spec = resourceSizes[size];
      const cpuP95 = percentile(
        cpu.map(p => p.value),
        95,
      );
      const memoryP95 = percentile(
        memory.map(p => p.value),
        95,
      );
      // cpu_percent is a share of the whole sandbox: the vCPUs used are the same on any size.
      const cpuOn = (target: ResourceSize) =>
        (cpuP95 * spec.cpuCount) / resourceSizes[target].cpuCount;
      const memoryOn = (target: ResourceSize) =>
        (memoryP95 / resourceSizes[target].memoryMiB) * 100;
      const suggested =
        resourceSizeNames.find(
          target =>
            cpuOn(target) <= FIT_CPU_PERCENT &&
            memoryOn(target) <= FIT_MEMORY_PERCENT,
        ) ?? resourceSizeNames[resourceSizeNames.length - 1];
      if (suggested === size) continue;
      const instances = Math.max(
        1,
        (await deployments.listInstances(deployment.id)).filter(
          i => i.state !== 'stopped',
        ).length,
      );
      const perInstance =
        calculator.nanoPerSecond(size) - calculator.nanoPerSecond(suggested);
      const monthlySaving = toAmount(
        picoFor(MONTH_MS, perInstance) * BigInt(instances),
      );
      const measuredDays = Math.max(
        1,
        Math.round((to.getTime() - cpu[0].at.getTime()) / DAY_MS),
      );
      const expectedCpu = round(cpuOn(suggested));
      const expectedMemory = round(memoryOn(suggested));
      const money = `${
        calculator.currency === 'USD' ? '$' : `${calculator.currency} `
      }${Math.abs(monthlySaving).toFixed(2)}`;
      advice.push({
        environment: deployment.environment,
        currentSize: size,
        suggestedSize: suggested,
        monthlySaving,
        currency: calculator.currency,
        expectedCpuP95Percent: expectedCpu,
        expectedMemoryP95Percent: expectedMemory,
        summary: `p95 CPU ${round(
          cpuP95,
        )}% of a ${size} for ${measuredDays} day${
          measuredDays === 1 ? '' : 's'
        }: ${suggested} ${
          monthlySaving >= 0
            ? `would save ${money}/month`
            : `would cost ${money}/month more`
        } with p95 CPU about ${expectedCpu}% and memory about ${expectedMemory}%`,
        evidence: {
          days: measuredDays,
          samples: cpu.length,
          cpuP50Percent: round(
            percentile(
              cpu.map(p => p.value),
              50,
            ),
          ),
          cpuP95Percent: round(cpuP95),
          memoryP95MiB: round(memoryP95),
          memoryCapacityMiB: spec.memoryMiB,
          vcpus: spec.cpuCount,
        },
      });
    }
    return advice;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function sizeOf(manifest: string | undefined): ResourceSize | undefined {
  try {
    const size = JSON.parse(manifest ?? '{}').resources?.size;
    return resourceSizeNames.includes(size) ? size : undefined;
  } catch {
    return undefined;
  }
}
