import { EventEmitter } from 'node:events';
import net from 'node:net';

/** What a process was started with, as envd's `ProcessConfig` reports it. */
export interface ProcessConfig {
  cmd: string;
  args: string[];
  envs: Record<string, string>;
  cwd?: string;
}

/** A terminal's size in character cells, as envd's `PTY.Size`. */
export interface PtySize {
  cols: number;
  rows: number;
}

/** Why the agent could not start a process; `reason: 'cwd'` when its working directory is missing. */
export class ProcessStartError extends Error {
  constructor(message: string, readonly reason?: string) {
    super(message);
  }
}

/** envd's `ProcessEvent.EndEvent`. */
export interface ProcessEnd {
  exitCode: number;
  exited: boolean;
  status: string;
  error?: string;
}

const SIGNAL_WORDS: Record<string, string> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
};

function endOf(code: number | null, signal: string | null): ProcessEnd {
  if (signal) {
    const status = `signal: ${SIGNAL_WORDS[signal] ?? signal.toLowerCase()}`;
    return { exitCode: -1, exited: false, status, error: status };
  }
  const exitCode = code ?? -1;
  const status = `exit status ${exitCode}`;
  return {
    exitCode,
    exited: true,
    status,
    ...(exitCode !== 0 && { error: status }),
  };
}

function frame(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/**
 * A process inside a sandbox, seen from the emulator: it talks to the
 * sandbox's agent over one unix socket connection and emits `start` (pid),
 * `stdout`, `stderr` (Buffers) and `end` (ProcessEnd), in that order; a process started with
 * a `pty` size runs on a pseudo-terminal inside the sandbox and emits `pty` (Buffers) instead
 * of `stdout` and `stderr`. Output is not kept: whoever listens when it arrives gets it, as
 * with envd.
 */
export class SandboxProcess extends EventEmitter {
  pid = 0;
  end?: ProcessEnd;
  private socket?: net.Socket;

  constructor(
    readonly config: ProcessConfig,
    readonly tag?: string,
    /** The terminal's size when the process runs on a pseudo-terminal. */
    readonly pty?: PtySize,
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** Starts the process; listeners attached before this call see all of its output. */
  start(agentSocketPath: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(agentSocketPath);
      this.socket = socket;
      let buffered: Buffer = Buffer.alloc(0);
      let settled = false;
      const fail = (message: string, reason?: string) => {
        if (!settled) {
          settled = true;
          reject(new ProcessStartError(message, reason));
        } else if (!this.end) {
          this.finish({
            exitCode: -1,
            exited: false,
            status: 'signal: killed',
            error: message,
          });
        }
      };
      socket.write(
        `${JSON.stringify({
          op: 'spawn',
          ...this.config,
          envs: this.config.envs,
          ...(this.pty && { pty: this.pty }),
        })}\n`,
      );
      socket.on('data', (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        while (buffered.length >= 5) {
          const length = buffered.readUInt32BE(1);
          if (buffered.length < 5 + length) break;
          const type = buffered.readUInt8(0);
          const body = buffered.subarray(5, 5 + length);
          buffered = buffered.subarray(5 + length);
          if (type === 1) {
            this.pid = JSON.parse(body.toString()).pid;
            this.emit('start', this.pid);
            settled = true;
            resolve();
          } else if (type === 2) {
            this.emit('stdout', body);
          } else if (type === 3) {
            this.emit('stderr', body);
          } else if (type === 4) {
            const { code, signal } = JSON.parse(body.toString());
            this.finish(endOf(code, signal));
          } else if (type === 5) {
            const failure = JSON.parse(body.toString());
            fail(failure.message, failure.reason);
          } else if (type === 9) {
            this.emit('pty', body);
          }
        }
      });
      socket.on('error', error => fail(error.message));
      socket.on('close', () => fail('the sandbox stopped'));
    });
  }

  signal(signal: 'SIGTERM' | 'SIGKILL'): void {
    this.socket?.write(frame(7, Buffer.from(JSON.stringify({ signal }))));
  }

  writeStdin(data: Buffer): void {
    this.socket?.write(frame(6, data));
  }

  closeStdin(): void {
    this.socket?.write(frame(8, Buffer.alloc(0)));
  }

  /** Types into the process's terminal (what a keyboard would send). */
  writePty(data: Buffer): void {
    this.socket?.write(frame(10, data));
  }

  /** Resizes the process's terminal; its foreground process group gets SIGWINCH. */
  resizePty(size: PtySize): void {
    this.socket?.write(frame(11, Buffer.from(JSON.stringify(size))));
  }

  private finish(end: ProcessEnd) {
    this.end = end;
    this.socket?.destroy();
    this.emit('end', end);
  }
}
