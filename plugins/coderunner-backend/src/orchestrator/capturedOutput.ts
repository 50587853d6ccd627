import { Config } from '@backstage/config';
import { MAX_LINE_LENGTH, TRUNCATION_MARKER } from '../logs/LineSplitter';

/**
 * Lossless takeover of an instance's output.
 *
 * Inside the sandbox, next to the app, a small Node script (`capture`) reads the app's stdout and
 * stderr through two FIFOs, appends every chunk to a bounded, rotated buffer on disk (per stream,
 * files `<stream>.<k>` that each hold bytes `[k × chunkBytes, (k + 1) × chunkBytes)` of the stream;
 * only the newest `chunks` files are kept) and then prints it on its own stdout as a frame with the
 * chunk's byte offset: `o <offset> <base64>` for stdout, `e …` for stderr. The replica that started
 * the process reads those frames live from the process stream (no file is polled on that path).
 *
 * A replica that re-attaches starts the same script as `follow` from the byte offsets of what is
 * stored: it prints the same frames from those offsets on, from the files, and then follows them
 * as they grow (woken by inotify through `fs.watch`). Offsets come from the files, so the stored
 * and the recovered bytes meet exactly: nothing twice, nothing missing. Where rotation deleted
 * bytes nobody stored, it prints `g <o|e> <from> <to>` (a gap); after its first pass over the
 * files it prints `c` (caught up).
 *
 * Frames are base64 because the SDK decodes each chunk of a process's output as UTF-8 on its own,
 * which would change bytes (and so offsets) of a character split between two chunks.
 */

/** Where the buffer lives in the sandbox (the sandbox user's home is `/home/user`). */
export const CAPTURE_DIR_IN_SHELL = '"$HOME/.coderunner/output"';
/** The script's path, relative to the home folder the runtime uploads to. */
export const CAPTURE_SCRIPT_PATH = '.coderunner/output-log.js';
/** The first line of a framed stream. */
const HEADER = 'coderunner-output 1';
/**
 * Longer than any line the capture script prints (a frame holds at most 64 KiB, base64 encoded,
 * after its tag and offset); anything longer was written by something else.
 */
const MAX_FRAME_CHARS = 128 * 1024;

/** A byte offset as the capture script prints it: a whole number a double holds exactly. */
function isOffset(value: number) {
  return Number.isSafeInteger(value) && value >= 0;
}
/** Default buffer per stream, split into this many files. */
export const DEFAULT_BUFFER_BYTES = 8 * 1024 * 1024;
export const BUFFER_FILES = 4;
/** The app-config key of the buffer size. */
const BUFFER_BYTES_KEY = 'coderunner.logs.sandboxBufferBytes';
/** The smallest buffer: four files of 1 KiB, the capture script's smallest file. */
const MIN_BUFFER_BYTES = BUFFER_FILES * 1024;
/** The largest buffer: 1 GiB per stream, in the sandbox's own disk. */
const MAX_BUFFER_BYTES = 1024 * 1024 * 1024;

/**
 * The bytes of each output stream an instance's sandbox keeps for a takeover, from
 * `coderunner.logs.sandboxBufferBytes` ({@link DEFAULT_BUFFER_BYTES} when unset); a value that is
 * not a whole number from 4 KiB to 1 GiB fails start-up with a message naming the key.
 */
export function readSandboxBufferBytes(config: Config): number {
  const bytes = config.getOptionalNumber(BUFFER_BYTES_KEY);
  if (bytes === undefined) return DEFAULT_BUFFER_BYTES;
  if (
    !Number.isInteger(bytes) ||
    bytes < MIN_BUFFER_BYTES ||
    bytes > MAX_BUFFER_BYTES
  ) {
    throw new Error(
      `${BUFFER_BYTES_KEY} must be a whole number of bytes from ${MIN_BUFFER_BYTES} (4 KiB) to ${MAX_BUFFER_BYTES} (1 GiB); got ${bytes}`,
    );
  }
  return bytes;
}

export const CAPTURE_SCRIPT_SOURCE = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [mode, dir, ...args] = process.argv.slice(2);
const STREAMS = ['stdout', 'stderr'];
const TAG = { stdout: 'o', stderr: 'e' };
const file = (stream, k) => path.join(dir, stream + '.' + k);

function writeAll(fd, data) {
  let at = 0;
  while (at < data.length) {
    try {
      at += fs.writeSync(fd, data, at, data.length - at);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}
const out = text => writeAll(1, Buffer.from(text));
const frame = (stream, offset, data) =>
  out(TAG[stream] + ' ' + offset + ' ' + data.toString('base64') + '\\n');

function capture(totalBytes) {
  // The app's process group gets SIGTERM on stop: keep reading until it closes its output.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});
  const chunks = ${BUFFER_FILES};
  const chunkBytes = Math.max(Math.ceil(totalBytes / chunks), 1024);
  fs.writeFileSync(path.join(dir, 'layout.json'), JSON.stringify({ chunkBytes, chunks }));
  out('${HEADER}\\n');
  let open = STREAMS.length;
  for (const stream of STREAMS) {
    let offset = 0;
    let fd = -1;
    let index = -1;
    const reader = fs.createReadStream(path.join(dir, stream + '.fifo'), { highWaterMark: 65536 });
    reader.on('data', data => {
      const start = offset;
      let at = 0;
      while (at < data.length) {
        const k = Math.floor(offset / chunkBytes);
        if (k !== index) {
          if (fd >= 0) fs.closeSync(fd);
          fd = fs.openSync(file(stream, k), 'a');
          index = k;
          if (k >= chunks) fs.rmSync(file(stream, k - chunks), { force: true });
        }
        const n = Math.min(data.length - at, (k + 1) * chunkBytes - offset);
        writeAll(fd, data.subarray(at, at + n));
        offset += n;
        at += n;
      }
      frame(stream, start, data);
    });
    reader.on('close', () => {
      if (--open === 0) fs.writeFileSync(path.join(dir, 'done'), '');
    });
  }
}

function firstChunk(stream) {
  let first;
  for (const name of fs.readdirSync(dir)) {
    const match = /^(\\w+)\\.(\\d+)$/.exec(name);
    if (match && match[1] === stream) {
      const k = Number(match[2]);
      if (first === undefined || k < first) first = k;
    }
  }
  return first;
}

function follow(offsets) {
  // One follower per sandbox: the one a replica that died left behind goes.
  const pidFile = path.join(dir, 'follower.pid');
  try {
    const old = Number(fs.readFileSync(pidFile, 'utf8'));
    if (old && fs.readFileSync('/proc/' + old + '/cmdline', 'utf8').includes('output-log.js'))
      process.kill(old, 'SIGKILL');
  } catch {}
  fs.writeFileSync(pidFile, String(process.pid));
  const { chunkBytes } = JSON.parse(fs.readFileSync(path.join(dir, 'layout.json'), 'utf8'));
  out('${HEADER}\\n');
  const state = STREAMS.map((stream, i) => ({ stream, pos: offsets[i], fd: -1, index: -1 }));
  const buffer = Buffer.alloc(65536);
  const pass = () => {
    let read = 0;
    for (const s of state) {
      for (;;) {
        const k = Math.floor(s.pos / chunkBytes);
        if (s.index !== k) {
          if (s.fd >= 0) fs.closeSync(s.fd);
          s.fd = -1;
          s.index = -1;
          try {
            s.fd = fs.openSync(file(s.stream, k), 'r');
            s.index = k;
          } catch {
            const first = firstChunk(s.stream);
            if (first === undefined || first <= k) break; // not written yet
            out('g ' + TAG[s.stream] + ' ' + s.pos + ' ' + first * chunkBytes + '\\n');
            s.pos = first * chunkBytes;
            continue;
          }
        }
        const want = Math.min(buffer.length, (k + 1) * chunkBytes - s.pos);
        const n = fs.readSync(s.fd, buffer, 0, want, s.pos - k * chunkBytes);
        if (n === 0) break;
        frame(s.stream, s.pos, buffer.subarray(0, n));
        s.pos += n;
        read += n;
      }
    }
    return read;
  };
  let caughtUp = false;
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const done = fs.existsSync(path.join(dir, 'done'));
    while (pass() > 0);
    if (!caughtUp) {
      caughtUp = true;
      out('c\\n');
    }
    if (done) process.exit(0);
  };
  const wake = () => {
    if (!scheduled) {
      scheduled = true;
      setImmediate(run);
    }
  };
  fs.watch(dir, wake);
  // Only a safety net for a missed event: growth wakes the follower through inotify.
  setInterval(wake, 1000);
  run();
}

if (mode === 'capture') capture(Number(args[0]) || ${DEFAULT_BUFFER_BYTES});
else if (mode === 'follow') follow(args.map(Number));
`;

/**
 * The launch command: the app's output goes through the capture script when the sandbox has
 * Node and FIFOs; otherwise the app runs as before (its output is then not framed and a
 * takeover cannot recover what it printed while nobody read).
 */
export function captureCommand(
  command: string,
  bufferBytes = DEFAULT_BUFFER_BYTES,
): string {
  return [
    `d=${CAPTURE_DIR_IN_SHELL}`,
    'if command -v node >/dev/null 2>&1 && mkdir -p "$d" && mkfifo "$d/stdout.fifo" "$d/stderr.fifo"; then',
    `  node "$HOME/${CAPTURE_SCRIPT_PATH}" capture "$d" ${Math.floor(
      bufferBytes,
    )} &`,
    '  capture=$!',
    // A trap, not an ignored signal: the app (in a subshell) still gets SIGTERM's default.
    '  trap : TERM INT',
    '  (',
    command,
    '  ) >"$d/stdout.fifo" 2>"$d/stderr.fifo"',
    '  code=$?',
    '  wait "$capture"',
    '  exit "$code"',
    'fi',
    command,
  ].join('\n');
}

/** The follower's command, reading on from the given byte offsets of stdout and stderr. */
export function followCommand(offsets: { stdout: number; stderr: number }) {
  return `test -f ${CAPTURE_DIR_IN_SHELL}/layout.json && exec node "$HOME/${CAPTURE_SCRIPT_PATH}" follow ${CAPTURE_DIR_IN_SHELL} ${offsets.stdout} ${offsets.stderr}`;
}

/** The shell test for "this instance's output is captured". */
export const CAPTURED_TEST = `test -f ${CAPTURE_DIR_IN_SHELL}/layout.json`;

export type OutputStream = 'stdout' | 'stderr';

/** What the parser hands on: whole lines with the byte offset just after them, or raw text. */
export interface CapturedOutputSink {
  /** A line of the app's output; `offset` is where the stream stands after it. */
  line(text: string, stream: OutputStream, offset: number): void;
  /** Output that is not framed (the sandbox could not capture, or the wrapper's own errors). */
  raw(data: string, stream: OutputStream): void;
  /** Bytes of a stream that rotation dropped before anyone stored them. */
  gap(stream: OutputStream, from: number, to: number): void;
  /** The follower has read the buffer to its end once (only a follower says so). */
  caughtUp?(): void;
}

/**
 * Splits a byte stream into lines like LineSplitter (`\r\n` or `\n`, over-long lines cut once
 * with a marker), and knows the stream offset after each line.
 */
class ByteLines {
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private skipping = false;

  constructor(public position: number) {}

  push(bytes: Buffer, emit: (line: string, offset: number) => void) {
    const base = this.position;
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(0x0a, start);
      if (end < 0) break;
      if (this.skipping) {
        this.skipping = false;
      } else {
        this.partial.push(bytes.subarray(start, end));
        emit(this.take(), base + end + 1);
      }
      this.partial = [];
      this.partialBytes = 0;
      start = end + 1;
    }
    this.position = base + bytes.length;
    if (this.skipping || start >= bytes.length) return;
    this.partial.push(bytes.subarray(start));
    this.partialBytes += bytes.length - start;
    if (this.partialBytes > MAX_LINE_LENGTH) {
      const text = Buffer.concat(this.partial).toString('utf8');
      if (text.length > MAX_LINE_LENGTH) {
        this.partial = [];
        this.partialBytes = 0;
        this.skipping = true;
        emit(limitLength(text), this.position);
      }
    }
  }

  /** The unfinished last line, at the end of the output. */
  flush(emit: (line: string, offset: number) => void) {
    if (this.partialBytes > 0) emit(this.take(), this.position);
    this.partial = [];
    this.partialBytes = 0;
    this.skipping = false;
  }

  /** Bytes up to `to` are gone: the unfinished line ends here, and reading goes on at `to`. */
  jump(to: number, emit: (line: string, offset: number) => void) {
    this.flush(emit);
    this.position = to;
  }

  private take() {
    let text = Buffer.concat(this.partial).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return limitLength(text);
  }
}

function limitLength(line: string): string {
  return line.length > MAX_LINE_LENGTH
    ? line.slice(0, MAX_LINE_LENGTH) + TRUNCATION_MARKER
    : line;
}

const TAGS: Record<string, OutputStream> = { o: 'stdout', e: 'stderr' };

/**
 * Reads the frames of the capture script (live) or of a follower, and turns them into lines
 * with exact byte offsets. Output that does not start with the header is passed on raw.
 */
export class CapturedOutputParser {
  private mode: 'unknown' | 'framed' | 'raw' = 'unknown';
  private pending = '';
  /** How much of `pending` is known to hold no newline (so it is not scanned again). */
  private scanned = 0;
  /** Dropping an overlong frame: everything up to the next newline is discarded. */
  private skipping = false;
  /** Whether the follower has said it caught up (said once; more are forged). */
  private caughtUpSeen = false;
  private readonly lines: Record<OutputStream, ByteLines>;
  /** Bytes of each stream read so far, from the first offset on. */
  readonly received = { stdout: 0, stderr: 0 };
  /** Whether this reads a follower (started from stored offsets), the only source of gaps. */
  private readonly following: boolean;

  /** `offsets` are given when reading a follower started from them. */
  constructor(
    private readonly sink: CapturedOutputSink,
    offsets?: { stdout: number; stderr: number },
  ) {
    this.following = offsets !== undefined;
    this.lines = {
      stdout: new ByteLines(offsets?.stdout ?? 0),
      stderr: new ByteLines(offsets?.stderr ?? 0),
    };
  }

  /** Whether the output turned out to be framed. */
  get framed() {
    return this.mode === 'framed';
  }

  push(data: string, stream: OutputStream) {
    if (stream === 'stderr' || this.mode === 'raw') {
      // Framed output is all on stdout; stderr is the wrapper's (or an uncaptured app's) own.
      this.sink.raw(data, stream);
      return;
    }
    this.pending += data;
    if (this.mode === 'unknown') {
      const candidate = this.pending.slice(0, HEADER.length + 1);
      if (`${HEADER}\n`.startsWith(candidate)) {
        if (candidate.length <= HEADER.length) return;
        this.mode = 'framed';
        this.pending = this.pending.slice(HEADER.length + 1);
      } else {
        this.mode = 'raw';
        const text = this.pending;
        this.pending = '';
        this.sink.raw(text, 'stdout');
        return;
      }
    }
    let start = 0;
    let from = this.scanned;
    for (;;) {
      const end = this.pending.indexOf('\n', from);
      if (end < 0) break;
      // The line that ends an overlong frame is dropped with it.
      if (!this.skipping) this.frame(this.pending.slice(start, end));
      this.skipping = false;
      start = end + 1;
      from = start;
    }
    this.pending = this.pending.slice(start);
    this.scanned = this.pending.length;
    if (this.pending.length > MAX_FRAME_CHARS) {
      // The capture script never prints a frame this long: something else wrote on the stream
      // (the app can write to it as the same user). Keep nothing of it in memory.
      this.pending = '';
      this.scanned = 0;
      this.skipping = true;
    }
  }

  /** The output ended: unfinished last lines are passed on. */
  end() {
    if (this.mode === 'unknown' && this.pending)
      this.sink.raw(this.pending, 'stdout');
    this.pending = '';
    for (const stream of ['stdout', 'stderr'] as const) {
      this.lines[stream].flush((text, offset) =>
        this.sink.line(text, stream, offset),
      );
    }
  }

  private frame(text: string) {
    const [tag, first, second, third] = text.split(' ');
    if (tag === 'c') {
      if (!this.caughtUpSeen) this.sink.caughtUp?.();
      this.caughtUpSeen = true;
      return;
    }
    const emit = (stream: OutputStream) => (line: string, offset: number) =>
      this.sink.line(line, stream, offset);
    if (tag === 'g') {
      const stream = TAGS[first];
      const [from, to] = [Number(second), Number(third)];
      // Gaps come only from a follower (started with offsets); one must start where reading is.
      if (!stream || !this.following || !isOffset(from) || !isOffset(to))
        return;
      if (from !== this.lines[stream].position || !(to > from)) return;
      this.lines[stream].jump(to, emit(stream));
      this.sink.gap(stream, from, to);
      return;
    }
    const stream = TAGS[tag];
    if (!stream) return;
    const bytes = Buffer.from(second ?? '', 'base64');
    const lines = this.lines[stream];
    const offset = Number(first);
    // Real frames are contiguous: one past what was read (or not an offset at all) was not
    // printed by the capture script, and taking it would store an offset nobody can read from.
    if (!isOffset(offset) || offset > lines.position) return;
    if (offset + bytes.length <= lines.position) return; // read already
    const fresh = bytes.subarray(lines.position - offset);
    this.received[stream] += fresh.length;
    lines.push(fresh, emit(stream));
  }
}
