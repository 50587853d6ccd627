import {
  LogFilter,
  LogLine,
  StreamServerMessage,
} from '@coderunner/plugin-coderunner-common';
import { LogStore } from '../logs/LogStore';
import { DeploymentFeed, FeedListener, SharedFilter } from './DeploymentFeed';
import { matchesFilter } from './matchesFilter';

/** Lines per frame at most; a frame carries whatever arrived since the last one. */
const FRAME_LINES = 1000;
const CONGESTION_RETRY_MS = 50;

/**
 * Where a subscription sends its frames, and whether that pipe is full.
 *
 * @internal
 */
export interface FrameSink {
  send(message: StreamServerMessage): void;
  /** Sends a message already encoded as JSON text (UTF-8); the buffer may be shared. */
  sendEncoded?(message: Buffer): void;
  congested(): boolean;
}

/**
 * One client's view of one deployment's logs: a cursor that only moves forward. Each wake-up
 * sends everything after the cursor, from the feed's memory when it has it and from the store
 * when the client is further behind (after a resume, or when its socket was full), so a slow
 * client falls behind and catches up but never loses a line. Lines that no longer exist are
 * reported with an explicit `gap` message.
 *
 * @internal
 */
export class LogSubscription implements FeedListener {
  private pumping = false;
  private again = false;
  private closed = false;
  private retry?: NodeJS.Timeout;
  private readonly text?: string;
  /** The filter by which the feed shares encoded frames; undefined when every line passes. */
  private readonly shared?: SharedFilter;

  constructor(
    readonly id: string,
    private readonly feed: DeploymentFeed,
    private readonly store: LogStore,
    private readonly sink: FrameSink,
    private cursor: number,
    private readonly filter: LogFilter = {},
  ) {
    this.text = filter.text
      ? filter.text.toLocaleLowerCase('en-US')
      : undefined;
    const unfiltered =
      !filter.instanceId &&
      !filter.releaseId &&
      !filter.streams?.length &&
      !filter.levels?.length &&
      !this.text;
    if (!unfiltered) {
      const text = this.text;
      this.shared = {
        key: JSON.stringify([
          filter.instanceId ?? null,
          filter.releaseId ?? null,
          [...(filter.streams ?? [])].sort(),
          [...(filter.levels ?? [])].sort(),
          text ?? null,
        ]),
        matches: line => matchesFilter(line, filter, text),
      };
    }
  }

  onLines() {
    // The common case, without a promise: a live subscriber one frame behind gets it at once.
    if (
      !this.pumping &&
      !this.closed &&
      this.sendFrame() &&
      this.cursor >= this.feed.head
    )
      return;
    void this.pump();
  }

  onStatus() {}

  close() {
    this.closed = true;
    clearTimeout(this.retry);
  }

  async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.closed && this.cursor < this.feed.head) {
          if (this.sink.congested()) {
            // Nothing is dropped: the cursor stays, and the next attempt reads from it.
            clearTimeout(this.retry);
            this.retry = setTimeout(
              () => void this.pump(),
              CONGESTION_RETRY_MS,
            );
            return;
          }
          await this.sendNext();
        }
      } while (this.again && !this.closed);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Sends the next frame (up to FRAME_LINES lines after the cursor) from the feed's memory,
   * serialized once for every subscriber at the same cursor with the same id and filter.
   * Whether the cursor moved (or had nowhere to go); false leaves it to the long way.
   */
  private sendFrame(): boolean {
    const head = this.feed.head;
    if (this.cursor >= head) return true;
    if (!this.sink.sendEncoded || this.sink.congested()) return false;
    const upTo = Math.min(head, this.cursor + FRAME_LINES);
    const message = this.feed.rangeMessage(
      this.id,
      this.cursor,
      upTo,
      this.shared,
    );
    if (message === undefined) return false;
    if (message !== null) this.sink.sendEncoded(message);
    this.cursor = upTo;
    return true;
  }

  private async sendNext() {
    if (this.sendFrame()) return;
    const head = this.feed.head;
    let items: LogLine[];
    let upTo: number;
    if (this.feed.covers(this.cursor)) {
      items = this.feed.linesAfter(this.cursor, FRAME_LINES);
      upTo = items.length === FRAME_LINES ? items[items.length - 1].seq : head;
    } else {
      const page = await this.store.read(this.feed.deploymentId, {
        after: this.cursor,
        limit: FRAME_LINES,
      });
      items = page.items;
      if (items.length === 0) {
        // Everything from the cursor up to what the feed holds was deleted (retention).
        upTo = this.feed.covers(this.cursor)
          ? head
          : Math.min(head, this.firstBufferedCursor());
      } else {
        upTo =
          items.length === FRAME_LINES
            ? page.lastSeq
            : items[items.length - 1].seq;
      }
    }
    if (this.closed) return;
    let matched: LogLine[] = [];
    let previous = this.cursor;
    for (const line of items) {
      if (line.seq > previous + 1) {
        this.flush(matched, previous);
        matched = [];
        this.sink.send({
          type: 'gap',
          id: this.id,
          from: previous + 1,
          to: line.seq - 1,
          reason: 'retention',
        });
      }
      if (matchesFilter(line, this.filter, this.text)) matched.push(line);
      previous = line.seq;
    }
    if (items.length === 0 && upTo > previous) {
      this.sink.send({
        type: 'gap',
        id: this.id,
        from: previous + 1,
        to: upTo,
        reason: 'retention',
      });
    }
    this.flush(matched, upTo);
    this.cursor = upTo;
  }

  private flush(items: LogLine[], lastSeq: number) {
    if (items.length > 0) {
      this.sink.send({ type: 'lines', id: this.id, items, lastSeq });
    }
  }

  private firstBufferedCursor() {
    const first = this.feed.linesAfter(this.cursor, 1)[0];
    return first ? first.seq - 1 : this.feed.head;
  }
}
