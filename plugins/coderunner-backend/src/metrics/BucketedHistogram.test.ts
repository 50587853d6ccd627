import { BucketedHistogram } from './BucketedHistogram';

describe('BucketedHistogram.quantile', () => {
  const bounds = [0.1, 0.2, 0.4];

  it('interpolates within the bucket that holds the rank, as histogram_quantile does', () => {
    // 10 in (0, 0.1], 10 in (0.1, 0.2]: the median is the first bucket's bound, p75 halfway up the second.
    expect(BucketedHistogram.quantile(bounds, [10, 10, 0, 0], 0.5)).toBeCloseTo(
      0.1,
    );
    expect(
      BucketedHistogram.quantile(bounds, [10, 10, 0, 0], 0.75),
    ).toBeCloseTo(0.15);
    expect(BucketedHistogram.quantile(bounds, [0, 0, 4, 0], 0.25)).toBeCloseTo(
      0.25,
    );
  });

  it('answers the last bound above every bound, and nothing without observations', () => {
    expect(BucketedHistogram.quantile(bounds, [1, 0, 0, 9], 0.99)).toBe(0.4);
    expect(
      BucketedHistogram.quantile(bounds, [0, 0, 0, 0], 0.5),
    ).toBeUndefined();
  });
});
