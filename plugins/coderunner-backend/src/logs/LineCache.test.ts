import { ConfigReader } from '@backstage/config';
import { LogLine } from '@coderunner/plugin-coderunner-common';
import {
  DEFAULT_LINE_CACHE_BYTES,
  LineCache,
  readLineCacheBytes,
} from './LineCache';

const line = (seq: number, text = String(seq).padStart(6, '0')): LogLine => ({
  seq,
  stream: 'stdout',
  line: text,
  createdAt: '2026-11-30T12:00:00.000Z',
});
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

describe('LineCache', () => {
  it('hands back the kept line objects by deployment and sequence number, across blocks', () => {
    const cache = new LineCache(DEFAULT_LINE_CACHE_BYTES);
    const kept = lines(250, 260);
    cache.put('a', kept);
    cache.put('b', [line(255, 'of b')]);
    const found = cache.lookup('a', [249, 250, 255, 256, 260, 261]).lines;
    expect(found).toEqual([
      undefined,
      kept[0],
      kept[5],
      kept[6],
      kept[10],
      undefined,
    ]);
    expect(found[1]).toBe(kept[0]);
    expect(cache.lookup('b', [255]).lines[0]?.line).toBe('of b');
    expect(cache.mayHold('a', 249)).toBe(true);
    expect(cache.mayHold('a', 259)).toBe(true);
    // Nothing after the highest kept line: a live reader's next lines are read whole.
    expect(cache.mayHold('a', 260)).toBe(false);
    expect(cache.mayHold('c', 0)).toBe(false);
    // A line already kept stays the same object.
    cache.put('a', [line(250, 'changed?')]);
    expect(cache.lookup('a', [250]).lines[0]).toBe(kept[0]);
  });

  it('drops the least recently read block first, and forgets a deployment with none left', () => {
    // Each line here costs 2 × 6 characters + 240 = 252 bytes, a block 2 × 256 × 8 + 200 bytes
    // of its own: a full block is 256 × 252 + 4,296 = 68,808 bytes.
    const block = 256 * 252 + 4296;
    // A line's JSON, once read from the cache, counts too (twice its length).
    const text = JSON.stringify(line(0)).length * 2;
    const cache = new LineCache(2 * block + text);
    cache.put('a', lines(0, 511)); // blocks a0 and a1
    cache.lookup('a', [0]); // a0 is now read more recently than a1, and its line 0 has a text
    expect(cache.size).toBe(2 * block + text); // full
    cache.put('b', lines(0, 255)); // one block over: a1 goes
    expect(cache.lookup('a', [256]).lines).toEqual([undefined]);
    expect(cache.mayHold('a', 0)).toBe(true);
    expect(cache.size).toBe(2 * block + text);
    cache.put('c', lines(0, 255)); // a0 was read before b0 was kept: a0 goes
    expect(cache.mayHold('a', -1)).toBe(false);
    expect(cache.lookup('a', [0]).lines).toEqual([undefined]);
    expect(cache.size).toBe(2 * block);
    // Reading b0's line 0 writes its text: over again, and c0 (read less recently) goes.
    expect(cache.lookup('b', [0, 255]).lines).toEqual([line(0), line(255)]);
    expect(cache.mayHold('b', 0)).toBe(true);
    expect(cache.mayHold('c', 0)).toBe(false);
  });

  it('keeps whole pages by their lines, within a quarter of its bytes, least recently read going first', () => {
    // A page of 1,000 bytes of text and 2 lines, kept under 'a:10,11' (7 characters), costs
    // 1,000 + 2 × 7 + 2 × 8 + 200 = 1,230 bytes, and its lines what they cost in a block
    // (2 × 6 characters + 240 bytes each): 1,734 bytes. A quarter of 14,000 holds two.
    const page = (seq: number) => ({
      lines: [line(seq), line(seq + 1)],
      text: Buffer.alloc(1000, seq),
      etag: `W/"${seq}"`,
    });
    const seqs = (seq: number) => `${seq},${seq + 1}`;
    const cache = new LineCache(14_000);
    cache.keepPage('a', seqs(10), page(10));
    cache.keepPage('a', seqs(20), page(20));
    expect(cache.size).toBe(2 * 1734);
    expect(cache.page('a', seqs(10))?.etag).toBe('W/"10"');
    // Only the deployment and the numbers together name a page.
    expect(cache.page('b', seqs(10))).toBeUndefined();
    expect(cache.page('a', '10,12')).toBeUndefined();
    // A third is over the share: the least recently read (20) goes.
    cache.keepPage('a', seqs(30), page(30));
    expect(cache.page('a', seqs(20))).toBeUndefined();
    expect(cache.page('a', seqs(10))?.text).toEqual(Buffer.alloc(1000, 10));
    expect(cache.page('a', seqs(30))).toBeDefined();
    expect(cache.size).toBe(2 * 1734);
    // Lines keep the rest: three blocks of 3 lines (4,296 + 3 × 252 bytes each) are more than
    // that, and the oldest block goes, not a page.
    cache.put('a', lines(0, 2));
    cache.put('b', lines(0, 2));
    cache.put('c', lines(0, 2));
    expect(cache.size).toBe(2 * 1734 + 2 * 5052);
    expect(cache.mayHold('a', -1)).toBe(false);
    expect(cache.mayHold('c', -1)).toBe(true);
    expect(cache.page('a', seqs(10))).toBeDefined();
    expect(cache.page('a', seqs(30))).toBeDefined();
    // A page bigger than the share alone is not kept, and none is at 0 bytes.
    cache.keepPage('a', seqs(40), { ...page(40), text: Buffer.alloc(3500) });
    expect(cache.page('a', seqs(40))).toBeUndefined();
    const none = new LineCache(0);
    none.keepPage('a', seqs(10), page(10));
    expect(none.page('a', seqs(10))).toBeUndefined();
    expect(none.size).toBe(0);
  });

  it('counts a block it keeps for a single line at its whole cost', () => {
    // Sparse lines (a filter on a rare stream) each take a block: counted, so they go soon.
    const cache = new LineCache(10 * 4296);
    for (let i = 0; i < 100; i++) cache.put('a', [line(i * 256)]);
    expect(cache.size).toBeLessThanOrEqual(10 * 4296);
    expect(cache.lookup('a', [99 * 256]).lines).toEqual([line(99 * 256)]);
    expect(cache.lookup('a', [0]).lines).toEqual([undefined]);
  });

  it("gives each kept line's JSON, the same as JSON.stringify, tricky text and absent fields included", () => {
    const cache = new LineCache(DEFAULT_LINE_CACHE_BYTES);
    const tricky: LogLine = {
      seq: 7,
      stream: 'stderr',
      line: '{"json": "with \\"quotes\\""} </script> \u2028 tab\t emoji 🚀 nul \u0000',
      createdAt: '2026-11-30T12:00:00.000Z',
      level: 'error',
      releaseId: 'r1',
      instanceId: 'i1',
    };
    const plain: LogLine = { ...line(8, ''), level: undefined };
    cache.put('a', [tricky, plain]);
    const { lines: found, texts } = cache.lookup('a', [7, 8, 9]);
    expect(found).toEqual([tricky, plain, undefined]);
    expect(texts).toEqual([
      JSON.stringify(tricky),
      JSON.stringify(plain),
      undefined,
    ]);
    expect(cache.lookup('a', [7]).texts[0]).toBe(texts[0]);
  });

  it('remembers deployment ids by key, and forgets them', () => {
    const cache = new LineCache(DEFAULT_LINE_CACHE_BYTES);
    cache.remember('component:default/shop development', 'a');
    expect(cache.hint('component:default/shop development')).toBe('a');
    cache.forget('component:default/shop development');
    expect(cache.hint('component:default/shop development')).toBeUndefined();
  });

  it('keeps nothing at 0 bytes', () => {
    const cache = new LineCache(0);
    cache.put('a', lines(1, 10));
    cache.remember('key', 'a');
    expect(cache.mayHold('a', 0)).toBe(false);
    expect(cache.lookup('a', [1]).lines).toEqual([undefined]);
    expect(cache.hint('key')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('reads its size from coderunner.logs.lineCacheBytes, and names the key when it is wrong', () => {
    const read = (lineCacheBytes: number) =>
      readLineCacheBytes(
        new ConfigReader({ coderunner: { logs: { lineCacheBytes } } }),
      );
    expect(readLineCacheBytes(new ConfigReader({}))).toBe(
      DEFAULT_LINE_CACHE_BYTES,
    );
    expect(read(0)).toBe(0);
    expect(read(1048576)).toBe(1048576);
    for (const wrong of [-1, 1.5, 2 * 1024 * 1024 * 1024]) {
      expect(() => read(wrong)).toThrow(
        `coderunner.logs.lineCacheBytes must be a whole number of bytes from 0 (no cache) to 1073741824 (1 GiB); got ${wrong}`,
      );
    }
  });
});
