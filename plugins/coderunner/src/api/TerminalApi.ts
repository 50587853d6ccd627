import { createApiRef } from '@backstage/core-plugin-api';
import { TerminalEndReason } from '@coderunner/plugin-coderunner-common';

/**
 * Which instance a terminal opens in, and its size at the start.
 *
 * @public
 */
export interface TerminalRequest {
  /** The component, e.g. `component:default/hello-node`. */
  entityRef: string;
  /** The deployment's environment. */
  environment: string;
  /** A starting or ready instance of that deployment. */
  instanceId: string;
  /** Columns of the terminal at the start. */
  cols: number;
  /** Rows of the terminal at the start. */
  rows: number;
}

/**
 * What a terminal's user hears.
 *
 * @public
 */
export interface TerminalHandlers {
  /** The shell runs: input is delivered from now on. */
  onReady(info: {
    idleTimeoutSeconds: number;
    maxSessionSeconds: number;
  }): void;
  /** The shell's output (bytes as written, for the terminal emulator to decode). */
  onOutput(data: Uint8Array): void;
  /**
   * The session is over, with the reason in words; `forbidden` when the user may not open a
   * terminal there, `unavailable` when the backend could not be reached or refused otherwise.
   */
  onEnd(end: {
    reason: TerminalEndReason | 'forbidden' | 'unavailable';
    message: string;
    /**
     * Set when the client ended the session itself, for a UI to word `message` in its own
     * language: `lost` (the open connection dropped; `detail` is the close reason, if any),
     * `not-opened` and `unreachable` (`detail` is the error), `closed-before-open`.
     */
    problem?: {
      kind: 'lost' | 'not-opened' | 'closed-before-open' | 'unreachable';
      detail?: string;
    };
  }): void;
}

/**
 * An open terminal session.
 *
 * @public
 */
export interface TerminalConnection {
  /** Types into the terminal (split into frames the backend accepts). */
  write(data: string): void;
  /** Tells the shell the terminal's new size. */
  resize(cols: number, rows: number): void;
  /** Ends the session; no handler is called after it. */
  close(): void;
}

/**
 * Terminals into running instances, over the CodeRunner terminal WebSocket (docs/terminal.md).
 *
 * @public
 */
export interface TerminalApi {
  /** Opens a session; the handlers say when it is ready, what it prints and why it ended. */
  open(
    request: TerminalRequest,
    handlers: TerminalHandlers,
  ): TerminalConnection;
}

/**
 * The {@link TerminalApi}.
 *
 * @public
 */
export const terminalApiRef = createApiRef<TerminalApi>({
  id: 'plugin.coderunner.terminal',
});
