/**
 * What running one instance of a size costs. CodeRunner multiplies these prices by the exact
 * milliseconds each sandbox ran, in integers, so that sums are exact.
 *
 * @public
 */
export interface PriceTable {
  /** ISO 4217 code of the prices, e.g. `USD`. */
  currency: string;
  /**
   * The price of one sandbox of `size` (a manifest `resources.size`) for one second, in
   * billionths of the currency (nano-units), as a non-negative integer; undefined for a size
   * the table does not price (its time is then counted at the price of `small`).
   */
  nanoPerSecond(size: string): number | undefined;
}
