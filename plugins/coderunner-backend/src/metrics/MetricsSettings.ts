import { Config } from '@backstage/config';

/**
 * The time-series settings from app-config `coderunner.metrics`.
 *
 * @internal
 */
export interface MetricsSettings {
  rawRetentionMs: number;
  rollupRetentionMs: number;
  flushIntervalSeconds: number;
  sandboxPollIntervalSeconds: number;
}

function number(
  config: Config,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value =
    config.getOptionalNumber(`coderunner.metrics.${key}`) ?? fallback;
  if (!(value >= min && value <= max)) {
    throw new Error(
      `coderunner.metrics.${key} must be between ${min} and ${max}; got ${value}`,
    );
  }
  return value;
}

/**
 * Reads the settings, failing start-up with the key to fix when one is out of range.
 *
 * @internal
 */
export function readMetricsSettings(config: Config): MetricsSettings {
  return {
    rawRetentionMs:
      number(config, 'retention.rawHours', 24, 1, 24 * 31) * 3600_000,
    rollupRetentionMs:
      number(config, 'retention.rollupDays', 15, 1, 400) * 24 * 3600_000,
    flushIntervalSeconds: number(config, 'flushIntervalSeconds', 15, 5, 300),
    sandboxPollIntervalSeconds: number(
      config,
      'sandboxPollIntervalSeconds',
      15,
      5,
      300,
    ),
  };
}
