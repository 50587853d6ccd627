import {
  LATENCY_BUCKETS_SECONDS,
  RequestCounters,
  RequestMetrics,
} from './RequestMetrics';

describe('RequestCounters', () => {
  it('puts a latency in the first bucket whose bound it does not exceed, and a slower one above all', () => {
    const counters = new RequestCounters();
    counters.observe(200, 0.005);
    counters.observe(204, 0.0051);
    counters.observe(503, 31);
    counters.observe(101, 0);
    expect([...counters.latency.counts]).toEqual([
      2,
      1,
      ...new Array(LATENCY_BUCKETS_SECONDS.length - 2).fill(0),
      1,
    ]);
    expect([...counters.byStatusClass]).toEqual([1, 2, 0, 0, 1]);
    expect(counters.requests).toBe(4);
    expect(counters.serverErrors).toBe(1);
    expect(counters.latency.sum).toBeCloseTo(31.0101);
  });
});

describe('RequestMetrics', () => {
  it('keeps a deployment’s totals when its instances go, and drops what is no longer live', () => {
    const metrics = new RequestMetrics();
    const a = metrics.deployment({
      deploymentId: 'a',
      entityRef: 'component:default/a',
      environment: 'dev',
    });
    metrics.instance(a, 'a1').observe(200, 0.1);
    a.counters.observe(200, 0.1);
    metrics.deployment({
      deploymentId: 'b',
      entityRef: 'component:default/b',
      environment: 'dev',
    });

    metrics.retain(new Map([['a', new Set(['a2'])]]));
    const [only, ...rest] = [...metrics.all()];
    expect(rest).toEqual([]);
    expect(only.deploymentId).toBe('a');
    expect(only.counters.requests).toBe(1);
    expect([...only.instances.keys()]).toEqual([]);
    expect(
      metrics.deployment({
        deploymentId: 'a',
        entityRef: 'x',
        environment: 'y',
      }),
    ).toBe(a);
  });
});
