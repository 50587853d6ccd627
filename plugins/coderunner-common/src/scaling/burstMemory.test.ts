import { burstFloor } from './burstMemory';
import { MetricSample } from './types';

const at = (i: number) => i * 15_000;
const series = (rates: number[]): MetricSample[] => rates.map((r, i) => ({ at: at(i + 1), requestsPerSecond: r }));
const now = (samples: MetricSample[]) => samples[samples.length - 1].at;

describe('burstFloor', () => {
  it('keeps what repeated short bursts needed, at the per-instance target', () => {
    const rates = [400, 400, 1500, 400, 400, 400, 400, 1300, 1200, 400, 400, 400, 400];
    const samples = series(rates);
    // 1500 req/s at 70 req/s per instance.
    expect(burstFloor(samples, now(samples), 70)).toBe(22);
  });

  it('keeps nothing after a single burst, a level shift or on steady load', () => {
    const once = series([400, 400, 1500, 400, 400, 400, 400, 400, 400, 400]);
    expect(burstFloor(once, now(once), 70)).toBe(0);
    const shift = series([400, 400, 400, 400, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 400, 400]);
    expect(burstFloor(shift, now(shift), 70)).toBe(0);
    const steady = series(Array(40).fill(500).map((r, i) => r * (1 + ((i % 5) - 2) * 0.05)));
    expect(burstFloor(steady, now(steady), 70)).toBe(0);
  });

  it('forgets bursts older than ten minutes', () => {
    const old = series([400, 1500, 400, 1500, ...Array(45).fill(400)]);
    expect(burstFloor(old, now(old), 70)).toBe(0);
  });
});
