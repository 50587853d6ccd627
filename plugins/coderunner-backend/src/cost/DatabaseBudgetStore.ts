import { BudgetScope } from '@coderunner/plugin-coderunner-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { Budget, BudgetStore, NewBudget, scopeKey } from './BudgetStore';

const BUDGETS = 'coderunner_budgets';

type BudgetRow = {
  id: string;
  scope_key: string;
  entity_ref: string | null;
  environment: string | null;
  owner_ref: string | null;
  amount_cents: number | string;
  currency: string;
  thresholds: string;
  hard_cap: boolean | number;
  updated_by: string;
  updated_at: number | string;
};

/**
 * {@link BudgetStore} in the plugin's database (SQLite or PostgreSQL), migrated by the
 * plugin's migrations (table `coderunner_budgets`).
 *
 * @internal
 */
export class DatabaseBudgetStore implements BudgetStore {
  static async create(options: { knex: Knex }): Promise<DatabaseBudgetStore> {
    return new DatabaseBudgetStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async list(): Promise<Budget[]> {
    const rows = await this.knex<BudgetRow>(BUDGETS).orderBy('scope_key');
    return rows.map(fromRow);
  }

  async put(options: NewBudget): Promise<Budget> {
    const key = scopeKey(options.scope);
    const row = {
      id: randomUUID(),
      scope_key: key,
      entity_ref: 'entityRef' in options.scope ? options.scope.entityRef : null,
      environment:
        'entityRef' in options.scope ? options.scope.environment ?? null : null,
      owner_ref: 'ownerRef' in options.scope ? options.scope.ownerRef : null,
      amount_cents: options.amountCents,
      currency: options.currency,
      thresholds: JSON.stringify(options.thresholds),
      hard_cap: options.hardCap,
      updated_by: options.by,
      updated_at: Date.now(),
    };
    await this.knex(BUDGETS)
      .insert(row)
      .onConflict('scope_key')
      .merge([
        'amount_cents',
        'currency',
        'thresholds',
        'hard_cap',
        'updated_by',
        'updated_at',
      ]);
    const saved = await this.knex<BudgetRow>(BUDGETS)
      .where({ scope_key: key })
      .first();
    return fromRow(saved!);
  }

  async delete(scope: BudgetScope): Promise<boolean> {
    const deleted = await this.knex(BUDGETS)
      .where({ scope_key: scopeKey(scope) })
      .delete();
    return deleted > 0;
  }
}

function fromRow(row: BudgetRow): Budget {
  return {
    id: row.id,
    scope: row.owner_ref
      ? { ownerRef: row.owner_ref }
      : {
          entityRef: row.entity_ref!,
          ...(row.environment ? { environment: row.environment } : {}),
        },
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    thresholds: JSON.parse(row.thresholds),
    hardCap: Boolean(row.hard_cap),
    source: 'ui',
    updatedBy: row.updated_by,
    updatedAt: Number(row.updated_at),
  };
}
