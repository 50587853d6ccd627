import { LogLine } from '@coderunner/plugin-coderunner-common';
import { LogHub } from '../logs/LogHub';
import { LogStore } from '../logs/LogStore';

/** Recent lines kept in memory per deployment, so live subscribers never touch the database. */
const BUFFER_LINES = 5000;
const PAGE = 1000;
/**
 * Socket writes per second one feed aims to stay under. Every announcement of new lines costs
 * one write per subscriber, so with many subscribers announcements are spaced out and carry
 * more lines each: 100 subscribers get a frame at most every 2.5 ms, 1,000 every 20 ms.
 */
const FANOUT_WRITES_PER_SECOND = 40_000;
/** The longest an announcement waits for more lines, however many subscribers there are. */
const MAX_ANNOUNCE_DELAY_MS = 20;
/**
 * Serialized messages kept (the newest ones; ranges × filters × subscription ids are the
 * clients' choice, so the number is bounded, not the kinds).
 */
const MAX_ENCODED = 64;

/**
 * A subscription's filter as the feed shares frames by: subscribers with the same `key` (and
 * subscription id) at the same cursor get the same serialized message.
 *
 * @internal
 */
export interface SharedFilter {
  key: string;
  matches(line: LogLine): boolean;
}

/**
 * Someone following a deployment through a {@link DeploymentFeed}.
 *
 * @internal
 */
export interface FeedListener {
  /** New lines are in the feed (or may be): read from your cursor. */
  onLines(): void;
  onStatus(): void;
}

/**
 * The newest lines of one deployment, shared by every subscriber on this backend. Lines this
 * process writes are handed over by the store right after their commit; lines written
 * elsewhere (other replicas, woken by the LogHub) or missed are read from the store by cursor,
 * once. It keeps the last few thousand lines in memory; subscribers further behind read the
 * store themselves. The buffer only ever grows by the line right after `head`, so it stays in
 * order and without holes.
 *
 * @internal
 */
export class DeploymentFeed {
  /** The newest sequence number read from the store. */
  head = 0;
  /** `buffer` holds every stored line with a sequence number above this. */
  private coveredFrom = 0;
  private buffer: LogLine[] = [];
  private readonly listeners = new Set<FeedListener>();
  private pulling?: Promise<void>;
  private pullAgain = false;
  private unsubscribe?: () => void;
  private unhear?: () => void;
  private isReady = false;
  /** Whole messages by range, filter and subscription id, oldest first; null: nothing to send. */
  private readonly encoded = new Map<string, Buffer | null>();
  /** The JSON of a range's lines that pass a filter, oldest first; null: none pass. */
  private readonly encodedLines = new Map<string, string | null>();
  private announceTimer?: NodeJS.Timeout;
  private lastAnnounce = 0;
  readonly ready: Promise<void>;

  constructor(
    readonly deploymentId: string,
    private readonly store: LogStore,
    hub: LogHub,
  ) {
    this.unsubscribe = hub.subscribe(deploymentId, event => {
      if (event.status) {
        for (const listener of this.listeners) listener.onStatus();
      } else if (event.lastSeq === undefined || event.lastSeq > this.head) {
        void this.pull();
      }
    });
    this.unhear = store.onAppended(deploymentId, lines => this.take(lines));
    this.ready = store.head(deploymentId).then(head => {
      this.head = Math.max(this.head, head);
      this.coveredFrom = this.head;
      this.isReady = true;
    });
  }

  /**
   * A `lines` message for subscription `id` carrying the lines after `after` up to `upTo` that
   * pass `filter` (all of them without one), from memory: serialized once for every subscriber
   * with the same range, filter and id, whatever the number of sockets it goes to. Live
   * subscribers all ask for the newest lines, and subscribers that fell behind together (a
   * stall) catch up together, so neither costs JSON per subscriber. Null when no line of the
   * range passes the filter (nothing to send; the cursor moves on). Undefined when memory does
   * not hold the range whole (the subscriber reads it the long way).
   */
  rangeMessage(
    id: string,
    after: number,
    upTo: number,
    filter?: SharedFilter,
  ): Buffer | null | undefined {
    const range = `${after}-${upTo}\n${filter ? filter.key : ''}`;
    const key = `${range}\n${id}`;
    // Stored lines never change, so what was serialized for a range stays right.
    const cached = this.encoded.get(key);
    if (cached !== undefined) return cached;
    let json = this.encodedLines.get(range);
    if (json === undefined) {
      if (upTo <= after || upTo > this.head || !this.covers(after))
        return undefined;
      const items = this.linesAfter(after, upTo - after);
      // Sequence numbers only grow: this count and last number mean no line is missing.
      if (items.length !== upTo - after || items[items.length - 1].seq !== upTo)
        return undefined;
      const passing = filter ? items.filter(filter.matches) : items;
      json = passing.length > 0 ? JSON.stringify(passing) : null;
      remember(this.encodedLines, range, json);
    }
    const message =
      json === null
        ? null
        : Buffer.from(
            `{"type":"lines","id":${JSON.stringify(
              id,
            )},"items":${json},"lastSeq":${upTo}}`,
          );
    remember(this.encoded, key, message);
    return message;
  }

  /** Lines this process just stored: appended at once when they follow the head, else read. */
  private take(lines: LogLine[]) {
    if (lines.length === 0) return;
    const last = lines[lines.length - 1].seq;
    if (last <= this.head) return;
    if (!this.isReady || this.pulling || lines[0].seq !== this.head + 1) {
      void this.pull();
      return;
    }
    this.append(lines, last);
  }

  private append(items: LogLine[], lastSeq: number) {
    for (const item of items) this.buffer.push(item);
    this.head = lastSeq;
    if (this.buffer.length > BUFFER_LINES) {
      const dropped = this.buffer.splice(0, this.buffer.length - BUFFER_LINES);
      this.coveredFrom = dropped[dropped.length - 1].seq;
    }
    this.announce();
  }

  /** Tells the listeners about new lines now, or a little later when there are many of them. */
  private announce() {
    if (this.announceTimer) return;
    const spacing = Math.min(
      MAX_ANNOUNCE_DELAY_MS,
      (this.listeners.size * 1000) / FANOUT_WRITES_PER_SECOND,
    );
    const wait = this.lastAnnounce + spacing - performance.now();
    if (wait < 1) {
      this.announceNow();
      return;
    }
    this.announceTimer = setTimeout(() => {
      this.announceTimer = undefined;
      this.announceNow();
    }, wait);
  }

  private announceNow() {
    this.lastAnnounce = performance.now();
    for (const listener of this.listeners) listener.onLines();
  }

  add(listener: FeedListener) {
    this.listeners.add(listener);
  }

  remove(listener: FeedListener) {
    this.listeners.delete(listener);
  }

  get listenerCount() {
    return this.listeners.size;
  }

  close() {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unhear?.();
    this.unhear = undefined;
    clearTimeout(this.announceTimer);
    this.announceTimer = undefined;
    this.buffer = [];
    this.encoded.clear();
    this.encodedLines.clear();
  }

  /** Whether the buffer can answer for every line after `cursor`. */
  covers(cursor: number) {
    return cursor >= this.coveredFrom;
  }

  /** Up to `limit` buffered lines after `cursor`, oldest first. */
  linesAfter(cursor: number, limit: number): LogLine[] {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.buffer[mid].seq <= cursor) low = mid + 1;
      else high = mid;
    }
    return this.buffer.slice(low, low + limit);
  }

  private pull(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      await this.ready;
      do {
        this.pullAgain = false;
        for (;;) {
          const page = await this.store.read(this.deploymentId, {
            after: this.head,
            limit: PAGE,
          });
          if (page.items.length === 0) break;
          this.append(page.items, page.lastSeq);
          if (page.items.length < PAGE) break;
        }
      } while (this.pullAgain);
    })()
      .catch(() => {
        // The next wake-up (or a reconnecting subscriber) reads again from the same cursor.
      })
      .finally(() => {
        this.pulling = undefined;
      });
    return this.pulling;
  }
}

/** Keeps `value` under `key`, dropping the oldest entry beyond MAX_ENCODED. */
function remember<T>(map: Map<string, T>, key: string, value: T) {
  map.set(key, value);
  if (map.size > MAX_ENCODED) map.delete(map.keys().next().value!);
}
