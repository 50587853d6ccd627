import { requestRateTrend } from './trend';

describe('requestRateTrend', () => {
  it('finds the slope of a ramp with a perfect fit', () => {
    const samples = [0, 15, 30, 45].map(t => ({
      at: t * 1000,
      requestsPerSecond: 100 + 2 * t,
    }));
    const trend = requestRateTrend(samples, -1);
    expect(trend?.slopePerSecond).toBeCloseTo(2);
    expect(trend?.fit).toBeCloseTo(1);
  });

  it('has nothing to say with too few points or a flat line', () => {
    expect(
      requestRateTrend(
        [
          { at: 1, requestsPerSecond: 5 },
          { at: 2, requestsPerSecond: 6 },
        ],
        0,
      ),
    ).toBeUndefined();
    expect(
      requestRateTrend(
        [1, 2, 3].map(at => ({ at, requestsPerSecond: 5 })),
        0,
      ),
    ).toBeUndefined();
  });
});
