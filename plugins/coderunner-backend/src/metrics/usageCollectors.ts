import { Registry } from 'prom-client';
import { registerPrecountedMetric } from './precountedMetric';
import { DeploymentUsage } from './SandboxUsagePoller';

/**
 * Registers the deployments' sandbox CPU and memory from the last poll. Only the replica that
 * ran the poll (a global task) has them: combine replicas with `max`.
 *
 * @internal
 */
export function registerUsageCollectors(
  registry: Registry,
  latest: () => Map<string, DeploymentUsage>,
): void {
  const values = (read: (usage: DeploymentUsage) => number) => () =>
    [...latest().values()].map(usage => ({
      value: read(usage),
      labels: { entity: usage.entityRef, environment: usage.environment },
    }));
  registerPrecountedMetric(registry, {
    name: 'coderunner_deployment_cpu_percent',
    help: 'CPU use of a deployment’s sandboxes at the last poll, averaged over its ready instances.',
    type: 'gauge',
    values: values(usage => usage.cpuPercent),
  });
  registerPrecountedMetric(registry, {
    name: 'coderunner_deployment_memory_mib',
    help: 'Memory used by a deployment’s sandboxes at the last poll, added up over its ready instances.',
    type: 'gauge',
    values: values(usage => usage.memoryMiB),
  });
}
