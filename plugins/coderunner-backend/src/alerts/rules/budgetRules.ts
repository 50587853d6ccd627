import { BudgetStatus } from '@coderunner/plugin-coderunner-common';
import { GLOBAL_PAGE_PATH, entityTabPath } from '../links';
import { AlertCondition, AlertRule } from '../types';

/**
 * The cost capability's `budgetStatus` (the Cost contract).
 *
 * @internal
 */
export interface BudgetStatusSource {
  list(): Promise<BudgetStatus[]>;
}

const money = (amount: number, currency: string) =>
  `${amount.toFixed(2)} ${currency}`;

function ordinalDay(isoDate: string): string {
  const day = Number(isoDate.slice(8, 10));
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffixes: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd' };
  const suffix = teen ? 'th' : suffixes[day % 10] ?? 'th';
  return `${day}${suffix}`;
}

/**
 * Budget thresholds: each threshold a budget's spending reached this period (75% a warning by
 * default, 90% and above critical), and the forecast crossing the amount (a warning). The period
 * is part of the key and a key notifies once, so each threshold notifies once per period.
 *
 * @internal
 */
export function budgetRule(source: BudgetStatusSource): AlertRule {
  return {
    id: 'budget',
    async evaluate() {
      const conditions: AlertCondition[] = [];
      for (const budget of await source.list()) {
        if (!(budget.amount > 0)) continue;
        const entityRef =
          'ownerRef' in budget.scope
            ? budget.scope.ownerRef
            : budget.scope.entityRef;
        const environment =
          'environment' in budget.scope ? budget.scope.environment : undefined;
        const link =
          'ownerRef' in budget.scope
            ? GLOBAL_PAGE_PATH
            : entityTabPath(entityRef, 'deployments');
        const what = `${entityRef}${environment ? ` in ${environment}` : ''}`;
        const base = `budget:${budget.budgetId}:${budget.period}`;
        const reached = budget.thresholds
          .filter(t => budget.spent >= t * budget.amount)
          .sort((a, b) => a - b);
        for (const threshold of reached) {
          conditions.push({
            key: `${base}:${threshold}`,
            entityRef,
            environment,
            severity: threshold >= 0.9 ? 'critical' : 'warning',
            title: `Budget ${Math.round(threshold * 100)}% reached for ${
              budget.period
            }`,
            description: `${what} spent ${money(
              budget.spent,
              budget.currency,
            )} of its ${money(budget.amount, budget.currency)} budget for ${
              budget.period
            } (${Math.round((budget.spent / budget.amount) * 100)}%).`,
            link,
            notifyOnce: true,
          });
        }
        if (budget.forecast > budget.amount && budget.spent < budget.amount) {
          conditions.push({
            key: `${base}:forecast`,
            entityRef,
            environment,
            severity: 'warning',
            title: `Budget forecast to be exceeded in ${budget.period}`,
            description: `${what} is forecast to spend ${money(
              budget.forecast,
              budget.currency,
            )} against its ${money(budget.amount, budget.currency)} budget${
              budget.forecastExceedsOn
                ? `: it will exceed it on the ${ordinalDay(
                    budget.forecastExceedsOn,
                  )}`
                : ''
            }.`,
            link,
            notifyOnce: true,
          });
        }
      }
      return conditions;
    },
  };
}
