import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BudgetScope,
  BudgetStatus,
} from '@coderunner/plugin-coderunner-common';
import { MetricsReader, PriceTable } from '@coderunner/plugin-coderunner-node';
import { Knex } from 'knex';
import { DeploymentStore } from '../deployments/DeploymentStore';
import { RateLimiter } from '../service/RateLimiter';
import { Budget, scopeKey } from './BudgetStore';
import { ConfigPriceTable } from './ConfigPriceTable';
import { CostCalculator } from './CostCalculator';
import { DatabaseBudgetStore } from './DatabaseBudgetStore';
import { CostRouteOptions } from './costRoutes';
import {
  CostService,
  DEFAULT_THRESHOLDS,
  validAmount,
  validThresholds,
} from './CostService';
import { OwnerResolver } from './OwnerResolver';
import { RightSizing } from './RightSizing';
import { UsageLedger } from './UsageLedger';

/**
 * The handle the autoscaler takes: the most instances a hard budget allows a deployment for
 * the rest of the month, or undefined when no hard budget covers it.
 *
 * @internal
 */
export interface BudgetCap {
  maxInstances(
    entityRef: string,
    environment: string,
  ): Promise<number | undefined>;
}

/**
 * The handle the alert engine takes: every budget with this month's status.
 *
 * @internal
 */
export interface BudgetStatusSource {
  list(): Promise<BudgetStatus[]>;
}

/**
 * Builds the Cost capability: price table (a module's, or app-config's), usage ledger,
 * budgets, right-sizing advice and the routes' options. Hands back `budgetCap` for the
 * autoscaler and `budgetStatus` for alerts. Invalid cost config stops start-up with the key
 * to fix.
 *
 * @internal
 */
export async function createCostCapability(options: {
  config: Config;
  logger: LoggerService;
  knex: Knex;
  deployments: DeploymentStore;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  limiter: RateLimiter;
  environments: string[];
  metricsReader: MetricsReader;
  priceTable?: { table: PriceTable; name: string };
  clock?: () => number;
}) {
  const { config } = options;
  const cost = config.getOptionalConfig('coderunner.cost');
  const prices =
    options.priceTable?.table ?? ConfigPriceTable.fromConfig(config);
  options.logger.info(
    `CodeRunner prices sandboxes from ${
      options.priceTable?.name ?? 'app-config (coderunner.cost.prices)'
    } in ${prices.currency}`,
  );
  const calculator = new CostCalculator(prices);
  const defaultThresholds = validThresholds(
    numbers(cost?.getOptional('thresholds'), 'coderunner.cost.thresholds') ??
      DEFAULT_THRESHOLDS,
    'coderunner.cost.thresholds',
  );
  const configBudgets = budgetsFromConfig(
    config,
    defaultThresholds,
    prices.currency,
  );
  const forecastWindowHours =
    cost?.getOptionalNumber('forecastWindowHours') ?? 24;
  if (!(forecastWindowHours >= 1 && forecastWindowHours <= 24 * 31)) {
    throw new InputError(
      `coderunner.cost.forecastWindowHours is ${forecastWindowHours}; give 1 to 744 hours`,
    );
  }
  const { knex } = options;
  const service = new CostService({
    ledger: new UsageLedger(knex),
    calculator,
    budgets: await DatabaseBudgetStore.create({ knex }),
    configBudgets,
    defaultThresholds,
    owners: new OwnerResolver(options.catalog, options.auth),
    forecastWindowMs: forecastWindowHours * 3_600_000,
    clock: options.clock,
  });
  const rightSizing = new RightSizing({
    deployments: options.deployments,
    reader: options.metricsReader,
    calculator,
    days: cost?.getOptionalNumber('rightSizing.days') ?? 7,
    minSamples: cost?.getOptionalNumber('rightSizing.minSamples') ?? 288,
    clock: options.clock,
  });
  const routes: CostRouteOptions = {
    service,
    rightSizing,
    environments: options.environments,
    auditor: options.auditor,
    limiter: options.limiter,
  };
  const budgetCap: BudgetCap = {
    maxInstances: (entityRef, environment) =>
      service.maxInstances(entityRef, environment),
  };
  const budgetStatus: BudgetStatusSource = {
    list: () => service.budgetStatuses(),
  };
  return { service, rightSizing, routes, budgetCap, budgetStatus };
}

/** `coderunner.cost.budgets`: budgets kept in app-config, read-only in the UI. */
function budgetsFromConfig(
  config: Config,
  defaultThresholds: number[],
  currency: string,
): Budget[] {
  const entries =
    config.getOptionalConfigArray('coderunner.cost.budgets') ?? [];
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const key = `coderunner.cost.budgets[${i}]`;
    const entityRef = entry.getOptionalString('entityRef');
    const ownerRef = entry.getOptionalString('ownerRef');
    if (!entityRef === !ownerRef) {
      throw new InputError(
        `${key} needs exactly one of entityRef (a component) or ownerRef (a group)`,
      );
    }
    const environment = entry.getOptionalString('environment');
    if (ownerRef && environment) {
      throw new InputError(
        `${key}.environment only applies with entityRef; an owner's budget covers every environment`,
      );
    }
    const ref = (value: string, defaultKind: string, field: string) => {
      try {
        return stringifyEntityRef(parseEntityRef(value, { defaultKind }));
      } catch {
        throw new InputError(
          `${key}.${field} is '${value}'; write an entity ref such as ${defaultKind}:default/name`,
        );
      }
    };
    const scope: BudgetScope = entityRef
      ? {
          entityRef: ref(entityRef, 'component', 'entityRef'),
          ...(environment ? { environment } : {}),
        }
      : { ownerRef: ref(ownerRef!, 'group', 'ownerRef') };
    const id = `config:${scopeKey(scope)}`;
    if (seen.has(id)) {
      throw new InputError(`${key} repeats the scope of an earlier budget`);
    }
    seen.add(id);
    return {
      id,
      scope,
      amountCents: validAmount(entry.getNumber('amount'), `${key}.amount`),
      currency,
      thresholds: validThresholds(
        numbers(entry.getOptional('thresholds'), `${key}.thresholds`) ??
          defaultThresholds,
        `${key}.thresholds`,
      ),
      hardCap: entry.getOptionalBoolean('hardCap') ?? false,
      source: 'config' as const,
    };
  });
}

function numbers(value: unknown, key: string): number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some(v => typeof v !== 'number')) {
    throw new InputError(
      `${key} must be a list of fractions, e.g. [0.75, 0.9, 1]`,
    );
  }
  return value;
}
