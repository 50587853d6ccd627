import { createApiRef } from '@backstage/core-plugin-api';
import {
  BudgetRequest,
  BudgetStatus,
  CostSummary,
  EntityCost,
  OwnerBudgetRequest,
  RightSizingAdvice,
} from '@coderunner/plugin-coderunner-common';

/**
 * The browser's view of cost: an entity's month, right-sizing advice, its budgets, and the
 * spend across everything the user may read.
 *
 * @public
 */
export interface CostApi {
  /** The entity's cost for `month` (`YYYY-MM`), the current month when omitted. */
  getEntityCost(entityRef: string, month?: string): Promise<EntityCost>;
  getAdvice(entityRef: string): Promise<RightSizingAdvice[]>;
  /** Sets the entity's budget (one environment, or all when `environment` is omitted). */
  setBudget(entityRef: string, request: BudgetRequest): Promise<BudgetStatus>;
  removeBudget(entityRef: string, environment?: string): Promise<void>;
  /** Sets the budget of everything a group owns (`ownerRef`, e.g. `group:default/team-a`). */
  setOwnerBudget(request: OwnerBudgetRequest): Promise<BudgetStatus>;
  removeOwnerBudget(ownerRef: string): Promise<void>;
  /** Spend across what the user may read, with the group budgets they may see. */
  getSummary(month?: string): Promise<CostSummary>;
}

/**
 * The {@link CostApi} reference.
 *
 * @public
 */
export const costApiRef = createApiRef<CostApi>({
  id: 'plugin.coderunner.cost',
});
