import {
  AuditorServiceEvent,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  TERMINAL_CLOSE_CODES,
  TERMINAL_LIMITS,
  TerminalClientMessage,
  TerminalEndReason,
  TerminalServerMessage,
} from '@coderunner/plugin-coderunner-common';
import {
  ProcessExit,
  SandboxRuntime,
  TerminalHandle,
} from '@coderunner/plugin-coderunner-node';
import { RawData, WebSocket } from 'ws';
import { APP_DIR } from '../orchestrator/sandboxMetadata';
import { TerminalTarget } from './TerminalTarget';

/**
 * Limits of one session.
 *
 * @internal
 */
export interface TerminalSessionLimits {
  /** No input for this long ends the session. */
  idleTimeoutMs: number;
  /** The session ends after this long whatever happens. */
  maxSessionMs: number;
  /** Output queued on the socket above which the session ends (the browser stopped reading). */
  maxBufferedBytes: number;
  /** Input accepted but not yet delivered to the sandbox, above which the session ends. */
  maxPendingInputBytes: number;
}

/**
 * What a session needs from the rest of the backend.
 *
 * @internal
 */
export interface TerminalSessionContext {
  runtime: SandboxRuntime;
  logger: LoggerService;
  limits: TerminalSessionLimits;
  /** Whether the instance still runs, asked when the shell ends to say why it did. */
  instanceRunning(instanceId: string): Promise<boolean>;
}

const CLOSE_CODE: Record<TerminalEndReason, number> = {
  exited: 1000,
  closed: 1000,
  'idle-timeout': TERMINAL_CLOSE_CODES.idleTimeout,
  'session-limit': TERMINAL_CLOSE_CODES.sessionLimit,
  'instance-stopped': TERMINAL_CLOSE_CODES.instanceStopped,
  'invalid-input': TERMINAL_CLOSE_CODES.invalidInput,
  error: TERMINAL_CLOSE_CODES.runtimeError,
};

/**
 * One browser's terminal: a WebSocket joined to a shell on a pseudo-terminal in an instance's
 * sandbox. Keystrokes go in, output comes out; neither is logged nor audited. Whichever side
 * ends first ends the other, and the audit event records how long it lasted and why it ended.
 *
 * @internal
 */
export class TerminalSession {
  private readonly startedAt = Date.now();
  private terminal?: TerminalHandle;
  private readonly opening: Promise<TerminalHandle | undefined>;
  private idleTimer?: NodeJS.Timeout;
  private readonly limitTimer: NodeJS.Timeout;
  private pendingInputBytes = 0;
  private ended = false;
  private exitCode?: number;
  /** Resolves once the session has ended and its audit event is written. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly ws: WebSocket,
    private readonly target: TerminalTarget,
    private readonly size: { cols: number; rows: number },
    private readonly audit: AuditorServiceEvent,
    private readonly context: TerminalSessionContext,
    /** Called once, as soon as the session ends (before the shell is killed and audited). */
    private readonly onEnded: () => void,
    /** When the caller's token expires; the session ends then at the latest. */
    tokenExpiresAt?: Date,
  ) {
    this.done = new Promise(resolve => {
      this.resolveDone = resolve;
    });
    const { limits } = context;
    const tokenLeftMs = tokenExpiresAt
      ? tokenExpiresAt.getTime() - Date.now()
      : Infinity;
    const limitMs = Math.min(limits.maxSessionMs, tokenLeftMs);
    this.limitTimer = setTimeout(
      () =>
        this.end(
          'session-limit',
          limitMs < limits.maxSessionMs
            ? 'Your sign-in expired; open the terminal again'
            : `Sessions last at most ${Math.round(
                limits.maxSessionMs / 1000,
              )} s; open the terminal again`,
        ),
      Math.max(0, Math.min(limitMs, 2 ** 31 - 1)),
    );
    this.resetIdle();
    ws.on('message', (data, isBinary) => this.receive(data, isBinary));
    ws.on('close', () => this.end('closed', 'The browser closed the terminal'));
    ws.on('error', error => this.end('invalid-input', error.message));
    this.opening = this.open(limitMs);
  }

  private async open(limitMs: number): Promise<TerminalHandle | undefined> {
    const { runtime } = this.context;
    if (!runtime.openTerminal) {
      this.end('error', 'This sandbox runtime offers no terminal');
      return undefined;
    }
    try {
      const terminal = await runtime.openTerminal(this.target.sandboxId, {
        cols: this.size.cols,
        rows: this.size.rows,
        cwd: APP_DIR,
        // A little longer than our own limit, so that our message comes first.
        maxDurationMs:
          Math.min(limitMs, this.context.limits.maxSessionMs) + 5_000,
        onData: data => this.output(data),
      });
      if (this.ended) {
        await terminal.kill().catch(() => undefined);
        return undefined;
      }
      this.terminal = terminal;
      void terminal.wait().then(exit => this.shellEnded(exit));
      this.send({
        type: 'ready',
        instanceId: this.target.instanceId,
        idleTimeoutSeconds: Math.round(
          this.context.limits.idleTimeoutMs / 1000,
        ),
        maxSessionSeconds: Math.round(this.context.limits.maxSessionMs / 1000),
      });
      return terminal;
    } catch (error) {
      await this.endAfterRuntimeFailure(error as Error);
      return undefined;
    }
  }

  private output(data: Uint8Array) {
    if (this.ended || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.context.limits.maxBufferedBytes) {
      this.end(
        'error',
        'The browser did not keep up with the terminal output; open the terminal again',
      );
      return;
    }
    this.ws.send(data, { binary: true });
  }

  private receive(data: RawData, isBinary: boolean) {
    if (this.ended) return;
    const bytes = Buffer.isBuffer(data)
      ? data
      : Buffer.concat(Array.isArray(data) ? data : [Buffer.from(data)]);
    if (isBinary) {
      this.input(bytes);
      return;
    }
    let message: TerminalClientMessage;
    try {
      message = JSON.parse(bytes.toString('utf8'));
    } catch {
      this.end('invalid-input', 'Text frames must be JSON messages');
      return;
    }
    if (message?.type === 'input' && typeof message.data === 'string') {
      this.input(Buffer.from(message.data, 'utf8'));
    } else if (message?.type === 'resize') {
      this.resize(message);
    } else {
      this.end(
        'invalid-input',
        "Send input as binary frames, or JSON messages of type 'input' or 'resize'",
      );
    }
  }

  private input(bytes: Buffer) {
    if (bytes.length > TERMINAL_LIMITS.maxInputBytes) {
      this.end(
        'invalid-input',
        `Input frames carry at most ${TERMINAL_LIMITS.maxInputBytes} bytes; split longer input`,
      );
      return;
    }
    this.pendingInputBytes += bytes.length;
    if (this.pendingInputBytes > this.context.limits.maxPendingInputBytes) {
      this.end(
        'invalid-input',
        'More input arrived than the sandbox takes; send it more slowly',
      );
      return;
    }
    this.resetIdle();
    void this.opening.then(async terminal => {
      try {
        await terminal?.write(bytes);
      } catch (error) {
        await this.endAfterRuntimeFailure(error as Error);
      } finally {
        this.pendingInputBytes -= bytes.length;
      }
    });
  }

  private resize(message: { cols?: unknown; rows?: unknown }) {
    const { cols, rows } = message;
    const within = (value: unknown, min: number, max: number) =>
      Number.isInteger(value) &&
      (value as number) >= min &&
      (value as number) <= max;
    if (
      !within(cols, TERMINAL_LIMITS.minCols, TERMINAL_LIMITS.maxCols) ||
      !within(rows, TERMINAL_LIMITS.minRows, TERMINAL_LIMITS.maxRows)
    ) {
      this.end(
        'invalid-input',
        `resize needs whole numbers: cols ${TERMINAL_LIMITS.minCols}–${TERMINAL_LIMITS.maxCols}, rows ${TERMINAL_LIMITS.minRows}–${TERMINAL_LIMITS.maxRows}`,
      );
      return;
    }
    const size = { cols: cols as number, rows: rows as number };
    void this.opening.then(async terminal => {
      try {
        await terminal?.resize(size);
      } catch (error) {
        await this.endAfterRuntimeFailure(error as Error);
      }
    });
  }

  private resetIdle() {
    clearTimeout(this.idleTimer);
    const { idleTimeoutMs } = this.context.limits;
    this.idleTimer = setTimeout(
      () =>
        this.end(
          'idle-timeout',
          `Closed after ${Math.round(
            idleTimeoutMs / 1000,
          )} s without input; open the terminal again`,
        ),
      idleTimeoutMs,
    );
  }

  private async shellEnded(exit: ProcessExit) {
    if (this.ended) return;
    this.exitCode = exit.exitCode;
    if (!(await this.stillRunning())) {
      this.end('instance-stopped', 'The instance stopped');
    } else if (exit.error && exit.exitCode === -1) {
      this.end('error', `The terminal's connection was lost: ${exit.error}`);
    } else {
      this.end('exited', `The shell exited with code ${exit.exitCode}`);
    }
  }

  private async endAfterRuntimeFailure(error: Error) {
    if (this.ended) return;
    if (!(await this.stillRunning())) {
      this.end('instance-stopped', 'The instance stopped');
      return;
    }
    this.context.logger.warn(
      `Terminal in instance ${this.target.instanceId} failed: ${error.message}`,
    );
    this.end('error', `The terminal failed: ${error.message}`);
  }

  private async stillRunning() {
    try {
      return await this.context.instanceRunning(this.target.instanceId);
    } catch {
      return true;
    }
  }

  private send(message: TerminalServerMessage) {
    if (this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(message));
    }
  }

  /** Ends the session once: tells the browser why, closes both sides and audits the end. */
  end(reason: TerminalEndReason, message: string) {
    if (this.ended) return;
    this.ended = true;
    this.onEnded();
    clearTimeout(this.idleTimer);
    clearTimeout(this.limitTimer);
    this.send({ type: 'ended', reason, message });
    if (
      this.ws.readyState === WebSocket.OPEN ||
      this.ws.readyState === WebSocket.CONNECTING
    ) {
      // A close reason holds at most 123 bytes.
      this.ws.close(
        CLOSE_CODE[reason],
        Buffer.from(message).subarray(0, 120).toString(),
      );
    }
    const terminal = this.terminal;
    void (async () => {
      if (terminal && reason !== 'exited' && reason !== 'instance-stopped') {
        await terminal
          .kill()
          .catch(error =>
            this.context.logger.warn(
              `Could not close the terminal in instance ${this.target.instanceId}: ${error}`,
            ),
          );
      }
      const meta = {
        durationSeconds: Math.round((Date.now() - this.startedAt) / 1000),
        endReason: reason,
        ...(this.exitCode !== undefined && { exitCode: this.exitCode }),
      };
      try {
        if (reason === 'error') {
          await this.audit.fail({ error: new Error(message), meta });
        } else {
          await this.audit.success({ meta });
        }
      } finally {
        this.resolveDone();
      }
    })();
  }
}
