import {
  LogLevel,
  LogLine,
  LogPage,
  LogSearchPage,
  LogStream,
} from '@coderunner/plugin-coderunner-common';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { DbTime, PG_TEXT_TIMES, toIso, toIsoRun } from '../database/dbTime';
import { detectLevel } from './detectLevel';
import { DEFAULT_LINE_CACHE_BYTES, KeptPage, LineCache } from './LineCache';
import { addKeyedListener } from './keyedListeners';
import {
  AppendListener,
  LogQuery,
  LogStore,
  NewLogLine,
  PageText,
} from './LogStore';
import { chunks } from '../database/chunks';

const LINES = 'coderunner_log_lines';
const DEPLOYMENTS = 'coderunner_deployments';
const OFFSETS = 'coderunner_log_offsets';

type LogLineRow = {
  deployment_id: string;
  seq: number | string;
  release_id: string | null;
  instance_id: string | null;
  stream: LogStream;
  level: LogLevel | null;
  line: string;
  created_at: DbTime;
};

/** The columns a line is read with. */
const LINE_COLUMNS = [
  'seq',
  'release_id',
  'instance_id',
  'stream',
  'level',
  'line',
  'created_at',
] as const;

/** Rows per INSERT statement on SQLite: a compound SELECT, at most 500 terms. */
const SQLITE_INSERT_CHUNK = 500;

/** Lines a filtered read looks at per page before it answers, so a rare match stays cheap. */
const SCAN_LIMIT = 20_000;

/** The most matches one search answers with; page on with `next`. */
const MAX_SEARCH_MATCHES = 10_000;

/**
 * Raised whenever the JSON of a line or a page changes shape, so that a page's ETag (made of
 * what the page holds, not of its text) never stands for text of another release.
 */
const PAGE_TEXT_FORMAT = 1;

/**
 * {@link LogStore} in the plugin's database (SQLite or PostgreSQL): the tables
 * `coderunner_log_lines` and `coderunner_log_offsets`, and the `log_seq` column of
 * `coderunner_deployments`, which the plugin's migrations create (they run once at start-up,
 * before any store exists). The sequence number has no gaps: it is taken from the deployment
 * row inside the same transaction that inserts the lines.
 *
 * @internal
 */
export class DatabaseLogStore implements LogStore {
  static create(options: {
    knex: Knex;
    /** Bytes of stored lines kept in memory for history reads; 0 keeps none. */
    lineCacheBytes?: number;
  }): DatabaseLogStore {
    return new DatabaseLogStore(
      options.knex,
      new LineCache(options.lineCacheBytes ?? DEFAULT_LINE_CACHE_BYTES),
    );
  }

  private readonly appendListeners = new Map<string, Set<AppendListener>>();
  /** The JSON text of pages this store answered from kept lines alone, by page. */
  private readonly pageTexts = new WeakMap<LogPage, PageText>();

  private constructor(
    private readonly knex: Knex,
    private readonly cache: LineCache,
  ) {}

  onAppended(deploymentId: string, listener: AppendListener): () => void {
    return addKeyedListener(this.appendListeners, deploymentId, listener);
  }

  async append(deploymentId: string, lines: NewLogLine[]): Promise<number> {
    if (lines.length === 0) {
      return 0;
    }
    let written: LogLine[] | undefined;
    /**
     * The batch's rows from its first sequence number (and, when someone listens, its lines),
     * made inside the transaction: its time and its listeners are those of the commit's turn.
     */
    const batch = (first: number) => {
      const listening = this.appendListeners.has(deploymentId);
      const built = batchRows(
        deploymentId,
        first,
        lines,
        new Date(),
        listening,
      );
      if (listening) written = built.out;
      return built.rows;
    };
    const offsets = lastOffsets(lines);
    const last =
      this.knex.client.config.client === 'better-sqlite3'
        ? await this.appendBetterSqlite(deploymentId, batch, offsets)
        : await this.appendThroughKnex(deploymentId, batch, offsets);
    if (written) {
      // After the commit: whoever hears this may send the lines on at once.
      for (const listener of this.appendListeners.get(deploymentId) ?? []) {
        try {
          listener(written);
        } catch {
          // A listener's failure is its own; it can still read by cursor.
        }
      }
    }
    return last;
  }

  /** One append as one knex transaction (PostgreSQL, and SQLite through another driver). */
  private appendThroughKnex(
    deploymentId: string,
    batch: (first: number) => LogLineInsert[],
    offsets: StoredOffset[],
  ): Promise<number> {
    return this.knex.transaction(async tx => {
      const query = tx(DEPLOYMENTS).where({ id: deploymentId });
      const row = await (this.isPostgres() ? query.forUpdate() : query).first(
        'log_seq',
      );
      if (!row) {
        return 0; // The deployment was deleted; its output goes nowhere.
      }
      const rows = batch(Number(row.log_seq) + 1);
      if (this.isPostgres()) {
        await insertPostgres(tx, deploymentId, rows[0].created_at, rows);
      } else {
        // One statement per chunk: SQLite's multi-row insert is a compound SELECT.
        for (let i = 0; i < rows.length; i += SQLITE_INSERT_CHUNK) {
          await tx(LINES).insert(
            rows.length <= SQLITE_INSERT_CHUNK
              ? rows
              : rows.slice(i, i + SQLITE_INSERT_CHUNK),
          );
        }
      }
      await this.storeOffsets(tx, deploymentId, offsets);
      const lastSeq = rows[rows.length - 1].seq;
      await tx(DEPLOYMENTS)
        .where({ id: deploymentId })
        .update({ log_seq: lastSeq });
      return lastSeq;
    });
  }

  /**
   * One append on better-sqlite3: the same statements as {@link appendThroughKnex}, prepared
   * once per connection and run in one synchronous transaction on the connection knex lends
   * (SQLite's pool has one, so this waits for any knex query in flight, as a knex query
   * would). An idle writer stores each line as it comes, so this runs for nearly every line;
   * through knex, its builders, compilers and promises made a young-generation collection
   * every ~130 appends.
   */
  private async appendBetterSqlite(
    deploymentId: string,
    batch: (first: number) => LogLineInsert[],
    offsets: StoredOffset[],
  ): Promise<number> {
    const client = this.knex.client;
    const connection: SqliteConnection = await client.acquireConnection();
    try {
      return sqliteAppend(connection)(deploymentId, batch, offsets);
    } finally {
      await client.releaseConnection(connection);
    }
  }

  async readOf(
    deployment: { entityRef: string; environment: string },
    options: LogQuery = {},
  ): Promise<LogPage | undefined> {
    // Entity ref and environment are the deployment's unique key.
    const row = () =>
      this.knex(DEPLOYMENTS).where({
        entity_ref: deployment.entityRef,
        environment: deployment.environment,
      });
    const id = async (): Promise<string | undefined> =>
      (await row().first('id'))?.id;
    if (options.levels?.length || options.text) {
      const found = await id();
      return found ? this.read(found, options) : undefined;
    }
    const key = `${deployment.entityRef} ${deployment.environment}`;
    const hinted = this.cache.hint(key);
    if (
      hinted !== undefined &&
      this.cache.mayHold(hinted, options.after ?? 0)
    ) {
      // The deployment read last time under this key, whose lines are in the cache: only the
      // page's keys are read, and only while it is still the deployment under this key.
      const page = await this.page(hinted, options, {
        guard: row().select('id'),
      });
      if (page.items.length > 0) return page;
      const current = await id();
      if (current === hinted) return page;
      this.cache.forget(key);
      return current === undefined
        ? undefined
        : this.page(current, options, { hintKey: key });
    }
    // The deployment's id as a subquery of the line read; only an empty page asks again
    // whether the deployment is there at all.
    const page = await this.page(row().select('id'), options, { hintKey: key });
    return page.items.length > 0 || (await id()) ? page : undefined;
  }

  /** Not through the line cache: live readers catching up and downloads read here. */
  read(deploymentId: string, options: LogQuery = {}): Promise<LogPage> {
    return this.page(deploymentId, options);
  }

  pageJson(page: LogPage): PageText | undefined {
    return this.pageTexts.get(page);
  }

  /**
   * {@link read} for a deployment's id, or (unfiltered only) a subquery that selects it.
   * Without `cache`, the line cache is neither read nor filled. With it, an unfiltered page
   * goes through the cache: with `guard`, a subquery too, lines are read only while it
   * selects the same id; with `hintKey`, the id the lines turn out to have is remembered
   * under it.
   */
  private async page(
    deploymentId: string | Knex.QueryBuilder,
    options: LogQuery,
    cache?: { guard?: Knex.QueryBuilder; hintKey?: string },
  ): Promise<LogPage> {
    const limit = Math.min(Math.max(options.limit ?? 500, 1), 5000);
    const after = options.after ?? 0;
    const filtered = Boolean(options.levels?.length || options.text);
    const query = this.knex<LogLineRow>(LINES)
      .where('deployment_id', deploymentId)
      .andWhere('seq', '>', after)
      .orderBy('seq', 'asc');
    if (cache?.guard) query.andWhere('deployment_id', cache.guard);
    if (options.releaseId) query.andWhere({ release_id: options.releaseId });
    if (options.instanceId) query.andWhere({ instance_id: options.instanceId });
    if (options.streams?.length) query.whereIn('stream', options.streams);
    if (options.since)
      query.andWhere('created_at', '>=', new Date(options.since));
    if (options.until)
      query.andWhere('created_at', '<', new Date(options.until));
    if (!filtered && !cache) {
      const items = toLogLines(
        await query.options(PG_TEXT_TIMES).limit(limit).select(LINE_COLUMNS),
      );
      return {
        items,
        lastSeq: items.length ? items[items.length - 1].seq : after,
      };
    }
    if (!filtered) {
      const id = typeof deploymentId === 'string' ? deploymentId : undefined;
      const { lines: items, text } = await this.unfiltered(
        query.limit(limit),
        id !== undefined && this.cache.mayHold(id, after) ? id : undefined,
        id,
        cache?.hintKey,
      );
      const page = {
        items,
        lastSeq: items.length ? items[items.length - 1].seq : after,
      };
      if (text !== undefined) this.pageTexts.set(page, text);
      return page;
    }
    // Level and text are matched within a bounded window of sequence numbers, so a search for
    // something rare answers quickly with a cursor to continue from instead of scanning it all.
    if (typeof deploymentId !== 'string') {
      throw new Error('A filtered log page needs the deployment id');
    }
    const head = await this.head(deploymentId);
    const windowEnd = Math.min(head, after + SCAN_LIMIT);
    query.andWhere('seq', '<=', windowEnd);
    if (options.levels?.length) query.whereIn('level', options.levels);
    if (options.text) this.whereContains(query, options.text);
    const items = toLogLines(
      await query.options(PG_TEXT_TIMES).limit(limit).select(LINE_COLUMNS),
    );
    return {
      items,
      lastSeq:
        items.length === limit
          ? items[items.length - 1].seq
          : Math.max(windowEnd, after),
    };
  }

  /**
   * The lines `query` selects, all of one deployment and in order. For a deployment whose
   * lines the cache may hold (`cached`), only their sequence numbers are read and the lines
   * come from the cache, with one more query for any it lacks; otherwise they are read whole
   * and kept. `id` is the deployment's, where the caller knows it. `text` is the page's JSON
   * when every line came from the cache and there is at least one (an empty page's cursor is
   * the caller's): kept whole under the lines' numbers, so the same page read again is sent
   * as it was.
   */
  private async unfiltered(
    query: Knex.QueryBuilder,
    cached: string | undefined,
    id: string | undefined,
    hintKey: string | undefined,
  ): Promise<{ lines: LogLine[]; text?: PageText }> {
    if (cached === undefined) {
      const rows: LogLineRow[] = await query
        .options(PG_TEXT_TIMES)
        .select(id ? LINE_COLUMNS : [...LINE_COLUMNS, 'deployment_id']);
      const lines = toLogLines(rows);
      const owner = id ?? rows[0]?.deployment_id;
      if (owner) {
        this.cache.put(owner, lines);
        if (hintKey) this.cache.remember(hintKey, owner);
      }
      return { lines };
    }
    const whole = query.clone();
    const joined = await this.seqsOf(query);
    const kept =
      joined === undefined ? undefined : this.cache.page(cached, joined);
    // Frozen and shared by every request for the page; nothing downstream changes a page.
    if (kept) return { lines: kept.lines as LogLine[], text: kept };
    const seqs = parseSeqs(joined);
    const { lines: found, texts } = this.cache.lookup(cached, seqs);
    const missing = seqs.filter((_, i) => !found[i]);
    if (missing.length === 0) {
      const lines = found as LogLine[];
      if (joined === undefined || lines.length === 0) return { lines };
      const lastSeq = lines[lines.length - 1].seq;
      const page: KeptPage = {
        lines: Object.freeze(lines),
        text: unpooledBytes(
          `{"items":[${texts.join(',')}],"lastSeq":${lastSeq}}`,
        ),
        // Stored lines never change, so the deployment and the lines' numbers (as the
        // database joined them) say what the text holds: hashed instead of the text (100 kB
        // for 500 lines, which express's own ETag hashed on every answer).
        etag: `W/"${createHash('sha1')
          .update(`${PAGE_TEXT_FORMAT}:${cached}:${joined}:${lastSeq}`)
          .digest('base64url')}"`,
      };
      this.cache.keepPage(cached, joined, page);
      return { lines, text: page };
    }
    const read = new Map<number, LogLine>();
    for (const some of chunks(missing)) {
      const lines = toLogLines(
        await this.knex<LogLineRow>(LINES)
          .where('deployment_id', cached)
          .whereIn('seq', some)
          .options(PG_TEXT_TIMES)
          .select(LINE_COLUMNS),
      );
      this.cache.put(cached, lines);
      for (const line of lines) read.set(line.seq, line);
    }
    if (read.size < missing.length) {
      // Lines deleted between the two reads (pruned, or the deployment deleted): the page
      // would have a hole, so it is read again whole, as one query sees it.
      return {
        lines: toLogLines(
          await whole.options(PG_TEXT_TIMES).select(LINE_COLUMNS),
        ),
      };
    }
    return { lines: seqs.map((seq, i) => found[i] ?? read.get(seq)!) };
  }

  /**
   * The sequence numbers `query` selects (every page's are in ascending order), read as one
   * row: their list as text joined by commas, as the database joins it (a row per line costs
   * the driver more than the line's number: on PostgreSQL, parsing 500 rows was a tenth of a
   * log page's CPU). Undefined for none. {@link parseSeqs} makes numbers of it.
   */
  private async seqsOf(query: Knex.QueryBuilder): Promise<string | undefined> {
    const joiner = this.isPostgres()
      ? "string_agg(seq::text, ',')"
      : "group_concat(seq, ',')";
    const row: { seqs: string | null } | undefined = await this.knex
      .from(query.select('seq').as('page'))
      .first(this.knex.raw(`${joiner} as seqs`));
    return row?.seqs || undefined;
  }

  async search(
    deploymentId: string,
    options: LogQuery & { text: string },
  ): Promise<LogSearchPage> {
    const limit = Math.min(
      Math.max(options.limit ?? 1000, 1),
      MAX_SEARCH_MATCHES,
    );
    const query = this.knex<LogLineRow>(LINES)
      .where({ deployment_id: deploymentId })
      .andWhere('seq', '>', options.after ?? 0);
    if (options.releaseId) query.andWhere({ release_id: options.releaseId });
    if (options.instanceId) query.andWhere({ instance_id: options.instanceId });
    if (options.streams?.length) query.whereIn('stream', options.streams);
    if (options.levels?.length) query.whereIn('level', options.levels);
    if (options.since)
      query.andWhere('created_at', '>=', new Date(options.since));
    if (options.until)
      query.andWhere('created_at', '<', new Date(options.until));
    this.whereContains(query, options.text);
    const seqs = parseSeqs(
      await this.seqsOf(query.orderBy('seq', 'asc').limit(limit)),
    );
    return seqs.length === limit
      ? { seqs, next: seqs[seqs.length - 1] }
      : { seqs };
  }

  async head(deploymentId: string): Promise<number> {
    const row = await this.knex(DEPLOYMENTS)
      .where({ id: deploymentId })
      .first('log_seq');
    return row ? Number(row.log_seq) : 0;
  }

  async lastLineAt(
    deploymentId: string,
    instanceId: string,
  ): Promise<Date | undefined> {
    const row = await this.knex<LogLineRow>(LINES)
      .where({ deployment_id: deploymentId, instance_id: instanceId })
      .orderBy('seq', 'desc')
      .first('created_at');
    return row ? new Date(toIso(row.created_at as DbTime)) : undefined;
  }

  async tail(
    deploymentId: string,
    instanceId: string,
    count: number,
  ): Promise<string[]> {
    const rows = await this.knex<LogLineRow>(LINES)
      .where({ deployment_id: deploymentId, instance_id: instanceId })
      .orderBy('seq', 'desc')
      .limit(count)
      .select('line');
    return rows.map(r => r.line).reverse();
  }

  async prune(options: {
    maxLinesPerDeployment: number;
    maxAgeMs: number;
  }): Promise<number> {
    let deleted = await this.knex(LINES)
      .where('created_at', '<', new Date(Date.now() - options.maxAgeMs))
      .delete();
    const deployments = await this.knex(DEPLOYMENTS)
      .where('log_seq', '>', options.maxLinesPerDeployment)
      .select('id', 'log_seq');
    for (const { id, log_seq } of deployments) {
      deleted += await this.knex(LINES)
        .where({ deployment_id: id })
        .andWhere('seq', '<=', Number(log_seq) - options.maxLinesPerDeployment)
        .delete();
    }
    return deleted;
  }

  /** Lines that contain `text`, case-insensitive (SQLite's LIKE folds ASCII letters only). */
  private whereContains(query: Knex.QueryBuilder, text: string) {
    const pattern = `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
    query.andWhereRaw(
      `line ${this.isPostgres() ? 'ILIKE' : 'LIKE'} ? ESCAPE '\\'`,
      [pattern],
    );
  }

  async storedOffsets(
    instanceId: string,
  ): Promise<{ stdout: number; stderr: number }> {
    const rows = await this.knex(OFFSETS)
      .where({ instance_id: instanceId })
      .select('stream', 'stored_bytes');
    const offsets = { stdout: 0, stderr: 0 };
    for (const row of rows) {
      if (row.stream === 'stdout' || row.stream === 'stderr')
        offsets[row.stream as 'stdout' | 'stderr'] = Number(row.stored_bytes);
    }
    return offsets;
  }

  /** Records the batch's last offset per instance stream; an offset never goes back. */
  private async storeOffsets(
    tx: Knex.Transaction,
    deploymentId: string,
    offsets: StoredOffset[],
  ) {
    if (offsets.length === 0) return;
    const larger = this.isPostgres()
      ? `GREATEST(${OFFSETS}.stored_bytes, excluded.stored_bytes)`
      : 'MAX(stored_bytes, excluded.stored_bytes)';
    await tx(OFFSETS)
      .insert(
        offsets.map(entry => ({
          deployment_id: deploymentId,
          instance_id: entry.instanceId,
          stream: entry.stream,
          stored_bytes: entry.offset,
        })),
      )
      .onConflict(['instance_id', 'stream'])
      .merge({ stored_bytes: this.knex.raw(larger) });
  }

  private isPostgres() {
    return this.knex.client.config.client === 'pg';
  }
}

/** A line as the append inserts it. */
type LogLineInsert = {
  deployment_id: string;
  seq: number;
  release_id: string | null;
  instance_id: string | null;
  stream: LogStream;
  level: LogLevel | null;
  line: string;
  created_at: Date;
};

/** The newest byte offset a batch stored of one instance's stream. */
type StoredOffset = { instanceId: string; stream: string; offset: number };

/** The rows of a batch numbered from `first`, and its lines as listeners get them. */
function batchRows(
  deploymentId: string,
  first: number,
  lines: NewLogLine[],
  now: Date,
  listening: boolean,
): { rows: LogLineInsert[]; out: LogLine[] } {
  const createdAt = listening ? now.toISOString() : '';
  const out: LogLine[] = listening ? new Array(lines.length) : [];
  const rows: LogLineInsert[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const text = storableText(line.line);
    const level = line.level ?? detectLevel(text);
    rows[i] = {
      deployment_id: deploymentId,
      seq: first + i,
      release_id: line.releaseId ?? null,
      instance_id: line.instanceId ?? null,
      stream: line.stream,
      level: level ?? null,
      line: text,
      created_at: now,
    };
    if (listening) {
      out[i] = {
        seq: first + i,
        stream: line.stream,
        line: text,
        createdAt,
        releaseId: line.releaseId,
        instanceId: line.instanceId,
        level,
      };
    }
  }
  return { rows, out };
}

/** The last byte offset of each instance's stream in a batch (lines without one are skipped). */
function lastOffsets(lines: NewLogLine[]): StoredOffset[] {
  const last = new Map<string, StoredOffset>();
  for (const line of lines) {
    // Only the parser's checked offsets arrive here; a bad one must never fail the batch.
    if (
      line.offset === undefined ||
      !line.instanceId ||
      !Number.isSafeInteger(line.offset) ||
      line.offset < 0
    )
      continue;
    last.set(`${line.instanceId}:${line.stream}`, {
      instanceId: line.instanceId,
      stream: line.stream,
      offset: line.offset,
    });
  }
  return [...last.values()];
}

/** What the append needs of a better-sqlite3 connection (the driver is knex's, not a dependency). */
interface SqliteConnection {
  prepare(sql: string): {
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): unknown;
  };
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  exec(sql: string): unknown;
  readonly inTransaction: boolean;
}

type SqliteAppend = (
  deploymentId: string,
  batch: (first: number) => LogLineInsert[],
  offsets: StoredOffset[],
) => number;

/** The append's transaction on each better-sqlite3 connection, prepared once. */
const sqliteAppends = new WeakMap<SqliteConnection, SqliteAppend>();

/**
 * The append as one better-sqlite3 transaction: the statements knex would send, with its
 * bindings (a Date as its milliseconds, as knex's better-sqlite3 client binds it).
 */
function sqliteAppend(connection: SqliteConnection): SqliteAppend {
  if (connection.inTransaction) {
    // Left open by a knex transaction whose COMMIT failed (knex hands the connection back
    // without a ROLLBACK). Its writes were reported as failed; better-sqlite3 would nest this
    // append in it as a savepoint, committed only if that transaction ever were.
    connection.exec('rollback');
  }
  let append = sqliteAppends.get(connection);
  if (append) return append;
  const cursor = connection.prepare(
    `select log_seq from ${DEPLOYMENTS} where id = ? limit 1`,
  );
  const insert = connection.prepare(
    `insert into ${LINES} (deployment_id, seq, release_id, instance_id, stream, level, line, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const offset = connection.prepare(
    `insert into ${OFFSETS} (deployment_id, instance_id, stream, stored_bytes) values (?, ?, ?, ?) on conflict (instance_id, stream) do update set stored_bytes = MAX(stored_bytes, excluded.stored_bytes)`,
  );
  const move = connection.prepare(
    `update ${DEPLOYMENTS} set log_seq = ? where id = ?`,
  );
  append = connection.transaction(
    (
      deploymentId: string,
      batch: (first: number) => LogLineInsert[],
      offsets: StoredOffset[],
    ) => {
      const row = cursor.get(deploymentId) as
        | { log_seq: number | string }
        | undefined;
      if (!row) return 0; // The deployment was deleted; its output goes nowhere.
      const rows = batch(Number(row.log_seq) + 1);
      for (const r of rows) {
        insert.run(
          r.deployment_id,
          r.seq,
          r.release_id,
          r.instance_id,
          r.stream,
          r.level,
          r.line,
          r.created_at.valueOf(),
        );
      }
      for (const o of offsets) {
        offset.run(deploymentId, o.instanceId, o.stream, o.offset);
      }
      const lastSeq = rows[rows.length - 1].seq;
      move.run(lastSeq, deploymentId);
      return lastSeq;
    },
  );
  sqliteAppends.set(connection, append);
  return append;
}

/**
 * Inserts a batch on PostgreSQL as one JSON parameter unpacked by the server: three bound
 * values however many lines, instead of eight per line for the driver and the planner (a
 * batch of 1,000 lines took 35 ms instead of 67 here). The rows are serialized as they are;
 * `json_to_recordset` takes the keys it names and ignores the rest.
 */
async function insertPostgres(
  tx: Knex.Transaction,
  deploymentId: string,
  createdAt: Date,
  rows: object[],
) {
  await tx.raw(
    `insert into ${LINES} (deployment_id, seq, release_id, instance_id, stream, level, line, created_at)
     select ?, r.seq, r.release_id, r.instance_id, r.stream, r.level, r.line, ?
     from json_to_recordset(?::json) as r(seq bigint, release_id varchar, instance_id varchar, stream varchar, level varchar, line text)`,
    [deploymentId, createdAt, JSON.stringify(rows)],
  );
}

/**
 * The sequence numbers in the text the database joined them into, in ascending order: the join
 * follows the subquery's order on both databases, but SQL does not promise it, so an unordered
 * list is sorted here.
 */
function parseSeqs(joined: string | undefined): number[] {
  const seqs = joined ? joined.split(',').map(Number) : [];
  return seqs.every((seq, i) => i === 0 || seqs[i - 1] < seq)
    ? seqs
    : seqs.sort((a, b) => a - b);
}

/**
 * The UTF-8 bytes of `text` in a buffer of their own: a small one made by `Buffer.from` is a
 * slice of Node's shared pool and would keep all of it while it is kept.
 */
function unpooledBytes(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
}

/**
 * A line as every database can store it and every reader gets it back: PostgreSQL text holds
 * neither NUL nor half of a surrogate pair, so both become U+FFFD (on SQLite too, so that
 * live subscribers and later readers see the same line on either database).
 */
function storableText(text: string): string {
  let result = text.includes('\u0000')
    ? text.split('\u0000').join('\ufffd')
    : text;
  if (/[\ud800-\udfff]/.test(result)) {
    result = result.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    );
  }
  return result;
}

/** The API's lines of `rows`, in order. */
function toLogLines(rows: Omit<LogLineRow, 'deployment_id'>[]): LogLine[] {
  const iso = toIsoRun();
  return rows.map(row => ({
    seq: Number(row.seq),
    stream: row.stream,
    line: row.line,
    createdAt: iso(row.created_at),
    releaseId: row.release_id ?? undefined,
    instanceId: row.instance_id ?? undefined,
    level: row.level ?? undefined,
  }));
}
