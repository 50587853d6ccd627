import { BudgetScope } from '@coderunner/plugin-coderunner-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

const BUDGETS = 'coderunner_budgets';

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

/** One key per scope, so a scope has at most one budget. @internal */
export function scopeKey(scope: BudgetScope): string {
  return 'ownerRef' in scope
    ? `owner:${scope.ownerRef}`
    : `entity:${scope.entityRef}:${scope.environment ?? '*'}`;
}

/**
 * Budgets set in the UI or API, one per scope, on SQLite or PostgreSQL.
 *
 * @internal
 */
export class BudgetStore {
  constructor(private readonly knex: Knex) {}

  async list(): Promise<Budget[]> {
    const rows = await this.knex<BudgetRow>(BUDGETS).orderBy('scope_key');
    return rows.map(fromRow);
  }

  /** Sets the budget of a scope, replacing the one it had; returns it. */
  async put(options: {
    scope: BudgetScope;
    amountCents: number;
    currency: string;
    thresholds: number[];
    hardCap: boolean;
    by: string;
  }): Promise<Budget> {
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

  /** Removes the budget of a scope; false when it had none. */
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
