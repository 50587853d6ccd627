/*
 * Lines made as the sandboxed emitter makes them (bench/logs/src/emitterSandbox.ts): a fixed
 * rate in ticks of about 1 ms, each tick's lines stamped with one wall-clock time, either on the
 * caller's event loop (makeLines) or on a worker thread's own (startLineClock), which keeps
 * making and stamping them while the caller's loop is busy, as a process apart from it would.
 */
import { Worker } from 'node:worker_threads';

export interface LineClockOptions {
  /** Lines a second. */
  rate: number;
  /** Lines in all. */
  total: number;
  /** Characters of padding after the stamp and counter. */
  padding: number;
}

/**
 * Calls `emit` with the lines due, in ticks of about 1 ms (each tick's lines share one time
 * stamp, as the sandboxed emitter stamps them), then with null after the last one.
 */
export function makeLines(
  options: LineClockOptions,
  emit: (lines: string[] | null) => void,
) {
  const { rate, total } = options;
  const padding = 'x'.repeat(options.padding);
  const start = performance.now();
  let n = 0;
  const tick = () => {
    const due = Math.min(
      total,
      Math.floor(((performance.now() - start) / 1000) * rate),
    );
    if (due > n) {
      const t = (performance.timeOrigin + performance.now()).toFixed(3);
      const lines: string[] = [];
      for (; n < due; n++) lines.push(`t=${t} n=${n} ${padding}`);
      emit(lines);
    }
    if (n < total) setTimeout(tick, 1);
    else emit(null);
  };
  tick();
}

/**
 * The worker thread of startLineClock: makeLines, posting each tick's lines. (`__name` is what
 * tsx's transform wraps named functions in; the worker's plain JavaScript lacks it.)
 */
const LINE_MAKER = `
const { parentPort, workerData } = require('node:worker_threads');
const __name = f => f;
(${makeLines.toString()})(workerData, lines => parentPort.postMessage(lines));
`;

/**
 * makeLines on a worker thread: `emit` gets each tick's lines (then null) on this thread's
 * event loop, whenever it is free to take them. A failed thread fails the process rather than
 * leave its caller waiting.
 */
export function startLineClock(
  options: LineClockOptions,
  emit: (lines: string[] | null) => void,
) {
  const worker = new Worker(LINE_MAKER, { eval: true, workerData: options });
  worker.on('message', emit);
  worker.once('error', error => {
    throw error;
  });
}
