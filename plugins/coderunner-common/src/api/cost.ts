import { components } from './generated/openapi';

/**
 * What a budget covers: one entity (in one environment, or all of them), or every entity a
 * group owns (catalog `spec.owner`).
 *
 * @public
 */
export type BudgetScope = components['schemas']['BudgetScope'];

/**
 * A monthly budget and how the month is going against it. Amounts are in `currency`, rounded
 * to the cent from exact sums.
 *
 * @public
 */
export type BudgetStatus = components['schemas']['BudgetStatus'];

/**
 * Cost of one environment of an entity for a month.
 *
 * @public
 */
export type EnvironmentCost = EntityCost['environments'][number];

/**
 * One UTC day of spend.
 *
 * @public
 */
export type DailyCost = EntityCost['daily'][number];

/**
 * An entity's cost for one month (GET `entities/:kind/:namespace/:name/cost`).
 *
 * @public
 */
export type EntityCost = components['schemas']['EntityCost'];

/**
 * A budget as the UI sets it (PUT `entities/:kind/:namespace/:name/cost/budget`).
 *
 * @public
 */
export type BudgetRequest = components['schemas']['BudgetRequest'];

/**
 * A budget for every entity a group owns (PUT `cost/owner-budget`).
 *
 * @public
 */
export type OwnerBudgetRequest = components['schemas']['OwnerBudgetRequest'];

/**
 * Measured usage behind a piece of right-sizing advice.
 *
 * @public
 */
export type UsageEvidence = RightSizingAdvice['evidence'];

/**
 * A suggestion to change a deployment's size; never applied without a person.
 *
 * @public
 */
export type RightSizingAdvice = components['schemas']['RightSizingAdvice'];

/**
 * Spend of one group of entities (an owner or an environment) in the global summary.
 *
 * @public
 */
export type CostGroup = components['schemas']['CostGroup'];

/**
 * Spend across everything the caller may read (GET `cost/summary`).
 *
 * @public
 */
export type CostSummary = components['schemas']['CostSummary'];
