import { ReadCache } from './ReadCache';

/** A load that answers when told to, counting how often it was started. */
function controlledLoad<T>() {
  const state = { started: 0, answer: (_: T) => {}, fail: (_: Error) => {} };
  const load = () => {
    state.started++;
    return new Promise<T>((resolve, reject) => {
      state.answer = resolve;
      state.fail = reject;
    });
  };
  return { state, load };
}

const always = () => true;

describe('ReadCache', () => {
  it('shares one load between concurrent asks and keeps what keep accepts', async () => {
    const cache = new ReadCache(60_000);
    const { state, load } = controlledLoad<string>();
    const asks = [1, 2, 3].map(() => cache.get('k', load, always));
    state.answer('v');
    expect(await Promise.all(asks)).toEqual(['v', 'v', 'v']);
    expect(await cache.get('k', load, always)).toBe('v');
    expect(state.started).toBe(1);
  });

  it('forgets an answer keep refuses, without failing an ask under way', async () => {
    const cache = new ReadCache(60_000);
    const first = controlledLoad<string>();
    const a = cache.get('k', first.load, value => value === 'yes');
    first.state.answer('no');
    expect(await a).toBe('no');
    // Asked again: a new load, and one started meanwhile by another ask is not disturbed.
    const second = controlledLoad<string>();
    const b = cache.get('k', second.load, value => value === 'yes');
    const c = cache.get('k', second.load, value => value === 'yes');
    second.state.answer('yes');
    expect(await Promise.all([b, c])).toEqual(['yes', 'yes']);
    expect(second.state.started).toBe(1);
  });

  it('forgets a failure: the next ask loads again', async () => {
    const cache = new ReadCache(60_000);
    const failing = controlledLoad<string>();
    const a = cache.get('k', failing.load, always);
    failing.state.fail(new Error('catalog unavailable'));
    await expect(a).rejects.toThrow('catalog unavailable');
    await expect(cache.get('k', async () => 'v', always)).resolves.toBe('v');
  });

  it('answers many keys from what it keeps and one load of the rest', async () => {
    const cache = new ReadCache(60_000);
    const loads: number[][] = [];
    const load = async (missing: number[]) => {
      loads.push(missing);
      return missing.map(i => i * 10);
    };
    const keepEven = (value: number) => value % 20 === 0;
    expect(await cache.getMany(['a', 'b', 'c'], load, keepEven)).toEqual([
      0, 10, 20,
    ]);
    expect(await cache.getMany(['a', 'b', 'c', 'd'], load, keepEven)).toEqual([
      0, 10, 20, 30,
    ]);
    // a and c were kept; b (refused by keep) and d are loaded, in that order.
    expect(loads).toEqual([
      [0, 1, 2],
      [1, 3],
    ]);
    expect(await cache.get('a', async () => -1, always)).toBe(0);
  });

  it('with 0 keeps nothing and shares nothing', async () => {
    const cache = new ReadCache(0);
    let started = 0;
    const load = async () => ++started;
    expect(
      await Promise.all([
        cache.get('k', load, always),
        cache.get('k', load, always),
      ]),
    ).toEqual([1, 2]);
    expect(await cache.getMany(['k'], async () => [9], always)).toEqual([9]);
    expect(await cache.getMany(['k'], async () => [8], always)).toEqual([8]);
  });
});
