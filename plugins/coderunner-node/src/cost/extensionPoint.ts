import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { PriceTable } from './types';

/**
 * Lets a backend module replace the prices CodeRunner's cost figures use. Without one, the
 * prices come from app-config (`coderunner.cost.prices`).
 *
 * @public
 */
export interface CoderunnerPriceTableExtensionPoint {
  /** Sets the price table. Only one module may set it; `name` is shown in the backend log. */
  setPriceTable(table: PriceTable, options: { name: string }): void;
}

/**
 * Extension point for replacing the CodeRunner price table, e.g. with contracted prices.
 *
 * @public
 */
export const coderunnerPriceTableExtensionPoint =
  createExtensionPoint<CoderunnerPriceTableExtensionPoint>({
    id: 'coderunner.priceTable',
  });
