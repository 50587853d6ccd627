/**
 * The subprotocol of the instance terminal WebSocket at `/api/coderunner/terminal`; the
 * Backstage token travels as a second subprotocol, as on the log stream. See docs/terminal.md.
 *
 * @public
 */
export const TERMINAL_PROTOCOL = 'coderunner.terminal.v1';

/**
 * The terminal sizes and input sizes the backend accepts.
 *
 * @public
 */
export const TERMINAL_LIMITS = {
  minCols: 2,
  maxCols: 500,
  minRows: 1,
  maxRows: 200,
  /** Bytes of input in one frame; a client splits a longer paste into several frames. */
  maxInputBytes: 16 * 1024,
} as const;

/**
 * A control message from the browser on the terminal WebSocket, as a text frame. Keystrokes
 * travel as binary frames (UTF-8), or as `input` messages.
 *
 * @public
 */
export type TerminalClientMessage =
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'input'; data: string };

/**
 * Why a terminal session ended, as the last text frame before the socket closes.
 *
 * @public
 */
export type TerminalEndReason =
  /** The shell exited (for example after `exit`). */
  | 'exited'
  /** No input for `coderunner.terminal.idleTimeoutSeconds`. */
  | 'idle-timeout'
  /** The session reached `coderunner.terminal.maxSessionSeconds`, or its token expired. */
  | 'session-limit'
  /** The instance stopped or its sandbox went away. */
  | 'instance-stopped'
  /** The client sent something the server does not accept. */
  | 'invalid-input'
  /** The browser closed the socket. */
  | 'closed'
  /** The runtime failed, or the backend is shutting down. */
  | 'error';

/**
 * A control message from the backend on the terminal WebSocket, as a text frame. The shell's
 * output travels as binary frames.
 *
 * @public
 */
export type TerminalServerMessage =
  | {
      type: 'ready';
      instanceId: string;
      /** Seconds without input after which the session ends. */
      idleTimeoutSeconds: number;
      /** Seconds after which the session ends whatever happens. */
      maxSessionSeconds: number;
    }
  | { type: 'ended'; reason: TerminalEndReason; message: string };

/**
 * Close codes of the terminal WebSocket beyond the standard ones. The reason text says the same
 * in words; an `ended` message precedes the close where the server could still send one.
 *
 * @public
 */
export const TERMINAL_CLOSE_CODES = {
  /** The input was not understood: a bad frame, a size out of bounds or too much input. */
  invalidInput: 4400,
  /** The instance stopped or is not running. */
  instanceStopped: 4404,
  /** No input for the idle timeout. */
  idleTimeout: 4408,
  /** The session reached its longest allowed length, or its token expired. */
  sessionLimit: 4410,
  /** The user holds the most terminal sessions allowed on this backend replica. */
  tooManySessions: 4429,
  /** The runtime could not open a terminal or failed while it ran. */
  runtimeError: 4500,
} as const;
