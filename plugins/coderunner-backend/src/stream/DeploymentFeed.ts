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
/** Encoded messages kept per frame (subscription ids × filters are the clients' choice). */
const MAX_ENCODED_PER_FRAME = 64;

/**
 * A subscription's filter as the feed shares frames by: subscribers with the same `key` (and
 * subscription id) get the same encoded message.
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
  /** The newest frame of lines, encoded once per subscription id and filter. */
  private frame?: {
    after: number;
    upTo: number;
    items: LogLine[];
    /** The JSON of the lines that pass each filter ('' for the unfiltered); null: none pass. */
    json: Map<string, string | null>;
    /** Whole messages by filter and subscription id; null: nothing to send. */
    encoded: Map<string, Buffer | null>;
  };
  /** Lines up to here were announced to the listeners. */
  private announcedHead = 0;
  /** Lines stored since the last announcement (while no more than a page). */
  private unannounced: LogLine[] = [];
  private overflow = false;
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
      this.announcedHead = this.head;
      this.isReady = true;
    });
  }

  /**
   * A `lines` message for subscription `id` carrying the lines after `after` up to `upTo` that
   * pass `filter` (all of them without one), when those are the newest frame: serialized once
   * for every subscriber with that id and filter, whatever the number of sockets it goes to.
   * Null when no line of the frame passes the filter (nothing to send; the cursor moves on).
   * Undefined when the lines asked for are not the newest frame.
   */
  frameMessage(
    id: string,
    after: number,
    upTo: number,
    filter?: SharedFilter,
  ): Buffer | null | undefined {
    const frame = this.frame;
    if (!frame || frame.after !== after || frame.upTo !== upTo)
      return undefined;
    const filterKey = filter ? `f${filter.key}` : '';
    const key = `${filterKey}\n${id}`;
    let message = frame.encoded.get(key);
    if (message === undefined) {
      let json = frame.json.get(filterKey);
      if (json === undefined) {
        const items = filter ? frame.items.filter(filter.matches) : frame.items;
        json = items.length > 0 ? JSON.stringify(items) : null;
        if (frame.json.size < MAX_ENCODED_PER_FRAME)
          frame.json.set(filterKey, json);
      }
      message =
        json === null
          ? null
          : Buffer.from(
              `{"type":"lines","id":${JSON.stringify(
                id,
              )},"items":${json},"lastSeq":${upTo}}`,
            );
      // Keep a bounded number, not one per socket.
      if (frame.encoded.size < MAX_ENCODED_PER_FRAME)
        frame.encoded.set(key, message);
    }
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
    if (!this.overflow && this.unannounced.length + items.length <= PAGE) {
      for (const item of items) this.unannounced.push(item);
    } else {
      this.overflow = true;
      this.unannounced = [];
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
    const after = this.announcedHead;
    const items = this.unannounced;
    // Only a frame without holes is shared; one with a retention gap goes the long way.
    const whole =
      !this.overflow &&
      items.length > 0 &&
      items[0].seq === after + 1 &&
      this.head === after + items.length;
    this.frame = whole
      ? { after, upTo: this.head, items, json: new Map(), encoded: new Map() }
      : undefined;
    this.announcedHead = this.head;
    this.unannounced = [];
    this.overflow = false;
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
    this.unannounced = [];
    this.frame = undefined;
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
