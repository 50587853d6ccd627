import http from 'node:http';

/** Connect error codes and the HTTP status a unary call answers them with. */
const HTTP_STATUS: Record<string, number> = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  unauthenticated: 401,
};

/** An error a Connect handler answers with. */
export class ConnectError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Sends a unary Connect error. */
export function sendUnaryError(res: http.ServerResponse, error: ConnectError) {
  const text = JSON.stringify({ code: error.code, message: error.message });
  res.writeHead(HTTP_STATUS[error.code] ?? 500, {
    'content-type': 'application/json',
  });
  res.end(text);
}

/** Reads the single enveloped message of a server-streaming request. */
export function decodeEnvelope(body: Buffer): any {
  if (body.length < 5) {
    return {};
  }
  const length = body.readUInt32BE(1);
  return JSON.parse(body.subarray(5, 5 + length).toString('utf8') || '{}');
}

function envelope(flags: number, message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  const head = Buffer.alloc(5);
  head.writeUInt8(flags, 0);
  head.writeUInt32BE(json.length, 1);
  return Buffer.concat([head, json]);
}

/**
 * A Connect server stream in JSON: enveloped messages, then an end-of-stream
 * envelope (flag 0x02) with an optional error.
 */
export class ServerStream {
  private ended = false;
  private sent = 0;

  constructor(
    private readonly res: http.ServerResponse,
    private readonly dropAfter: number | undefined,
  ) {
    res.writeHead(200, { 'content-type': 'application/connect+json' });
  }

  get isOpen(): boolean {
    return !this.ended && !this.res.destroyed;
  }

  send(message: unknown): void {
    if (!this.isOpen) {
      return;
    }
    if (this.dropAfter !== undefined && this.sent >= this.dropAfter) {
      this.ended = true;
      this.res.socket?.destroy();
      this.res.destroy();
      return;
    }
    this.sent += 1;
    this.res.write(envelope(0, message));
  }

  end(error?: ConnectError): void {
    if (!this.isOpen) {
      return;
    }
    this.ended = true;
    this.res.end(
      envelope(
        2,
        error ? { error: { code: error.code, message: error.message } } : {},
      ),
    );
  }
}
