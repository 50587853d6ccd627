import { Registry } from 'prom-client';
import { DeploymentCensus, DeploymentCount } from './DeploymentCensus';
import { registerPrecountedMetric, Sample } from './precountedMetric';

/** Every state is exported, zeros included, so that rules can compare states without gaps. */
const INSTANCE_STATES = [
  'provisioning',
  'starting',
  'ready',
  'unhealthy',
  'crashed',
  'draining',
  'stopped',
];

const RELEASE_STATUSES = ['pending', 'building', 'built', 'failed'];

/**
 * Registers the deployments' desired and current instance counts, read from the database once
 * per scrape and shared by the gauges.
 *
 * @internal
 */
export function registerDeploymentCollectors(
  registry: Registry,
  census: DeploymentCensus,
): void {
  let counting: Promise<DeploymentCount[]> | undefined;
  // The gauges are read together within a scrape; they share one count.
  const counts = () => {
    counting ??= census
      .count()
      .finally(() => setImmediate(() => (counting = undefined)));
    return counting;
  };
  const gauge = (
    name: string,
    help: string,
    sample: (
      count: DeploymentCount,
      labels: Record<string, string>,
      into: Sample[],
    ) => void,
  ) =>
    registerPrecountedMetric(registry, {
      name,
      help,
      type: 'gauge',
      values: async () => {
        const values: Sample[] = [];
        for (const count of await counts()) {
          sample(
            count,
            { entity: count.entityRef, environment: count.environment },
            values,
          );
        }
        return values;
      },
    });

  gauge(
    'coderunner_deployment_desired_instances',
    'Instances a deployment should run (0 while stopped).',
    (count, labels, into) =>
      into.push({ value: count.desiredInstances, labels }),
  );
  gauge(
    'coderunner_deployment_instances',
    'Current instances of a deployment by state (ready ones serve traffic).',
    (count, labels, into) => {
      for (const state of INSTANCE_STATES) {
        into.push({
          value: count.instancesByState.get(state) ?? 0,
          labels: { ...labels, state },
        });
      }
    },
  );
  gauge(
    'coderunner_deployment_releases',
    'Releases of a deployment by build status; its increase counts rollouts (deploys, rollbacks, config changes) and failed builds.',
    (count, labels, into) => {
      for (const status of RELEASE_STATUSES) {
        into.push({
          value: count.releasesByStatus.get(status) ?? 0,
          labels: { ...labels, status },
        });
      }
    },
  );
  gauge(
    'coderunner_deployment_instance_restarts',
    'Restarts after a crash of the current instances of a deployment, added up.',
    (count, labels, into) => into.push({ value: count.restarts, labels }),
  );
}
