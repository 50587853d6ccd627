import { ResourceSize } from './types';

/** What one instance of a given size gets, and what it costs. @public */
export interface ResourceSizeSpec {
  /** Virtual CPUs of the sandbox. */
  cpuCount: number;
  /** Memory of the sandbox in MiB. */
  memoryMiB: number;
  /** List price of one instance running for one hour, in US dollars. */
  pricePerInstanceHourUsd: number;
}

/**
 * The size table behind `resources.size`. Each step doubles CPU, memory and price.
 * @public
 */
export const resourceSizes: Readonly<Record<ResourceSize, ResourceSizeSpec>> = {
  small: { cpuCount: 1, memoryMiB: 1024, pricePerInstanceHourUsd: 0.02 },
  medium: { cpuCount: 2, memoryMiB: 2048, pricePerInstanceHourUsd: 0.04 },
  large: { cpuCount: 4, memoryMiB: 4096, pricePerInstanceHourUsd: 0.08 },
  xlarge: { cpuCount: 8, memoryMiB: 8192, pricePerInstanceHourUsd: 0.16 },
};
