import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  resourceSizeNames,
  resourceSizes,
} from '@coderunner/plugin-coderunner-common';
import { PriceTable } from '@coderunner/plugin-coderunner-node';

/**
 * Default per-second prices: E2B's published usage prices (AgentSphere is an E2B-compatible
 * service whose SDK is E2B's renamed); see docs/cost.md for the source.
 */
export const DEFAULT_VCPU_SECOND = 0.000014;
export const DEFAULT_GIB_SECOND = 0.0000045;

const KEY = 'coderunner.cost.prices';

/**
 * The built-in price table: a size's per-second price is its vCPUs times the vCPU-second
 * price plus its memory in GiB times the GiB-second price (`coderunner.cost.prices`), unless
 * `coderunner.cost.prices.sizes.<size>` sets that size's per-second price outright.
 *
 * @internal
 */
export class ConfigPriceTable implements PriceTable {
  static fromConfig(config: Config): ConfigPriceTable {
    const prices = config.getOptionalConfig(KEY);
    const currency =
      config.getOptionalString('coderunner.cost.currency') ?? 'USD';
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw new InputError(
        `coderunner.cost.currency is '${currency}'; write an ISO 4217 code such as USD or EUR`,
      );
    }
    const vcpu = nano(
      prices?.getOptionalNumber('vcpuSecond') ?? DEFAULT_VCPU_SECOND,
      `${KEY}.vcpuSecond`,
    );
    const gib = nano(
      prices?.getOptionalNumber('gibSecond') ?? DEFAULT_GIB_SECOND,
      `${KEY}.gibSecond`,
    );
    const table = new Map<string, number>();
    for (const size of resourceSizeNames) {
      const spec = resourceSizes[size];
      // memoryMiB is a multiple of 1024 for every size, so this stays an integer.
      table.set(size, vcpu * spec.cpuCount + (gib * spec.memoryMiB) / 1024);
    }
    const sizes = prices?.getOptionalConfig('sizes');
    for (const size of sizes?.keys() ?? []) {
      if (!table.has(size)) {
        throw new InputError(
          `${KEY}.sizes.${size} prices a size that does not exist; sizes are ${resourceSizeNames.join(
            ', ',
          )}`,
        );
      }
      table.set(size, nano(sizes!.getNumber(size), `${KEY}.sizes.${size}`));
    }
    return new ConfigPriceTable(currency, table);
  }

  private constructor(
    readonly currency: string,
    private readonly table: ReadonlyMap<string, number>,
  ) {}

  nanoPerSecond(size: string): number | undefined {
    return this.table.get(size);
  }
}

/** A price per second in currency as an integer count of nano-units. */
function nano(value: number, key: string): number {
  const scaled = value * 1e9;
  const rounded = Math.round(scaled);
  if (
    !(value >= 0) ||
    Math.abs(scaled - rounded) > 1e-6 * Math.max(1, scaled)
  ) {
    throw new InputError(
      `${key} is ${value}; write a price per second of 0 or more with at most 9 decimals (e.g. 0.000014)`,
    );
  }
  return rounded;
}
