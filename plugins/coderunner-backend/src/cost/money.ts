/**
 * Money in CodeRunner's cost code is an integer count of pico-units (10^-12 of the currency):
 * a price in nano-units per second times a duration in milliseconds. Nothing is rounded until
 * an amount is shown, so sums over any number of instances and days are exact.
 */

/** Pico-units in one cent. */
const PICO_PER_CENT = 10_000_000_000n;

/** The cost of `ms` milliseconds at `nanoPerSecond`, in pico-units. */
export function picoFor(ms: number, nanoPerSecond: number): bigint {
  return BigInt(ms) * BigInt(nanoPerSecond);
}

/** An amount in pico-units as currency, rounded half up to the cent. */
export function toAmount(pico: bigint): number {
  const cents =
    pico >= 0n
      ? (pico + PICO_PER_CENT / 2n) / PICO_PER_CENT
      : -((-pico + PICO_PER_CENT / 2n) / PICO_PER_CENT);
  return Number(cents) / 100;
}

/** An amount of currency (at most two decimals) in pico-units. */
export function fromAmount(amount: number): bigint {
  return BigInt(Math.round(amount * 100)) * PICO_PER_CENT;
}

/** The UTC month `YYYY-MM` a time falls in. */
export function periodOf(time: number): string {
  return new Date(time).toISOString().slice(0, 7);
}

/** Start and end (exclusive) of a `YYYY-MM` month in UTC, in ms. */
export function monthBounds(period: string): { start: number; end: number } {
  const [year, month] = period.split('-').map(Number);
  return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
}

export const DAY_MS = 86_400_000;
