import {
  DiscoveryApi,
  FetchApi,
  IdentityApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CodeRunnerHttpClient,
  TERMINAL_LIMITS,
  TERMINAL_PROTOCOL,
  TerminalServerMessage,
} from '@coderunner/plugin-coderunner-common';
import { coderunnerHttpClient } from './coderunnerHttpClient';
import {
  TerminalApi,
  TerminalConnection,
  TerminalHandlers,
  TerminalRequest,
} from './TerminalApi';

/**
 * The {@link TerminalApi} over the CodeRunner terminal WebSocket. A browser never sees the HTTP
 * status of a refused upgrade, so when the socket fails before it opens the client asks the
 * same route with a plain GET (through the generated REST client), which answers the
 * backend's reason. The socket itself is hand-made: OpenAPI describes the upgrade's statuses,
 * not a conversation over a WebSocket.
 *
 * @public
 */
export class TerminalClient implements TerminalApi {
  private readonly http: CodeRunnerHttpClient;

  constructor(
    private readonly apis: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      identityApi: IdentityApi;
    },
  ) {
    this.http = coderunnerHttpClient(apis);
  }

  /** {@inheritDoc TerminalApi.open} */
  open(
    request: TerminalRequest,
    handlers: TerminalHandlers,
  ): TerminalConnection {
    let ws: WebSocket | undefined;
    let closed = false;
    let opened = false;
    let ended = false;
    const end: TerminalHandlers['onEnd'] = outcome => {
      if (ended || closed) return;
      ended = true;
      handlers.onEnd(outcome);
    };
    const encoder = new TextEncoder();

    const connect = async () => {
      const base = await this.apis.discoveryApi.getBaseUrl('coderunner');
      const { token } = await this.apis.identityApi.getCredentials();
      if (closed) return;
      const query = new URLSearchParams(
        Object.entries(terminalQuery(request)).map(([key, value]) => [
          key,
          String(value),
        ]),
      );
      const socket = new WebSocket(
        `${base.replace(/^http/, 'ws')}/terminal?${query}`,
        [TERMINAL_PROTOCOL, token ?? 'none'],
      );
      socket.binaryType = 'arraybuffer';
      ws = socket;
      socket.onopen = () => {
        opened = true;
      };
      socket.onmessage = event => {
        if (typeof event.data !== 'string') {
          handlers.onOutput(new Uint8Array(event.data as ArrayBuffer));
          return;
        }
        const message = JSON.parse(event.data) as TerminalServerMessage;
        if (message.type === 'ready') handlers.onReady(message);
        else if (message.type === 'ended') {
          end({ reason: message.reason, message: message.message });
        }
      };
      socket.onclose = event => {
        if (opened) {
          end({
            reason: 'error',
            message: `The connection to the terminal was lost${
              event.reason ? `: ${event.reason}` : ''
            }`,
            problem: event.reason
              ? { kind: 'lost', detail: event.reason }
              : { kind: 'lost' },
          });
          return;
        }
        void this.refusal(request).then(end);
      };
    };
    connect().catch(error =>
      end({
        reason: 'unavailable',
        message: `Could not open the terminal: ${error}`,
        problem: { kind: 'not-opened', detail: String(error) },
      }),
    );

    return {
      write(data) {
        if (ws?.readyState !== WebSocket.OPEN) return;
        const bytes = encoder.encode(data);
        for (let i = 0; i < bytes.length; i += TERMINAL_LIMITS.maxInputBytes) {
          ws.send(bytes.subarray(i, i + TERMINAL_LIMITS.maxInputBytes));
        }
      },
      resize(cols, rows) {
        if (ws?.readyState !== WebSocket.OPEN) return;
        ws.send(JSON.stringify({ type: 'resize', cols, rows }));
      },
      close() {
        closed = true;
        ws?.close();
      },
    };
  }

  /** Why the backend refused the upgrade, from a plain GET of the same route. */
  private async refusal(
    request: TerminalRequest,
  ): Promise<Parameters<TerminalHandlers['onEnd']>[0]> {
    try {
      await this.http.get('/terminal', {
        params: { query: terminalQuery(request) },
      });
      return {
        reason: 'unavailable',
        message: 'The terminal connection closed before it opened; try again',
        problem: { kind: 'closed-before-open' },
      };
    } catch (error) {
      if (!(error instanceof ResponseError)) {
        return {
          reason: 'unavailable',
          message: `Could not reach CodeRunner: ${error}`,
          problem: { kind: 'unreachable', detail: String(error) },
        };
      }
      const { message } = error.body.error;
      const status = error.response.status;
      if (status === 403) return { reason: 'forbidden', message };
      if (status === 404 || status === 409) {
        return { reason: 'instance-stopped', message };
      }
      return { reason: 'unavailable', message };
    }
  }
}

/** The query of the terminal route: the same for the upgrade and for the plain GET. */
function terminalQuery(request: TerminalRequest) {
  return {
    entity: request.entityRef,
    environment: request.environment,
    instance: request.instanceId,
    cols: request.cols,
    rows: request.rows,
  };
}
