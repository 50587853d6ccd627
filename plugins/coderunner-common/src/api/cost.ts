/**
 * What a budget covers: one entity (in one environment, or all of them), or every entity a
 * group owns (catalog `spec.owner`).
 *
 * @public
 */
export type BudgetScope =
  | { entityRef: string; environment?: string }
  | { ownerRef: string };

/**
 * A monthly budget and how the month is going against it. Amounts are in `currency`, rounded
 * to the cent from exact sums.
 *
 * @public
 */
export interface BudgetStatus {
  budgetId: string;
  scope: BudgetScope;
  /** The month, `YYYY-MM` (UTC). */
  period: string;
  amount: number;
  /** Spent this month so far, instances and builds. */
  spent: number;
  /** Spent plus the recent run rate until the end of the month. */
  forecast: number;
  currency: string;
  /** Fractions of `amount` that warn, ascending, e.g. 0.75, 0.9, 1. */
  thresholds: number[];
  /** The day (`YYYY-MM-DD`) the forecast reaches `amount`, when that is later this month. */
  forecastExceedsOn?: string;
  /** When true the autoscaler never runs more instances than the rest of the budget pays for. */
  hardCap: boolean;
  /** `config` budgets come from app-config and cannot be changed in the UI. */
  source: 'ui' | 'config';
  /** With a hard cap: the most instances the rest of the month's budget allows. */
  capMaxInstances?: number;
}

/**
 * Cost of one environment of an entity for a month.
 *
 * @public
 */
export interface EnvironmentCost {
  environment: string;
  /** Instances and builds. */
  spent: number;
  /** Builds alone (also in `spent`). */
  builds: number;
  forecast: number;
  /** Instance-seconds this month (builds not counted). */
  instanceSeconds: number;
  /** Instances running now. */
  runningInstances: number;
  /** Cost of one hour at the current instance count and sizes. */
  currentHourly: number;
}

/**
 * One UTC day of spend.
 *
 * @public
 */
export interface DailyCost {
  /** `YYYY-MM-DD` */
  date: string;
  instances: number;
  builds: number;
}

/**
 * An entity's cost for one month (GET `entities/:kind/:namespace/:name/cost`).
 *
 * @public
 */
export interface EntityCost {
  entityRef: string;
  ownerRef?: string;
  period: string;
  currency: string;
  /** The moment the figures are for (now, or the end of a past month). */
  asOf: string;
  spent: number;
  builds: number;
  forecast: number;
  environments: EnvironmentCost[];
  daily: DailyCost[];
  /** Budgets that cover this entity: its own and its owner's. */
  budgets: BudgetStatus[];
}

/**
 * A budget as the UI sets it (PUT `entities/:kind/:namespace/:name/cost/budget`).
 *
 * @public
 */
export interface BudgetRequest {
  /** Omitted: the budget covers every environment of the entity. */
  environment?: string;
  /** Monthly amount, more than 0, at most two decimals. */
  amount: number;
  /** Fractions between 0 (exclusive) and 2; the default is 0.75, 0.9, 1. */
  thresholds?: number[];
  hardCap?: boolean;
}

/**
 * A budget for every entity a group owns (PUT `cost/owner-budget`).
 *
 * @public
 */
export interface OwnerBudgetRequest extends Omit<BudgetRequest, 'environment'> {
  ownerRef: string;
}

/**
 * Measured usage behind a piece of right-sizing advice.
 *
 * @public
 */
export interface UsageEvidence {
  days: number;
  /** Number of 5-minute averages the percentiles rest on. */
  samples: number;
  cpuP50Percent: number;
  cpuP95Percent: number;
  memoryP95MiB: number;
  /** Memory of the current size, MiB. */
  memoryCapacityMiB: number;
  vcpus: number;
}

/**
 * A suggestion to change a deployment's size; never applied without a person.
 *
 * @public
 */
export interface RightSizingAdvice {
  environment: string;
  currentSize: string;
  suggestedSize: string;
  /** Saving per 30-day month at the current instance count (negative: it costs more). */
  monthlySaving: number;
  currency: string;
  /** Expected p95 CPU on the suggested size, percent. */
  expectedCpuP95Percent: number;
  expectedMemoryP95Percent: number;
  /** One readable sentence, e.g. "p95 CPU 9% of a medium for 7 days: …". */
  summary: string;
  evidence: UsageEvidence;
}

/**
 * Spend of one group of entities (an owner or an environment) in the global summary.
 *
 * @public
 */
export interface CostGroup {
  key: string;
  spent: number;
  forecast: number;
}

/**
 * Spend across everything the caller may read (GET `cost/summary`).
 *
 * @public
 */
export interface CostSummary {
  period: string;
  currency: string;
  asOf: string;
  spent: number;
  forecast: number;
  byOwner: CostGroup[];
  byEnvironment: CostGroup[];
  /** Per owner and environment, for a stacked chart. */
  byOwnerAndEnvironment: Array<{
    ownerRef: string;
    environment: string;
    spent: number;
  }>;
  /** Entities with any spend this month, costliest first. */
  entities: Array<{ entityRef: string; ownerRef?: string; spent: number }>;
  /**
   * This month's owner (group) budgets whose whole spend the caller may read, in the order of
   * their groups' refs. A group's budget is left out when it sums an entity the caller may not
   * read.
   */
  ownerBudgets: BudgetStatus[];
}
