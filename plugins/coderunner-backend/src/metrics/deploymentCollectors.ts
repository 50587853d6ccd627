import { Gauge, Registry } from 'prom-client';
import { DeploymentCensus, DeploymentCount } from './DeploymentCensus';

/** Every state is exported, zeros included, so that rules can compare states without gaps. */
const INSTANCE_STATES = [
  'provisioning',
  'starting',
  'ready',
  'crashed',
  'draining',
  'stopped',
];

/**
 * Registers the deployments' desired and current instance counts, read from the database once
 * per scrape and shared by the three gauges.
 *
 * @internal
 */
export function registerDeploymentCollectors(
  registry: Registry,
  census: DeploymentCensus,
): void {
  let counting: Promise<DeploymentCount[]> | undefined;
  // The three gauges collect one after another within a scrape; they share one count.
  const counts = () => {
    counting ??= census
      .count()
      .finally(() => setImmediate(() => (counting = undefined)));
    return counting;
  };

  registry.registerMetric(
    new Gauge({
      name: 'coderunner_deployment_desired_instances',
      help: 'Instances a deployment should run (0 while stopped).',
      labelNames: ['entity', 'environment'],
      // Never prom-client's global registry, which every plugin of the process shares.
      registers: [],
      async collect() {
        this.reset();
        for (const count of await counts()) {
          this.set(
            { entity: count.entityRef, environment: count.environment },
            count.desiredInstances,
          );
        }
      },
    }),
  );
  registry.registerMetric(
    new Gauge({
      name: 'coderunner_deployment_instances',
      help: 'Current instances of a deployment by state (ready ones serve traffic).',
      labelNames: ['entity', 'environment', 'state'],
      registers: [],
      async collect() {
        this.reset();
        for (const count of await counts()) {
          for (const state of INSTANCE_STATES) {
            this.set(
              {
                entity: count.entityRef,
                environment: count.environment,
                state,
              },
              count.instancesByState.get(state) ?? 0,
            );
          }
        }
      },
    }),
  );
  registry.registerMetric(
    new Gauge({
      name: 'coderunner_deployment_instance_restarts',
      help: 'Restarts after a crash of the current instances of a deployment, added up.',
      labelNames: ['entity', 'environment'],
      registers: [],
      async collect() {
        this.reset();
        for (const count of await counts()) {
          this.set(
            { entity: count.entityRef, environment: count.environment },
            count.restarts,
          );
        }
      },
    }),
  );
}
