import {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { AlertChannel } from '@coderunner/plugin-coderunner-node';
import { Knex } from 'knex';
import { AlertEngine } from './AlertEngine';
import { AlertRouteOptions } from './alertRoutes';
import { DatabaseAlertStore } from './DatabaseAlertStore';
import { NotificationsChannel } from './NotificationsChannel';
import { budgetRule, BudgetStatusSource } from './rules/budgetRules';
import {
  crashLoopRule,
  healthReplacementRule,
  rolloutFailedRule,
  runtimeUnreachableRule,
} from './rules/deploymentRules';
import { Objectives, objectiveRules } from './rules/objectiveRules';
import { SignalsChannel } from './SignalsChannel';
import { AlertRule } from './types';

const DAY_MS = 24 * 3600_000;

/**
 * Reads `coderunner.alerts` from app-config, naming the key of a bad value.
 *
 * @internal
 */
export function readAlertSettings(config: Config) {
  const alerts = config.getOptionalConfig('coderunner.alerts');
  const number = (
    key: string,
    fallback: number,
    check: (value: number) => boolean,
    allowed: string,
  ) => {
    const value = alerts?.getOptionalNumber(key) ?? fallback;
    if (!check(value)) {
      throw new Error(
        `coderunner.alerts.${key} must be ${allowed}; got ${value}`,
      );
    }
    return value;
  };
  const objectives: Objectives = {
    availability: number(
      'objectives.availability',
      0.995,
      v => v > 0 && v < 1,
      'a fraction between 0 and 1, like 0.995',
    ),
    latencyP95Ms: number(
      'objectives.latencyP95Ms',
      500,
      v => v > 0,
      'a number of milliseconds above 0',
    ),
    minRequests: number(
      'objectives.minRequests',
      20,
      v => Number.isInteger(v) && v >= 0,
      'a whole number, at least 0',
    ),
  };
  return {
    enabled: alerts?.getOptionalBoolean('enabled') ?? true,
    intervalSeconds: number(
      'intervalSeconds',
      15,
      v => Number.isInteger(v) && v >= 5 && v <= 3600,
      'a whole number of seconds from 5 to 3600',
    ),
    historyDays: number(
      'historyDays',
      90,
      v => Number.isInteger(v) && v >= 1,
      'a whole number of days, at least 1',
    ),
    objectives,
  };
}

/**
 * Builds the Alerts capability: the rules, the store, the engine with its channels
 * (notifications to the owners, signals for open pages, and those modules added), and its
 * tasks (evaluation every 15 s on one replica, daily history pruning).
 *
 * @internal
 */
export async function createAlertsCapability(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  /** The plugin's database, migrated. */
  knex: Knex;
  catalog: CatalogService;
  auth: AuthService;
  notifications: NotificationService;
  signals?: SignalsService;
  /** The runtime's health check (`agentSphereHealth`) and name. */
  runtime: {
    name: string;
    check: Parameters<typeof runtimeUnreachableRule>[1];
  };
  /** The cost capability's budget standings; no budget rule without it. */
  budgetStatus?: BudgetStatusSource;
  /** Added through coderunnerAlertChannelsExtensionPoint. */
  channels?: AlertChannel[];
}) {
  const { knex, scheduler } = options;
  const logger = options.logger.child({ component: 'alerts' });
  const settings = readAlertSettings(options.config);
  const store = DatabaseAlertStore.create({ knex });
  const rules: AlertRule[] = [
    crashLoopRule(knex),
    healthReplacementRule(knex),
    rolloutFailedRule(knex),
    runtimeUnreachableRule(knex, options.runtime.check, options.runtime.name),
    ...objectiveRules(knex, settings.objectives),
    ...(options.budgetStatus ? [budgetRule(options.budgetStatus)] : []),
  ];
  const channels: AlertChannel[] = [
    new NotificationsChannel(
      options.notifications,
      options.catalog,
      options.auth,
    ),
    ...(options.signals ? [new SignalsChannel(options.signals, logger)] : []),
    ...(options.channels ?? []),
  ];
  const engine = new AlertEngine(rules, store, channels, logger);

  if (settings.enabled) {
    await scheduler.scheduleTask({
      id: 'coderunner-alerts-evaluate',
      scope: 'global',
      frequency: { seconds: settings.intervalSeconds },
      timeout: { minutes: 1 },
      fn: async () => {
        await engine.evaluate();
      },
    });
    await scheduler.scheduleTask({
      id: 'coderunner-alerts-prune',
      scope: 'global',
      frequency: { hours: 24 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
      fn: async () => {
        const pruned = await store.prune(
          new Date(Date.now() - settings.historyDays * DAY_MS),
        );
        if (pruned) logger.debug(`Pruned ${pruned} resolved alerts`);
      },
    });
  }
  const routes: AlertRouteOptions = { store };
  return { engine, store, routes };
}
