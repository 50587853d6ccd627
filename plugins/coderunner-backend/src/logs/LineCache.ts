import { Config } from '@backstage/config';
import { LogLine } from '@coderunner/plugin-coderunner-common';
import { LRUCache } from 'lru-cache';
import { readCacheBytes } from '../service/cacheBytes';

/** Consecutive sequence numbers kept together, and dropped together. */
const BLOCK_LINES = 256;
/** What a kept line costs beyond its text, about: the object, its ids and its timestamp. */
const LINE_OVERHEAD_BYTES = 240;
/** What a block costs with no line in it: two arrays of 256 slots, its key and its entry. */
const BLOCK_OVERHEAD_BYTES = 2 * BLOCK_LINES * 8 + 200;
/** Deployments whose id is remembered by entity ref and environment, at most. */
const MAX_HINTS = 10_000;
/** The share of the cache's bytes that whole pages may take; lines keep the rest. */
const PAGE_SHARE = 1 / 4;
/** What a kept page costs beyond its text and its key: its entry and the array of its lines. */
const PAGE_OVERHEAD_BYTES = 200;

/** 32 MiB of lines by default: about 50,000 lines of 100 characters, each read twice or more. */
export const DEFAULT_LINE_CACHE_BYTES = 32 * 1024 * 1024;
/**
 * The bytes of stored lines each replica keeps in memory for history reads, from
 * `coderunner.logs.lineCacheBytes` ({@link DEFAULT_LINE_CACHE_BYTES} when unset, 0 for none).
 *
 * @internal
 */
export function readLineCacheBytes(config: Config): number {
  return readCacheBytes(
    config,
    'coderunner.logs.lineCacheBytes',
    DEFAULT_LINE_CACHE_BYTES,
  );
}

/**
 * A page answered from kept lines alone: its lines, its JSON text as UTF-8 bytes (the answer's
 * body as sent) and an ETag for that text.
 *
 * @internal
 */
export type KeptPage = {
  /** Frozen: requests share them. */
  lines: readonly LogLine[];
  /** Not a slice of Node's shared pool, so that it holds no more memory than its own. */
  text: Buffer;
  etag: string;
};

type Block = {
  deploymentId: string;
  lines: (LogLine | undefined)[];
  /** Each kept line's JSON, written the first time the line is read from here. */
  texts: (string | undefined)[];
  /** What the block holds, counted: its own cost, its lines and their texts. */
  bytes: number;
};

/**
 * Stored log lines kept in memory by deployment and sequence number, for the history reads of
 * one store. A stored line never changes, so a kept one is always the stored one: which lines
 * a page holds is still asked of the database each time, and only their contents come from
 * here. Lines are kept in blocks of consecutive sequence numbers; the least recently read
 * block goes first once `maxBytes` is reached. Whole pages made of kept lines may take up to a
 * quarter of `maxBytes`, by their lines' numbers. 0 keeps nothing.
 *
 * @internal
 */
export class LineCache {
  /** By `deploymentId block`, least recently read first. */
  private readonly blocks = new Map<string, Block>();
  /** Kept blocks by deployment: a deployment with none is read whole, in one query. */
  private readonly counts = new Map<string, number>();
  /** The highest sequence number kept by deployment (or once kept: a block may have gone). */
  private readonly highest = new Map<string, number>();

  /** Deployment ids by `entityRef environment`, as last read: a hint, checked on every use. */
  private readonly hints?: LRUCache<string, string>;
  /**
   * Whole pages by `deploymentId:seqs`, least recently read first, at most {@link PAGE_SHARE}
   * of the bytes. A stored line never changes, so the lines' numbers say what a page holds.
   */
  private readonly pages = new Map<string, { page: KeptPage; bytes: number }>();
  private pageBytes = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {
    if (maxBytes > 0) this.hints = new LRUCache({ max: MAX_HINTS });
  }

  /**
   * Whether a line of the deployment after `after` may be kept, so that asking for a page's
   * keys first may pay. Lines after the highest one kept (a live reader's next lines, the
   * newest page) are read whole.
   */
  mayHold(deploymentId: string, after: number): boolean {
    return (this.highest.get(deploymentId) ?? -1) > after;
  }

  /**
   * The kept lines for `seqs` of a deployment, in their order (undefined where not kept), and
   * each kept line's JSON text, the same as `JSON.stringify(line)`, written once per line.
   */
  lookup(
    deploymentId: string,
    seqs: number[],
  ): { lines: (LogLine | undefined)[]; texts: (string | undefined)[] } {
    const lines = new Array<LogLine | undefined>(seqs.length);
    const texts = new Array<string | undefined>(seqs.length);
    let blockNumber = -1;
    let block: Block | undefined;
    for (let i = 0; i < seqs.length; i++) {
      const seq = seqs[i];
      const n = Math.floor(seq / BLOCK_LINES);
      if (n !== blockNumber) {
        blockNumber = n;
        block = this.touch(`${deploymentId} ${n}`);
      }
      if (!block) continue;
      const at = seq - n * BLOCK_LINES;
      const line = block.lines[at];
      if (!line) continue;
      lines[i] = line;
      let text = block.texts[at];
      if (text === undefined) {
        text = JSON.stringify(line);
        block.texts[at] = text;
        block.bytes += text.length * 2;
        this.bytes += text.length * 2;
      }
      texts[i] = text;
    }
    this.evict();
    return { lines, texts };
  }

  put(deploymentId: string, lines: LogLine[]) {
    if (this.maxBytes <= 0 || lines.length === 0) return;
    let blockNumber = -1;
    let block: Block | undefined;
    let highest = this.highest.get(deploymentId) ?? -1;
    for (const line of lines) {
      const n = Math.floor(line.seq / BLOCK_LINES);
      if (n !== blockNumber || !block) {
        blockNumber = n;
        const key = `${deploymentId} ${n}`;
        block = this.touch(key);
        if (!block) {
          block = {
            deploymentId,
            lines: new Array(BLOCK_LINES),
            texts: new Array(BLOCK_LINES),
            bytes: BLOCK_OVERHEAD_BYTES,
          };
          this.bytes += BLOCK_OVERHEAD_BYTES;
          this.blocks.set(key, block);
          this.counts.set(
            deploymentId,
            (this.counts.get(deploymentId) ?? 0) + 1,
          );
        }
      }
      const at = line.seq - n * BLOCK_LINES;
      if (block.lines[at]) continue;
      const size = line.line.length * 2 + LINE_OVERHEAD_BYTES;
      block.lines[at] = line;
      block.bytes += size;
      this.bytes += size;
      if (line.seq > highest) highest = line.seq;
    }
    this.highest.set(deploymentId, highest);
    this.evict();
  }

  /**
   * The page kept for the lines `seqs` of a deployment: their sequence numbers joined by
   * commas, as the database gave them.
   */
  page(deploymentId: string, seqs: string): KeptPage | undefined {
    const key = `${deploymentId}:${seqs}`;
    const kept = this.pages.get(key);
    if (!kept) return undefined;
    this.pages.delete(key);
    this.pages.set(key, kept);
    return kept.page;
  }

  /**
   * Keeps a page under its lines' numbers (as {@link page} is asked for them), unless it would
   * take more than the pages' share alone; the least recently read pages go first to make room.
   * A page is counted at its text, its key, and its lines at what each costs in a block.
   */
  keepPage(deploymentId: string, seqs: string, page: KeptPage) {
    const key = `${deploymentId}:${seqs}`;
    if (this.maxBytes <= 0 || this.pages.has(key)) return;
    // Its lines are counted as if it held them alone: they outlive their blocks while it is kept.
    let bytes =
      page.text.length +
      key.length * 2 +
      page.lines.length * 8 +
      PAGE_OVERHEAD_BYTES;
    for (const line of page.lines) {
      bytes += line.line.length * 2 + LINE_OVERHEAD_BYTES;
    }
    const share = this.maxBytes * PAGE_SHARE;
    if (bytes > share) return;
    this.pages.set(key, { page, bytes });
    this.pageBytes += bytes;
    this.bytes += bytes;
    for (const [oldest, kept] of this.pages) {
      if (this.pageBytes <= share) break;
      this.pages.delete(oldest);
      this.pageBytes -= kept.bytes;
      this.bytes -= kept.bytes;
    }
    this.evict();
  }

  /** The deployment id last read for an entity ref and environment, if any. */
  hint(key: string): string | undefined {
    return this.hints?.get(key);
  }

  remember(key: string, deploymentId: string) {
    this.hints?.set(key, deploymentId);
  }

  forget(key: string) {
    this.hints?.delete(key);
  }

  /** Bytes kept, about, for tests. */
  get size(): number {
    return this.bytes;
  }

  /** A kept block, now the most recently read. */
  private touch(key: string): Block | undefined {
    const block = this.blocks.get(key);
    if (block) {
      this.blocks.delete(key);
      this.blocks.set(key, block);
    }
    return block;
  }

  private evict() {
    for (const [key, block] of this.blocks) {
      if (this.bytes <= this.maxBytes) return;
      this.blocks.delete(key);
      this.bytes -= block.bytes;
      const left = (this.counts.get(block.deploymentId) ?? 1) - 1;
      if (left > 0) {
        this.counts.set(block.deploymentId, left);
      } else {
        this.counts.delete(block.deploymentId);
        this.highest.delete(block.deploymentId);
      }
    }
  }
}
