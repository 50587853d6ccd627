import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  BudgetScope,
  BudgetStatus,
  CostGroup,
  CostSummary,
  EntityCost,
  EnvironmentCost,
} from '@coderunner/plugin-coderunner-common';
import { Budget, BudgetStore, scopeKey } from './BudgetStore';
import { CostCalculator } from './CostCalculator';
import { fromAmount, monthBounds, periodOf, picoFor, toAmount } from './money';
import { OwnerResolver } from './OwnerResolver';
import { UsageGroup, UsageLedger } from './UsageLedger';

/** Thresholds of a budget that sets none. @internal */
export const DEFAULT_THRESHOLDS = [0.75, 0.9, 1];

/** The ledger's sums for one month and what is needed to judge them. */
interface MonthView {
  period: string;
  start: number;
  end: number;
  /** min(now, end): the moment the figures are for. */
  asOf: number;
  now: number;
  /** Sums per entity, environment and size of what ran in the month or the recent window. */
  rows: UsageGroup[];
  /** Where the recent window starts (its length is cut to a scope's first start). */
  recentFrom: number;
  owners: Map<string, string | undefined>;
  /** Sums by entity and by owner, built on first use. */
  byEntity?: Map<string, UsageGroup[]>;
  byOwner?: Map<string, UsageGroup[]>;
}

/** Spent, forecast and the forecast's crossing of an amount, in pico-units. */
interface Projection {
  spent: bigint;
  builds: bigint;
  forecast: bigint;
  /** The rate the forecast extends, in pico-units per millisecond: rateNum / rateDen. */
  rateNum: bigint;
  rateDen: bigint;
}

/**
 * Cost of deployments, entities, owners and environments for a month, and the budgets set on
 * them: exact sums from the usage ledger, a forecast from the recent run rate, and the
 * instance cap a hard budget puts on the autoscaler.
 *
 * @internal
 */
export class CostService {
  constructor(
    private readonly options: {
      ledger: UsageLedger;
      calculator: CostCalculator;
      budgets: BudgetStore;
      configBudgets: Budget[];
      defaultThresholds: number[];
      owners: OwnerResolver;
      forecastWindowMs: number;
      clock?: () => number;
    },
  ) {}

  get currency(): string {
    return this.options.calculator.currency;
  }

  private now(): number {
    return this.options.clock?.() ?? Date.now();
  }

  /** A month's view; `period` defaults to the current month and cannot be in the future. */
  private async view(
    period: string | undefined,
    filter: { entityRef?: string } = {},
  ): Promise<MonthView> {
    const now = this.now();
    const month = period ?? periodOf(now);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      throw new InputError(
        `month is '${month}'; write a month as YYYY-MM, e.g. ${periodOf(now)}`,
      );
    }
    const { start, end } = monthBounds(month);
    if (start > now) {
      throw new InputError(
        `month ${month} has not started; ask for ${periodOf(now)} or earlier`,
      );
    }
    const asOf = Math.min(now, end);
    const recentFrom = now - this.options.forecastWindowMs;
    const rows = await this.options.ledger.aggregate({
      monthStart: start,
      asOf,
      recentFrom,
      now,
      entityRef: filter.entityRef,
    });
    const owners = await this.options.owners.ownersOf(
      rows.map(r => r.entityRef),
    );
    return { period: month, start, end, asOf, now, rows, recentFrom, owners };
  }

  private project(view: MonthView, rows: UsageGroup[]): Projection {
    let instances = 0n;
    let builds = 0n;
    let recent = 0n;
    let first = Number.POSITIVE_INFINITY;
    for (const row of rows) {
      const price = this.options.calculator.nanoPerSecond(row.size);
      instances += picoFor(row.instanceMs, price);
      builds += picoFor(row.buildMs, price);
      recent += picoFor(row.recentMs, price);
      if (row.firstStart !== undefined) first = Math.min(first, row.firstStart);
    }
    const spent = instances + builds;
    const none = { spent, builds, forecast: spent, rateNum: 0n, rateDen: 1n };
    if (view.asOf >= view.end) return none;
    // Instances go on at the run rate of the recent window, counted from the scope's first
    // instance if that is newer, so a deployment started an hour ago is not averaged with
    // hours it did not exist (nothing ran before, so the window's sum is the same). Builds
    // happen now and then: they go on at the month's average so far.
    const recentMs = BigInt(
      Math.max(0, view.now - Math.max(view.recentFrom, first)),
    );
    const elapsedMs = BigInt(Math.max(0, view.now - view.start));
    // The rate per millisecond as a fraction: recent / recentMs + builds / elapsedMs.
    let rateNum = 0n;
    let rateDen = 1n;
    if (recentMs > 0n && elapsedMs > 0n) {
      rateNum = recent * elapsedMs + builds * recentMs;
      rateDen = recentMs * elapsedMs;
    } else if (recentMs > 0n) {
      [rateNum, rateDen] = [recent, recentMs];
    } else if (elapsedMs > 0n) {
      [rateNum, rateDen] = [builds, elapsedMs];
    }
    const forecast = spent + (rateNum * BigInt(view.end - view.now)) / rateDen;
    return { spent, builds, forecast, rateNum, rateDen };
  }

  /** Pico-units per millisecond the instances running now cost, and how many they are. */
  private currentRate(rows: UsageGroup[]): { pico: bigint; running: number } {
    let pico = 0n;
    let running = 0;
    for (const row of rows) {
      running += row.running;
      pico +=
        BigInt(row.running) *
        BigInt(this.options.calculator.nanoPerSecond(row.size));
    }
    return { pico, running };
  }

  private rowsOf(view: MonthView, scope: BudgetScope): UsageGroup[] {
    if (!view.byEntity) {
      view.byEntity = new Map();
      view.byOwner = new Map();
      for (const row of view.rows) {
        const owner = view.owners.get(row.entityRef) ?? '';
        for (const [index, key] of [
          [view.byEntity, row.entityRef],
          [view.byOwner, owner],
        ] as const) {
          const rows = index.get(key);
          if (rows) rows.push(row);
          else index.set(key, [row]);
        }
      }
    }
    if ('ownerRef' in scope) return view.byOwner!.get(scope.ownerRef) ?? [];
    const rows = view.byEntity.get(scope.entityRef) ?? [];
    return scope.environment
      ? rows.filter(r => r.environment === scope.environment)
      : rows;
  }

  /** Every budget, UI and app-config, with this month's status. */
  async budgetStatuses(
    filter?: {
      entityRef?: string;
      ownerRef?: string;
    },
    loaded?: MonthView,
  ): Promise<BudgetStatus[]> {
    const covers = (budget: Budget) => {
      if (!filter) return true;
      return 'ownerRef' in budget.scope
        ? budget.scope.ownerRef === filter.ownerRef
        : budget.scope.entityRef === filter.entityRef;
    };
    const budgets = (await this.allBudgets()).filter(covers);
    if (budgets.length === 0) return [];
    const view = loaded ?? (await this.view(undefined));
    return Promise.all(budgets.map(budget => this.statusOf(view, budget)));
  }

  private async statusOf(
    view: MonthView,
    budget: Budget,
  ): Promise<BudgetStatus> {
    const rows = this.rowsOf(view, budget.scope);
    const projection = this.project(view, rows);
    const amountPico = fromAmount(budget.amountCents / 100);
    const status: BudgetStatus = {
      budgetId: budget.id,
      scope: budget.scope,
      period: view.period,
      amount: budget.amountCents / 100,
      spent: toAmount(projection.spent),
      forecast: toAmount(projection.forecast),
      currency: budget.currency,
      thresholds: budget.thresholds,
      hardCap: budget.hardCap,
      source: budget.source,
    };
    if (
      projection.spent < amountPico &&
      projection.forecast >= amountPico &&
      projection.rateNum > 0n
    ) {
      const at =
        view.now +
        Number(
          ((amountPico - projection.spent) * projection.rateDen) /
            projection.rateNum,
        );
      if (at < view.end) {
        status.forecastExceedsOn = new Date(at).toISOString().slice(0, 10);
      }
    }
    if (budget.hardCap && 'entityRef' in budget.scope) {
      status.capMaxInstances = this.capOf(
        view,
        budget,
        budget.scope.entityRef,
        budget.scope.environment,
      );
    }
    return status;
  }

  /**
   * The most instances of one deployment the rest of a hard budget pays for until the end of
   * the month, after the other deployments in its scope keep running as they do now.
   */
  private capOf(
    view: MonthView,
    budget: Budget,
    entityRef: string,
    environment: string | undefined,
  ): number {
    const calc = this.options.calculator;
    const rows = this.rowsOf(view, budget.scope);
    const spent = this.project(view, rows).spent;
    const remainingMs = BigInt(Math.max(1, view.end - view.now));
    const isOwn = (r: UsageGroup) =>
      r.entityRef === entityRef &&
      (environment === undefined || r.environment === environment);
    const others = this.currentRate(rows.filter(r => !isOwn(r))).pico;
    const left =
      fromAmount(budget.amountCents / 100) - spent - others * remainingMs;
    if (left <= 0n) return 0;
    const newest = rows
      .filter(r => isOwn(r) && r.newestStart !== undefined)
      .sort((a, b) => b.newestStart! - a.newestStart!)[0];
    const price = BigInt(calc.nanoPerSecond(newest?.size ?? 'small'));
    if (price === 0n) return Number.MAX_SAFE_INTEGER;
    return Number(left / (price * remainingMs));
  }

  /** The autoscaler's budget cap for a deployment: undefined without a hard budget. */
  async maxInstances(
    entityRef: string,
    environment: string,
  ): Promise<number | undefined> {
    const budgets = (await this.allBudgets()).filter(b => b.hardCap);
    if (budgets.length === 0) return undefined;
    const view = await this.view(undefined);
    const owner =
      view.owners.get(entityRef) ??
      (await this.options.owners.ownersOf([entityRef])).get(entityRef);
    let cap: number | undefined;
    for (const budget of budgets) {
      const scope = budget.scope;
      const covers =
        'ownerRef' in scope
          ? scope.ownerRef === owner
          : scope.entityRef === entityRef &&
            (!scope.environment || scope.environment === environment);
      if (!covers) continue;
      const limit = this.capOf(view, budget, entityRef, environment);
      cap = cap === undefined ? limit : Math.min(cap, limit);
    }
    return cap;
  }

  /** An entity's month: totals, per environment, per day, and the budgets covering it. */
  async entityCost(options: {
    entityRef: string;
    ownerRef?: string;
    environments: string[];
    period?: string;
    /** Which refs the caller may read; an owner budget shows only to who may read all it covers. */
    allowed?: (refs: string[]) => Promise<Set<string>>;
  }): Promise<EntityCost> {
    const view = await this.view(options.period, {
      entityRef: options.entityRef,
    });
    const calc = this.options.calculator;
    const total = this.project(view, view.rows);
    const names = [
      ...new Set([
        ...options.environments,
        ...view.rows.map(r => r.environment),
      ]),
    ];
    const environments: EnvironmentCost[] = names.map(environment => {
      const rows = view.rows.filter(r => r.environment === environment);
      const projection = this.project(view, rows);
      const rate =
        view.asOf < view.end
          ? this.currentRate(rows)
          : { pico: 0n, running: 0 };
      return {
        environment,
        spent: toAmount(projection.spent),
        builds: toAmount(projection.builds),
        forecast: toAmount(projection.forecast),
        instanceSeconds: Math.floor(
          rows.reduce((sum, r) => sum + r.instanceMs, 0) / 1000,
        ),
        runningInstances: rate.running,
        currentHourly: toAmount(rate.pico * 3_600_000n),
      };
    });
    // The days need each sandbox's times: one entity's rows of the month.
    const rows = await this.options.ledger.overlapping({
      from: view.start,
      to: view.asOf,
      entityRef: options.entityRef,
    });
    const daily = calc
      .daily(rows, view.start, Math.min(view.end, view.asOf), view.now)
      .map(d => ({
        date: new Date(d.day).toISOString().slice(0, 10),
        instances: toAmount(d.instances),
        builds: toAmount(d.builds),
      }));
    const ownerRef = options.ownerRef ?? view.owners.get(options.entityRef);
    const current = view.period === periodOf(view.now) ? view : undefined;
    const budgets = [
      ...(await this.budgetStatuses({ entityRef: options.entityRef }, current)),
      ...(ownerRef
        ? await this.ownerBudgetsVisible(ownerRef, options.allowed)
        : []),
    ];
    return {
      entityRef: options.entityRef,
      ownerRef,
      period: view.period,
      currency: this.currency,
      asOf: new Date(view.asOf).toISOString(),
      spent: toAmount(total.spent),
      builds: toAmount(total.builds),
      forecast: toAmount(total.forecast),
      environments,
      daily,
      budgets,
    };
  }

  /**
   * An owner's budgets, when the caller may read every entity whose spend they sum (the spend
   * of an entity someone may not read never reaches them, not even inside a team's total).
   */
  private async ownerBudgetsVisible(
    ownerRef: string,
    allowed: ((refs: string[]) => Promise<Set<string>>) | undefined,
  ): Promise<BudgetStatus[]> {
    if (!(await this.allBudgets()).some(b => 'ownerRef' in b.scope)) {
      return [];
    }
    const view = await this.view(undefined);
    const statuses = await this.budgetStatuses({ ownerRef }, view);
    if (statuses.length === 0 || !allowed) return statuses;
    const refs = [
      ...new Set(
        view.rows
          .filter(r => view.owners.get(r.entityRef) === ownerRef)
          .map(r => r.entityRef),
      ),
    ];
    const readable = await allowed(refs);
    return refs.every(ref => readable.has(ref)) ? statuses : [];
  }

  /**
   * Spend across the entities `allowed` keeps (the caller's readable ones): by owner, by
   * environment and per entity. Entities the caller may not read count nowhere.
   */
  async summary(options: {
    period?: string;
    allowed: (refs: string[]) => Promise<Set<string>>;
    /**
     * Which of these groups' budgets the caller may change; a budget of a group without spend
     * this month sums nothing to check the caller against, so only they see it.
     */
    manages?: (ownerRefs: string[]) => Promise<Set<string>>;
  }): Promise<CostSummary> {
    const view = await this.view(options.period);
    const allowed = await options.allowed([
      ...new Set(view.rows.map(r => r.entityRef)),
    ]);
    const ownerBudgets = await this.ownerBudgetsReadable(
      view,
      allowed,
      options.manages,
    );
    const rows = view.rows.filter(r => allowed.has(r.entityRef));
    const groups = (keyOf: (row: UsageGroup) => string) => {
      const byKey = new Map<string, UsageGroup[]>();
      for (const row of rows) {
        const key = keyOf(row);
        const group = byKey.get(key);
        if (group) group.push(row);
        else byKey.set(key, [row]);
      }
      return byKey;
    };
    const summarize = (byKey: Map<string, UsageGroup[]>): CostGroup[] =>
      [...byKey]
        .map(([key, group]) => {
          const projection = this.project(view, group);
          return {
            key,
            spent: toAmount(projection.spent),
            forecast: toAmount(projection.forecast),
          };
        })
        .sort((a, b) => b.spent - a.spent || a.key.localeCompare(b.key));
    const ownerOf = (row: UsageGroup) =>
      view.owners.get(row.entityRef) ?? 'unowned';
    const total = this.project(view, rows);
    const byPair = groups(row => `${ownerOf(row)}\u0000${row.environment}`);
    return {
      period: view.period,
      currency: this.currency,
      asOf: new Date(view.asOf).toISOString(),
      spent: toAmount(total.spent),
      forecast: toAmount(total.forecast),
      byOwner: summarize(groups(ownerOf)),
      byEnvironment: summarize(groups(row => row.environment)),
      byOwnerAndEnvironment: [...byPair].map(([key, group]) => {
        const [ownerRef, environment] = key.split('\u0000');
        return {
          ownerRef,
          environment,
          spent: toAmount(this.project(view, group).spent),
        };
      }),
      entities: summarize(groups(row => row.entityRef)).map(group => ({
        entityRef: group.key,
        ownerRef: view.owners.get(group.key),
        spent: group.spent,
      })),
      ownerBudgets,
    };
  }

  /**
   * The owner budgets of the current month whose every summed entity is in `allowed` (as on
   * an entity's card, the spend of an entity someone may not read never reaches them); the
   * budget of a group that has spent nothing only for who `manages` the group. For a past
   * month the statuses would describe this month's budgets, so there are none.
   */
  private async ownerBudgetsReadable(
    view: MonthView,
    allowed: Set<string>,
    manages: ((ownerRefs: string[]) => Promise<Set<string>>) | undefined,
  ): Promise<BudgetStatus[]> {
    if (view.period !== periodOf(view.now)) return [];
    const owned = (await this.allBudgets()).flatMap(budget =>
      'ownerRef' in budget.scope
        ? [{ budget, ownerRef: budget.scope.ownerRef }]
        : [],
    );
    const rowsOf = (ownerRef: string) =>
      view.rows.filter(r => view.owners.get(r.entityRef) === ownerRef);
    const idle = owned
      .filter(o => rowsOf(o.ownerRef).length === 0)
      .map(o => o.ownerRef);
    const managed =
      idle.length > 0 && manages ? await manages(idle) : new Set<string>();
    const budgets = owned
      .filter(({ ownerRef }) => {
        const rows = rowsOf(ownerRef);
        return rows.length === 0
          ? managed.has(ownerRef)
          : rows.every(r => allowed.has(r.entityRef));
      })
      .map(o => o.budget);
    const statuses = await Promise.all(
      budgets.map(budget => this.statusOf(view, budget)),
    );
    const key = (s: BudgetStatus) =>
      'ownerRef' in s.scope ? s.scope.ownerRef : '';
    return statuses.sort((a, b) => key(a).localeCompare(key(b)));
  }

  private async allBudgets(): Promise<Budget[]> {
    return [
      ...this.options.configBudgets,
      ...(await this.options.budgets.list()),
    ];
  }

  /** Sets a scope's budget from the UI or API; app-config budgets cannot be changed here. */
  async putBudget(options: {
    scope: BudgetScope;
    amount: number;
    thresholds?: number[];
    hardCap?: boolean;
    by: string;
  }): Promise<BudgetStatus> {
    this.refuseConfigured(options.scope);
    const amountCents = validAmount(options.amount, 'amount');
    const thresholds = validThresholds(
      options.thresholds ?? this.options.defaultThresholds,
      'thresholds',
    );
    const budget = await this.options.budgets.put({
      scope: options.scope,
      amountCents,
      currency: this.currency,
      thresholds,
      hardCap: options.hardCap ?? false,
      by: options.by,
    });
    return this.statusOf(await this.view(undefined), budget);
  }

  async deleteBudget(scope: BudgetScope): Promise<void> {
    this.refuseConfigured(scope);
    if (!(await this.options.budgets.delete(scope))) {
      throw new NotFoundError(
        `There is no budget for ${describeScope(scope)} to remove`,
      );
    }
  }

  private refuseConfigured(scope: BudgetScope) {
    const key = scopeKey(scope);
    if (this.options.configBudgets.some(b => scopeKey(b.scope) === key)) {
      throw new ConflictError(
        `The budget for ${describeScope(
          scope,
        )} is set in app-config (coderunner.cost.budgets); change it there`,
      );
    }
  }
}

function describeScope(scope: BudgetScope): string {
  if ('ownerRef' in scope) return `everything ${scope.ownerRef} owns`;
  return scope.environment
    ? `${scope.entityRef} in ${scope.environment}`
    : `${scope.entityRef} (all environments)`;
}

/** An amount as whole cents; more than 0 with at most two decimals. @internal */
export function validAmount(amount: number, key: string): number {
  const cents = Math.round(amount * 100);
  if (
    !Number.isFinite(amount) ||
    amount <= 0 ||
    Math.abs(amount * 100 - cents) > 1e-6 ||
    cents > Number.MAX_SAFE_INTEGER / 1000
  ) {
    throw new InputError(
      `${key} is ${amount}; a budget is an amount more than 0 with at most two decimals, e.g. 250 or 99.50`,
    );
  }
  return cents;
}

/** Thresholds ascending, each more than 0 and at most 2. @internal */
export function validThresholds(values: number[], key: string): number[] {
  if (
    values.length === 0 ||
    values.length > 10 ||
    values.some(v => !(v > 0 && v <= 2)) ||
    values.some((v, i) => i > 0 && v <= values[i - 1])
  ) {
    throw new InputError(
      `${key} is [${values.join(
        ', ',
      )}]; give 1 to 10 ascending fractions of the budget, each more than 0 and at most 2, e.g. [0.75, 0.9, 1]`,
    );
  }
  return values;
}
