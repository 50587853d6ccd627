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

/** After the promise callbacks of what was answered so far have run. */
const settled = () => new Promise(resolve => setImmediate(resolve));

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

  describe('answers past three quarters of their time', () => {
    /** A cache of 1,000 ms on a clock the test moves. */
    function clocked() {
      const clock = { ms: 0 };
      return { clock, cache: new ReadCache(1_000, { now: () => clock.ms }) };
    }

    it('are given at once while one load renews them in the background', async () => {
      const { clock, cache } = clocked();
      await cache.get('k', async () => 'first', always);
      const renewal = controlledLoad<string>();
      clock.ms = 700;
      expect(await cache.get('k', renewal.load, always)).toBe('first');
      expect(renewal.state.started).toBe(0);
      clock.ms = 800;
      expect(await cache.get('k', renewal.load, always)).toBe('first');
      expect(await cache.get('k', renewal.load, always)).toBe('first');
      expect(renewal.state.started).toBe(1);
      clock.ms = 900;
      renewal.state.answer('second');
      await settled();
      expect(await cache.get('k', renewal.load, always)).toBe('second');
      // Kept from when it arrived (900): still given at 1,500, with no new load.
      clock.ms = 1_500;
      expect(await cache.get('k', renewal.load, always)).toBe('second');
      expect(renewal.state.started).toBe(1);
    });

    it('are forgotten when keep refuses the renewal', async () => {
      const { clock, cache } = clocked();
      const allowed = (value: string) => value === 'ALLOW';
      await cache.get('k', async () => 'ALLOW', allowed);
      clock.ms = 800;
      let loads = 0;
      const revoked = async () => {
        loads++;
        return 'DENY';
      };
      expect(await cache.get('k', revoked, allowed)).toBe('ALLOW');
      await settled();
      // Long before the first answer ran out, the refusal is what an ask gets.
      expect(await cache.get('k', revoked, allowed)).toBe('DENY');
      expect(loads).toBe(2);
    });

    it('run out when their renewal fails, and are never given after their time', async () => {
      const { clock, cache } = clocked();
      await cache.get('k', async () => 'first', always);
      clock.ms = 800;
      const failing = controlledLoad<string>();
      expect(await cache.get('k', failing.load, always)).toBe('first');
      failing.state.fail(new Error('catalog unavailable'));
      await settled();
      expect(await cache.get('k', failing.load, always)).toBe('first');
      expect(failing.state.started).toBe(2);
      // At 1,000 the renewal under way (the second) is waited for, not the old answer given.
      clock.ms = 1_000;
      const late = cache.get('k', failing.load, always);
      failing.state.answer('third');
      expect(await late).toBe('third');
      expect(failing.state.started).toBe(2);
    });
  });

  it('never gives a kept answer that ran out or was revoked while other keys loaded', async () => {
    const clock = { ms: 0 };
    const cache = new ReadCache(1_000, { now: () => clock.ms });
    const allow = (value: string) => value === 'ALLOW';
    await cache.getMany(['a'], async () => ['ALLOW'], allow);
    // At 800, a is given from memory (and renewed in the background) while b loads.
    clock.ms = 800;
    const calls: { indexes: number[]; answer: (v: string[]) => void }[] = [];
    const load = (indexes: number[]) =>
      new Promise<string[]>(resolve =>
        calls.push({ indexes, answer: resolve }),
      );
    const ask = cache.getMany(['a', 'b'], load, allow);
    await settled();
    expect(calls.map(c => c.indexes)).toEqual([[0], [1]]);
    calls[0].answer(['DENY']);
    clock.ms = 1_100;
    calls[1].answer(['ALLOW']);
    await settled();
    // a was revoked meanwhile (and would have run out): asked again, not given as ALLOW.
    expect(calls.map(c => c.indexes)).toEqual([[0], [1], [0]]);
    calls[2].answer(['DENY']);
    expect(await ask).toEqual(['DENY', 'ALLOW']);
  });

  it('fails an ask whose load throws at once, without breaking later asks', async () => {
    const cache = new ReadCache(60_000);
    const throwing = () => {
      throw new Error('bad request');
    };
    await expect(cache.get('k', throwing, always)).rejects.toThrow(
      'bad request',
    );
    await expect(cache.get('k', async () => 'v', always)).resolves.toBe('v');
  });

  it('shares the loads of many keys with concurrent asks', async () => {
    const cache = new ReadCache(60_000);
    const first = controlledLoad<number[]>();
    const loads: number[][] = [];
    const a = cache.getMany(
      ['a', 'b'],
      indexes => {
        loads.push(indexes);
        return first.load();
      },
      always,
    );
    const b = cache.getMany(
      ['b', 'c'],
      async indexes => {
        loads.push(indexes);
        return indexes.map(() => 3);
      },
      always,
    );
    first.state.answer([1, 2]);
    expect(await Promise.all([a, b])).toEqual([
      [1, 2],
      [2, 3],
    ]);
    // The second ask loaded only c; b came from the first ask's load.
    expect(loads).toEqual([[0, 1], [1]]);
  });
});
