import { englishTranslate } from '../__testUtils__/translations';
import {
  formatWithUnit,
  metricFormats,
  MetricFormat,
  niceTicks,
  recentHealth,
  summarizeSeries,
} from './metricFormats';

const t = englishTranslate();

const at = (minute: number) =>
  new Date(Date.UTC(2025, 4, 1, 10, minute)).toISOString();

describe('metricFormats', () => {
  it('formats values with their unit', () => {
    const formats = metricFormats(t);
    const f = (metric: keyof typeof formats, value: number) =>
      formatWithUnit(formats[metric] as MetricFormat, value);
    expect(f('requests', 0.0512)).toBe('0.05 req/s');
    expect(f('requests', 12.34)).toBe('12.3 req/s');
    expect(f('requests', 1234.5)).toBe('1,235 req/s');
    expect(f('error_ratio', 0.0123)).toBe('1.23%');
    expect(f('latency_p95_ms', 41.6)).toBe('42 ms');
    expect(f('memory_mib', 511.6)).toBe('512 MiB');
    expect(f('instances_ready', 2)).toBe('2');
  });

  it('summarizes a series by its latest value and the range of its samples', () => {
    expect(summarizeSeries([])).toBeUndefined();
    expect(
      summarizeSeries([
        { at: at(0), value: 5, min: 1, max: 9 },
        { at: at(1), value: 3 },
      ]),
    ).toEqual({ latest: 3, min: 1, max: 9 });
  });

  it('weighs recent p95 by requests and divides errors by requests', () => {
    expect(
      recentHealth({
        requests: {
          points: [
            { at: at(0), value: 1 },
            { at: at(1), value: 3 },
          ],
        },
        server_errors: { points: [{ at: at(1), value: 0.2 }] },
        latency_p95_ms: {
          points: [
            { at: at(0), value: 100 },
            { at: at(1), value: 20 },
          ],
        },
      }),
    ).toEqual({ errorRatio: 0.05, p95Ms: 40 });
  });

  it('has no figures without traffic', () => {
    expect(
      recentHealth({ requests: { points: [{ at: at(0), value: 0 }] } }),
    ).toEqual({});
    expect(recentHealth({})).toEqual({});
  });

  it('puts at most five round ticks from 0 up to the highest value', () => {
    expect(niceTicks(0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(197)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(0.01)).toEqual([0, 0.005, 0.01]);
    expect(niceTicks(104)).toEqual([0, 50, 100, 150]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(1, true)).toEqual([0, 1]);
    expect(niceTicks(3, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(7, true)).toEqual([0, 2, 4, 6, 8]);
  });
});
