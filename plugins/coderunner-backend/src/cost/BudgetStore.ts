import { BudgetScope } from '@coderunner/plugin-coderunner-common';

/** A monthly budget as stored or configured. @internal */
export interface Budget {
  id: string;
  scope: BudgetScope;
  amountCents: number;
  currency: string;
  thresholds: number[];
  hardCap: boolean;
  source: 'ui' | 'config';
  updatedBy?: string;
  updatedAt?: number;
}

/** One key per scope, so a scope has at most one budget. @internal */
export function scopeKey(scope: BudgetScope): string {
  return 'ownerRef' in scope
    ? `owner:${scope.ownerRef}`
    : `entity:${scope.entityRef}:${scope.environment ?? '*'}`;
}

/** A budget to store for a scope, set by `by`. @internal */
export interface NewBudget {
  scope: BudgetScope;
  amountCents: number;
  currency: string;
  thresholds: number[];
  hardCap: boolean;
  by: string;
}

/**
 * Where budgets set in the UI or API are kept: one per scope.
 *
 * @internal
 */
export interface BudgetStore {
  /** Every stored budget, ordered by scope. */
  list(): Promise<Budget[]>;
  /** Sets the budget of a scope, replacing the one it had; returns it. */
  put(budget: NewBudget): Promise<Budget>;
  /** Removes the budget of a scope; false when it had none. */
  delete(scope: BudgetScope): Promise<boolean>;
}
