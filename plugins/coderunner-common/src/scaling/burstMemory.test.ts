import { burstFloor, rememberBursts, scanBursts } from './burstMemory';
import { MetricSample } from './types';

const at = (i: number) => i * 15_000;
const series = (rates: number[], from = 1): MetricSample[] =>
  rates.map((r, i) => ({ at: at(i + from), requestsPerSecond: r }));
const now = (samples: MetricSample[]) => samples[samples.length - 1].at;

describe('scanBursts', () => {
  it('finds short bursts that go up and come back, with their height over the surrounding rate', () => {
    const samples = series([
      400, 400, 1500, 400, 400, 400, 400, 1300, 1200, 420, 400, 400, 400,
    ]);
    const scan = scanBursts(samples, now(samples));
    expect(scan.episodes).toEqual([
      { at: at(3), excess: 1100 },
      { at: at(8), excess: 880 },
    ]);
    // The level: the mean of the newest four rates outside bursts (420, 400, 400, 400).
    expect(scan.level).toBeCloseTo(405);
  });

  it('finds nothing in a level shift, the tail of a level at the start, steady noise or a rising level', () => {
    const shift = series([
      400, 400, 400, 400, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 400,
      400,
    ]);
    expect(scanBursts(shift, now(shift)).episodes).toEqual([]);
    const tail = series([1500, 1500, 400, 400, 400, 400, 400, 400, 400, 400]);
    expect(scanBursts(tail, now(tail)).episodes).toEqual([]);
    const steady = series(
      Array(40)
        .fill(500)
        .map((r, i) => r * (1 + ((i % 5) - 2) * 0.05)),
    );
    expect(scanBursts(steady, now(steady)).episodes).toEqual([]);
    // A diurnal rise wobbling across 1.5× the median: up and down by noise, never up and back.
    const rising = series(
      Array.from(
        { length: 40 },
        (_, i) => 100 + 8 * i + (i % 2 === 0 ? 15 : -15),
      ),
    );
    expect(scanBursts(rising, now(rising)).episodes).toEqual([]);
  });

  it('takes the level of a new plateau once it outlasts a burst, and the rate before a burst still running', () => {
    const plateau = series([
      400, 400, 400, 400, 400, 400, 400, 1500, 1500, 1500, 1500, 1500, 1500,
      1500, 1500,
    ]);
    expect(scanBursts(plateau, now(plateau)).level).toBeCloseTo(1500);
    const during = series([400, 400, 400, 400, 400, 400, 400, 400, 1500, 1500]);
    expect(scanBursts(during, now(during)).level).toBeCloseTo(400);
  });
});

describe('rememberBursts', () => {
  it('keeps bursts for half an hour, once each, and returns the same list when nothing changed', () => {
    const first = rememberBursts(
      undefined,
      { episodes: [{ at: at(3), excess: 1100 }] },
      at(12),
    );
    expect(first).toEqual([{ at: at(3), excess: 1100 }]);
    // The same burst seen again by a later scan (its peak placed one sample later) is not added twice.
    const again = rememberBursts(
      first,
      { episodes: [{ at: at(4), excess: 1050 }] },
      at(13),
    );
    expect(again).toBe(first);
    const second = rememberBursts(
      first,
      { episodes: [{ at: at(30), excess: 600 }] },
      at(40),
    );
    expect(second).toEqual([
      { at: at(3), excess: 1100 },
      { at: at(30), excess: 600 },
    ]);
    // 30 minutes (120 samples) after the first burst it is forgotten.
    expect(rememberBursts(second, { episodes: [] }, at(3 + 120))).toEqual([
      { at: at(30), excess: 600 },
    ]);
  });
});

describe('burstFloor', () => {
  const two = [
    { at: at(3), excess: 1100 },
    { at: at(8), excess: 880 },
  ];

  it('keeps the level plus the largest excess that recurred (the second largest), at the target plus the scale-up tolerance', () => {
    // (400 + 880) req/s at 70 × 1.1 = 77 req/s per instance: 16.6, so 17.
    expect(burstFloor(two, 400, at(20), 70, 0.1)).toBe(17);
    expect(burstFloor(two, 400, at(20), 70, 0)).toBe(19);
    // One heavy-tailed outlier (3,000 over the level) is not a pattern: the 1,100 that two bursts reached is.
    expect(
      burstFloor([...two, { at: at(12), excess: 3000 }], 400, at(20), 70, 0.1),
    ).toBe(20);
  });

  it('keeps nothing after a single burst, without a level, or once the bursts are forgotten', () => {
    expect(burstFloor(two.slice(0, 1), 400, at(20), 70, 0.1)).toBe(0);
    expect(burstFloor(two, undefined, at(20), 70, 0.1)).toBe(0);
    expect(burstFloor(two, 400, at(8 + 120), 70, 0.1)).toBe(0);
  });
});
