import { fork, ChildProcess } from 'node:child_process';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { FloorCommand, ReplicaCommand, ReplicaConfig } from './protocol';

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));
export const now = () => performance.timeOrigin + performance.now();
export const round = (x: number, digits = 1) =>
  Math.round(x * 10 ** digits) / 10 ** digits;

export function percentile(sorted: ArrayLike<number>, p: number) {
  if (sorted.length === 0) return NaN;
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A growable list of samples (latencies in ms). */
export class Samples {
  private data = new Float64Array(1 << 16);
  length = 0;
  push(x: number) {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  sorted() {
    return this.data.slice(0, this.length).sort();
  }
}

/** p50, p99 and max (ms) of the samples, and how many there are. */
export function latencySummary(samples: Samples) {
  const sorted = samples.sorted();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    samples: sorted.length,
  };
}

/** A replica child process (replica.ts, or floor.ts) and a request/response channel to it. */
export class Replica {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(v: any): void; reject(e: Error): void }
  >();
  exited = false;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: any) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${name}: ${message.error}`));
      else waiting.resolve(message.result);
    });
    child.on('exit', () => {
      this.exited = true;
      for (const waiting of this.pending.values())
        waiting.reject(new Error(`${name} exited`));
      this.pending.clear();
    });
  }

  static async start(
    config: ReplicaConfig,
    script = 'replica.ts',
  ): Promise<Replica> {
    const child = fork(path.join(__dirname, script), [], {
      execArgv: [
        ...process.execArgv,
        '--expose-gc',
        // BENCH_CPU_PROF=<dir> writes a CPU profile of every replica (for finding where time goes).
        ...(process.env.BENCH_CPU_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
          : []),
      ],
      env: { ...process.env, BENCH_REPLICA_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.on('message', (m: any) => m?.type === 'ready' && resolve(m.port));
      child.once('exit', code =>
        reject(
          new Error(
            `replica ${config.name} exited with ${code} before it was ready`,
          ),
        ),
      );
    });
    return new Replica(config.name, child, port);
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/api/coderunner/stream`;
  }

  call<T = any>(command: ReplicaCommand | FloorCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
  }

  /** Stops like a crashed process: no flush, no goodbye. */
  kill() {
    this.child.kill('SIGKILL');
  }

  async stop() {
    if (this.exited) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    await Promise.race([
      this.call({ type: 'stop' }).catch(() => {}),
      sleep(10_000),
    ]);
    await Promise.race([exited, sleep(5_000)]);
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** Starts the floor (floor.ts): a bare `ws` broadcast server, no pipeline behind it. */
export function startFloor(token: string) {
  return Replica.start(
    {
      name: 'floor',
      token,
      emulator: { url: '', domain: '', apiKey: '' },
      database: { client: 'better-sqlite3', filename: '' },
    },
    'floor.ts',
  );
}

export interface ClientOptions {
  /** Where latencies (ms) of lines go; none when undefined. */
  samples?: Samples;
  /** Lines whose counter is below this are not sampled (warm-up). */
  skipBelow?: number;
  /** Keep every received sequence number. */
  keepSeqs?: boolean;
  /** Where the number of lines of each received frame goes, in order. */
  frameSizes?: number[];
}

/** A WebSocket subscriber speaking coderunner.v1, as the Logs tab does. */
export class StreamClient {
  ws?: WebSocket;
  cursor = 0;
  received = 0;
  readonly seqs: number[] = [];
  gaps = 0;
  errors: string[] = [];
  private subscribed?: () => void;

  constructor(
    private readonly token: string,
    private readonly deploymentId: string,
    private readonly options: ClientOptions = {},
  ) {}

  async connect(url: string, from: { tail: number } | { after: number }) {
    const ws = new WebSocket(url, ['coderunner.v1', this.token], {
      perMessageDeflate: false,
    });
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`refused with ${res.statusCode}`)),
      );
    });
    ws.on('error', () => {});
    ws.on('message', data => this.receive(data.toString()));
    const subscribed = new Promise<void>(
      resolve => (this.subscribed = resolve),
    );
    ws.send(
      JSON.stringify({
        type: 'subscribe',
        id: 'logs',
        topic: 'logs',
        entityRef: `component:default/${this.deploymentId}`,
        environment: 'bench',
        ...from,
      }),
    );
    await subscribed;
  }

  close() {
    this.ws?.removeAllListeners('message');
    this.ws?.terminate();
  }

  private receive(text: string) {
    const at = now();
    const message = JSON.parse(text);
    if (message.type === 'lines') {
      const { samples, skipBelow = 0, keepSeqs, frameSizes } = this.options;
      frameSizes?.push(message.items.length);
      for (const item of message.items as { seq: number; line: string }[]) {
        this.received++;
        if (keepSeqs) this.seqs.push(item.seq);
        if (samples && item.line.startsWith('t=')) {
          const space = item.line.indexOf(' ');
          const n = Number(
            item.line.slice(space + 3, item.line.indexOf(' ', space + 1)),
          );
          if (n >= skipBelow)
            samples.push(at - Number(item.line.slice(2, space)));
        }
      }
      this.cursor = message.lastSeq;
    } else if (message.type === 'subscribed') {
      if (this.cursor === 0) this.cursor = message.lastSeq;
      this.subscribed?.();
    } else if (message.type === 'gap') {
      this.gaps++;
    } else if (message.type === 'error') {
      this.errors.push(message.message);
      this.subscribed?.();
    }
  }
}

/** Connects `clients` in batches so the server is not flooded with handshakes. */
export async function connectAll(
  clients: StreamClient[],
  url: string,
  from: { tail: number } | { after: number },
  batch = 100,
) {
  for (let i = 0; i < clients.length; i += batch) {
    await Promise.all(
      clients.slice(i, i + batch).map(c => c.connect(url, from)),
    );
  }
}

export async function waitUntil(
  predicate: () => boolean,
  timeoutMs: number,
  stepMs = 20,
) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(stepMs);
  }
  return true;
}

/** Waits (at most `timeoutMs`) until every client has `total` lines; how many lines they lack. */
export async function awaitLines(
  clients: StreamClient[],
  total: number,
  timeoutMs: number,
) {
  const complete = await waitUntil(
    () => clients.every(c => c.received >= total),
    timeoutMs,
    50,
  );
  const missing = clients.reduce(
    (sum, c) => sum + Math.max(0, total - c.received),
    0,
  );
  return { complete, missing };
}
