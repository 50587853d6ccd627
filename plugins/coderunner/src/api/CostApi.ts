import { createApiRef } from '@backstage/core-plugin-api';
import {
  BudgetRequest,
  BudgetStatus,
  CostSummary,
  EntityCost,
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
