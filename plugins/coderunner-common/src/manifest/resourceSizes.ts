import { ResourceSize } from './types';

/** What one instance of a given size gets, and what it costs. @public */
export interface ResourceSizeSpec {
  /** Virtual CPUs of the sandbox. */
  cpuCount: number;
  /** Memory of the sandbox in MiB. */
  memoryMiB: number;
  /**
   * Price of one instance running for one hour, in US dollars, at the cost capability's default
   * per-second prices ($0.000014 per vCPU-second and $0.0000045 per GiB-second, docs/cost.md).
   * A portal that sets `coderunner.cost.prices` bills by its own table instead.
   */
  pricePerInstanceHourUsd: number;
}

/**
 * The size table behind `resources.size`. Each step doubles CPU, memory and price.
 * @public
 */
export const resourceSizes: Readonly<Record<ResourceSize, ResourceSizeSpec>> = {
  small: { cpuCount: 1, memoryMiB: 1024, pricePerInstanceHourUsd: 0.0666 },
  medium: { cpuCount: 2, memoryMiB: 2048, pricePerInstanceHourUsd: 0.1332 },
  large: { cpuCount: 4, memoryMiB: 4096, pricePerInstanceHourUsd: 0.2664 },
  xlarge: { cpuCount: 8, memoryMiB: 8192, pricePerInstanceHourUsd: 0.5328 },
};
