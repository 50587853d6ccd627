import { PriceTable } from '@coderunner/plugin-coderunner-node';
import { DAY_MS, picoFor } from './money';
import { BUILD_LIFETIME_MS, UsageRow } from './UsageLedger';

/**
 * Turns ledger rows into money: each row's milliseconds inside a window times its size's
 * per-second price. Pure and integer-only, so the same rows always give the same pico-units.
 * The month's sums are made by the database (UsageLedger.aggregate); this splits one
 * entity's rows into days.
 *
 * @internal
 */
export class CostCalculator {
  constructor(private readonly prices: PriceTable) {}

  get currency(): string {
    return this.prices.currency;
  }

  /** Nano-units per second for a size; unknown sizes cost what `small` costs. */
  nanoPerSecond(size: string): number {
    return (
      this.prices.nanoPerSecond(size) ?? this.prices.nanoPerSecond('small') ?? 0
    );
  }

  /** The end of a row as of `now`: its stop, or now while it runs (a build ends by its lifetime). */
  endOf(row: UsageRow, now: number): number {
    if (row.stoppedAt !== undefined) return row.stoppedAt;
    if (row.kind === 'build')
      return Math.min(now, row.startedAt + BUILD_LIFETIME_MS);
    return now;
  }

  /** Per UTC day of [from, to): instance and build pico-units. */
  daily(
    rows: UsageRow[],
    from: number,
    to: number,
    now: number,
  ): Array<{ day: number; instances: bigint; builds: bigint }> {
    const days: Array<{ day: number; instances: bigint; builds: bigint }> = [];
    for (let day = from; day < to; day += DAY_MS) {
      days.push({ day, instances: 0n, builds: 0n });
    }
    for (const row of rows) {
      const start = Math.max(row.startedAt, from);
      const end = Math.min(this.endOf(row, now), to);
      const price = this.nanoPerSecond(row.size);
      for (let i = Math.floor((start - from) / DAY_MS); i < days.length; i++) {
        const dayStart = from + i * DAY_MS;
        if (dayStart >= end) break;
        const ms = Math.min(end, dayStart + DAY_MS) - Math.max(start, dayStart);
        if (ms <= 0) continue;
        if (row.kind === 'build') days[i].builds += picoFor(ms, price);
        else days[i].instances += picoFor(ms, price);
      }
    }
    return days;
  }
}
