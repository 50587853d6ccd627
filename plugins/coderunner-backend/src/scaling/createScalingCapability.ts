import {
  AuditorService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { MetricsReader } from '@coderunner/plugin-coderunner-node';
import { Knex } from 'knex';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { DatabaseScalingStore } from './DatabaseScalingStore';
import {
  BudgetCap,
  ScalingController,
  ScalingReconciler,
} from './ScalingController';

/** Decisions kept per deployment, at most, and for at most this long. */
export const DECISIONS_KEPT = 10_000;
export const DECISIONS_MAX_AGE_MS = 30 * 24 * 3600_000;

/**
 * Builds live autoscaling: the store, the controller and its tasks (a decision tick once
 * across replicas every `coderunner.scaling.tickSeconds`, default the metrics poll interval and
 * at most 15 s; decision pruning hourly). Returns `wake` for the gateway, the controller for
 * the routes and the stream, and `status` for others.
 *
 * @internal
 */
export async function createScalingCapability(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  auditor: AuditorService;
  knex: Knex;
  deployments: DeploymentStore;
  /** The metrics store (or the module's reader). */
  metrics: MetricsReader;
  /** The metrics sample period, in milliseconds. */
  pollIntervalMs: number;
  reconciler: ScalingReconciler;
  /** News of a change for the other replicas' stream subscribers (the LogHub). */
  hub?: { statusChanged(deploymentId: string): void };
  budgetCap?: BudgetCap;
}) {
  const logger = options.logger.child({ component: 'scaling' });
  const stepSeconds = Math.max(1, Math.round(options.pollIntervalMs / 1000));
  const tickSeconds =
    options.config.getOptionalNumber('coderunner.scaling.tickSeconds') ??
    Math.min(15, stepSeconds);
  if (!(tickSeconds >= 1 && tickSeconds <= 15)) {
    throw new Error(
      `coderunner.scaling.tickSeconds must be between 1 and 15; got ${tickSeconds}`,
    );
  }
  const controller = new ScalingController({
    deployments: options.deployments,
    store: DatabaseScalingStore.create({ knex: options.knex }),
    metrics: options.metrics,
    reconciler: options.reconciler,
    auditor: options.auditor,
    logger,
    stepSeconds,
    tickSeconds,
    budgetCap: options.budgetCap,
  });
  if (options.hub) {
    const hub = options.hub;
    // Count changes and people's actions reach every replica; a tick that changed nothing does not.
    controller.onChange((deploymentId, decision) => {
      if (
        !decision ||
        decision.direction !== 'none' ||
        decision.cause !== 'autoscaler'
      ) {
        hub.statusChanged(deploymentId);
      }
    });
  }
  await options.scheduler.scheduleTask({
    id: 'coderunner-scaling-controller',
    scope: 'global',
    frequency: { seconds: tickSeconds },
    timeout: { minutes: 1 },
    fn: async () => {
      await controller.tick();
    },
  });
  await options.scheduler.scheduleTask({
    id: 'coderunner-scaling-prune',
    scope: 'global',
    frequency: { hours: 1 },
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      const pruned = await controller.prune(
        DECISIONS_MAX_AGE_MS,
        DECISIONS_KEPT,
      );
      if (pruned) logger.debug(`Pruned ${pruned} scaling decisions`);
    },
  });
  return {
    controller,
    wake: (deploymentId: string) => controller.wake(deploymentId),
  };
}
