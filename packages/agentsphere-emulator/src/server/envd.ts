import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Faults } from '../faults';
import { EmulatedSandbox } from '../sandboxes/EmulatedSandbox';
import { SANDBOX_HOME, userHome } from '../sandboxes/isolation';
import {
  ProcessEnd,
  ProcessStartError,
  PtySize,
  SandboxProcess,
} from '../sandboxes/SandboxProcess';
import {
  ConnectError,
  ServerStream,
  decodeEnvelope,
  sendUnaryError,
} from './connect';
import {
  credentialMatches,
  parseJson,
  readBody,
  sendEmpty,
  sendJson,
} from './http';
import { parseMultipart } from './multipart';
import { checkWatchable, watchDir } from './watchDir';

const SIGNALS: Record<string, 'SIGTERM' | 'SIGKILL'> = {
  SIGNAL_SIGTERM: 'SIGTERM',
  SIGNAL_SIGKILL: 'SIGKILL',
};

async function hostPathOrThrow(
  sandbox: EmulatedSandbox,
  sandboxPath: string,
): Promise<string> {
  const hostPath = await sandbox.hostPath(sandboxPath);
  if (!hostPath) {
    throw new ConnectError(
      'permission_denied',
      `the emulator only gives access to /home/user, /root and /tmp, not '${sandboxPath}'`,
    );
  }
  return hostPath;
}

/**
 * The user a request acts as: `Authorization: Basic base64("<user>:")` on envd's RPCs, the
 * `username` query parameter on `/files`; `user` when absent, as envd.
 */
function requestUser(req: http.IncomingMessage, url: URL): string {
  if (url.pathname === '/files') {
    return url.searchParams.get('username') || 'user';
  }
  const match = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
  const name = match
    ? Buffer.from(match[1], 'base64').toString('utf8').split(':')[0]
    : '';
  return name || 'user';
}

/** A path as the user means it: relative paths are under the user's home. */
function absolute(sandboxPath: string, user: string): string {
  return path.posix.resolve(userHome(user) ?? SANDBOX_HOME, sandboxPath);
}

function entryInfo(sandboxPath: string, stat: fs.Stats) {
  return {
    name: path.posix.basename(sandboxPath),
    type: stat.isDirectory() ? 'FILE_TYPE_DIRECTORY' : 'FILE_TYPE_FILE',
    path: sandboxPath,
  };
}

/** The largest terminal dimension envd passes on (it converts to uint16). */
const MAX_PTY_DIMENSION = 65535;

/** A `process.PTY` message's size, checked: whole numbers of cells from 1 to 65535. */
function ptySize(pty: any, field: string): PtySize {
  const size: Record<string, unknown> = pty?.size ?? {};
  const checked = { cols: 0, rows: 0 };
  for (const key of ['cols', 'rows'] as const) {
    const value = Number(size[key] ?? 0);
    if (!Number.isInteger(value) || value < 1 || value > MAX_PTY_DIMENSION) {
      throw new ConnectError(
        'invalid_argument',
        `${field}.size.${key} must be a whole number from 1 to ${MAX_PTY_DIMENSION}, not ${JSON.stringify(
          size[key] ?? 0,
        )}`,
      );
    }
    checked[key] = value;
  }
  return checked;
}

/** Why a process could not start, as envd words it for a terminal or for pipes. */
function startError(process: SandboxProcess, error: Error): ConnectError {
  if (error instanceof ProcessStartError && error.reason === 'cwd') {
    return new ConnectError('invalid_argument', error.message);
  }
  if (process.pty) {
    const command = [process.config.cmd, ...process.config.args].join(' ');
    return new ConnectError(
      'invalid_argument',
      `error starting pty with command '${command}' in dir '${process.config.cwd}' with '${process.pty.cols}' cols and '${process.pty.rows}' rows: ${error.message}`,
    );
  }
  return new ConnectError(
    'internal',
    `failed to start process: ${error.message}`,
  );
}

function endMessage(end: ProcessEnd) {
  return {
    event: {
      end: {
        ...(end.exitCode !== 0 && { exitCode: end.exitCode }),
        ...(end.exited && { exited: true }),
        status: end.status,
        ...(end.error && { error: end.error }),
      },
    },
  };
}

/** Streams a process's events until it ends or the client goes away. */
function streamProcess(
  req: http.IncomingMessage,
  stream: ServerStream,
  process: SandboxProcess,
  options: { sendStartOnAttach: boolean; onTimeout?: () => void },
) {
  const onStart = (pid: number) => stream.send({ event: { start: { pid } } });
  const onStdout = (chunk: Buffer) =>
    stream.send({ event: { data: { stdout: chunk.toString('base64') } } });
  const onStderr = (chunk: Buffer) =>
    stream.send({ event: { data: { stderr: chunk.toString('base64') } } });
  const onPty = (chunk: Buffer) =>
    stream.send({ event: { data: { pty: chunk.toString('base64') } } });
  const onEnd = (end: ProcessEnd) => {
    stream.send(endMessage(end));
    stream.end();
    detach();
  };
  const keepAliveSeconds = Number(req.headers['keepalive-ping-interval'] ?? 0);
  const keepAlive =
    keepAliveSeconds > 0
      ? setInterval(
          () => stream.send({ event: { keepalive: {} } }),
          keepAliveSeconds * 1000,
        )
      : undefined;
  const timeoutMs = Number(req.headers['connect-timeout-ms'] ?? 0);
  const deadline =
    timeoutMs > 0 && options.onTimeout
      ? setTimeout(options.onTimeout, timeoutMs)
      : undefined;
  function detach() {
    clearInterval(keepAlive);
    clearTimeout(deadline);
    process.off('start', onStart);
    process.off('stdout', onStdout);
    process.off('stderr', onStderr);
    process.off('pty', onPty);
    process.off('end', onEnd);
  }
  process.on('start', onStart);
  process.on('stdout', onStdout);
  process.on('stderr', onStderr);
  process.on('pty', onPty);
  process.on('end', onEnd);
  // A client that goes away detaches; the process keeps running, as with envd.
  req.socket.once('close', detach);
  if (options.sendStartOnAttach) {
    onStart(process.pid);
  }
  return detach;
}

function findProcess(sandbox: EmulatedSandbox, selector: any): SandboxProcess {
  const process = sandbox.findProcess({
    pid: selector?.pid !== undefined ? Number(selector.pid) : undefined,
    tag: selector?.tag,
  });
  if (!process) {
    throw new ConnectError(
      'not_found',
      selector?.tag !== undefined
        ? `process with tag ${selector.tag} not found`
        : `process with pid ${selector?.pid} not found`,
    );
  }
  return process;
}

async function unary(
  sandbox: EmulatedSandbox,
  method: string,
  request: any,
  user: string,
): Promise<unknown> {
  switch (method) {
    case 'process.Process/List':
      return {
        processes: [...sandbox.processes.values()].map(process => ({
          config: process.config,
          pid: process.pid,
          ...(process.tag && { tag: process.tag }),
        })),
      };
    case 'process.Process/SendSignal': {
      const process = findProcess(sandbox, request.process);
      const signal = SIGNALS[request.signal];
      if (!signal) {
        throw new ConnectError(
          'invalid_argument',
          `unsupported signal ${request.signal}`,
        );
      }
      process.signal(signal);
      return {};
    }
    case 'process.Process/SendInput': {
      const process = findProcess(sandbox, request.process);
      const input = request.input ?? {};
      // `input` is a oneof: an empty value is still sent, so presence decides.
      if (input.pty !== undefined) {
        if (!process.pty) {
          throw new ConnectError(
            'internal',
            'error writing to tty: tty not assigned to process — input should be written to the stdin, not the tty',
          );
        }
        process.writePty(Buffer.from(input.pty, 'base64'));
      } else if (input.stdin !== undefined) {
        if (process.pty) {
          throw new ConnectError(
            'internal',
            'error writing to stdin: tty assigned to process — input should be written to the pty, not the stdin',
          );
        }
        process.writeStdin(Buffer.from(input.stdin, 'base64'));
      } else {
        throw new ConnectError('unimplemented', 'invalid input type <nil>');
      }
      return {};
    }
    case 'process.Process/CloseStdin': {
      const process = findProcess(sandbox, request.process);
      if (process.pty) {
        throw new ConnectError(
          'unknown',
          'error closing stdin: cannot close stdin for PTY process — send Ctrl+D (0x04) instead',
        );
      }
      process.closeStdin();
      return {};
    }
    case 'process.Process/Update': {
      const process = findProcess(sandbox, request.process);
      if (request.pty) {
        if (!process.pty) {
          throw new ConnectError(
            'internal',
            'error resizing tty: tty not assigned to process',
          );
        }
        process.resizePty(ptySize(request.pty, 'pty'));
      }
      return {};
    }
    case 'filesystem.Filesystem/Stat': {
      const sandboxPath = absolute(request.path ?? '', user);
      const stat = await statOrThrow(
        await hostPathOrThrow(sandbox, sandboxPath),
        sandboxPath,
      );
      return { entry: entryInfo(sandboxPath, stat) };
    }
    case 'filesystem.Filesystem/MakeDir': {
      const sandboxPath = absolute(request.path ?? '', user);
      const hostPath = await hostPathOrThrow(sandbox, sandboxPath);
      if (fs.existsSync(hostPath)) {
        throw new ConnectError(
          'already_exists',
          `directory '${sandboxPath}' already exists`,
        );
      }
      await sandbox.makeDirectory(hostPath);
      return {
        entry: entryInfo(sandboxPath, await fs.promises.stat(hostPath)),
      };
    }
    case 'filesystem.Filesystem/Move': {
      const source = absolute(request.source ?? '', user);
      const destination = absolute(request.destination ?? '', user);
      const sourceHost = await hostPathOrThrow(sandbox, source);
      await statOrThrow(sourceHost, source);
      const destinationHost = await hostPathOrThrow(sandbox, destination);
      await sandbox.makeDirectory(path.dirname(destinationHost));
      await fs.promises.rename(sourceHost, destinationHost);
      return {
        entry: entryInfo(destination, await fs.promises.stat(destinationHost)),
      };
    }
    case 'filesystem.Filesystem/ListDir': {
      const sandboxPath = absolute(request.path ?? '', user);
      const hostPath = await hostPathOrThrow(sandbox, sandboxPath);
      await statOrThrow(hostPath, sandboxPath);
      return {
        entries: await listDir(
          hostPath,
          sandboxPath,
          Number(request.depth ?? 1),
        ),
      };
    }
    case 'filesystem.Filesystem/Remove': {
      // As envd (os.RemoveAll): removing a path that does not exist succeeds.
      const sandboxPath = absolute(request.path ?? '', user);
      const hostPath = await hostPathOrThrow(sandbox, sandboxPath);
      await fs.promises.rm(hostPath, { recursive: true, force: true });
      return {};
    }
    default:
      throw new ConnectError('unimplemented', `${method} is not emulated`);
  }
}

async function statOrThrow(
  hostPath: string,
  sandboxPath: string,
): Promise<fs.Stats> {
  try {
    return await fs.promises.stat(hostPath);
  } catch {
    throw new ConnectError('not_found', `path '${sandboxPath}' does not exist`);
  }
}

async function listDir(hostPath: string, sandboxPath: string, depth: number) {
  const entries: unknown[] = [];
  for (const dirent of await fs.promises.readdir(hostPath, {
    withFileTypes: true,
  })) {
    const childSandbox = path.posix.join(sandboxPath, dirent.name);
    const childHost = path.join(hostPath, dirent.name);
    entries.push({
      name: dirent.name,
      type: dirent.isDirectory() ? 'FILE_TYPE_DIRECTORY' : 'FILE_TYPE_FILE',
      path: childSandbox,
    });
    if (dirent.isDirectory() && depth > 1) {
      entries.push(...(await listDir(childHost, childSandbox, depth - 1)));
    }
  }
  return entries;
}

async function readFile(
  sandbox: EmulatedSandbox,
  res: http.ServerResponse,
  url: URL,
  user: string,
) {
  const sandboxPath = absolute(url.searchParams.get('path') ?? '', user);
  const hostPath = await sandbox.hostPath(sandboxPath);
  const stat = hostPath
    ? await fs.promises.stat(hostPath).catch(() => undefined)
    : undefined;
  if (!hostPath || !stat?.isFile()) {
    sendJson(res, 404, {
      code: 404,
      message: `path '${sandboxPath}' does not exist`,
    });
    return;
  }
  const data = await fs.promises.readFile(hostPath);
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': data.length,
  });
  res.end(data);
}

async function writeFiles(
  sandbox: EmulatedSandbox,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  user: string,
) {
  const parts = parseMultipart(
    await readBody(req),
    req.headers['content-type'] ?? '',
  ).filter(part => part.name === 'file');
  const queryPath = url.searchParams.get('path');
  const written = [];
  for (const part of parts) {
    const target = queryPath ?? part.filename;
    if (!target) {
      sendJson(res, 400, { code: 400, message: 'a file part needs a path' });
      return;
    }
    const sandboxPath = absolute(target, user);
    const hostPath = await sandbox.hostPath(sandboxPath);
    if (!hostPath) {
      sendJson(res, 403, {
        code: 403,
        message: `the emulator only writes under /home/user, /root and /tmp, not '${sandboxPath}'`,
      });
      return;
    }
    await sandbox.writeFile(hostPath, part.data);
    written.push({
      name: path.posix.basename(sandboxPath),
      type: 'file',
      path: sandboxPath,
    });
  }
  sendJson(res, 200, written);
}

/**
 * Why envd refuses a file transfer, or undefined: the access token in `X-Access-Token`, or else a
 * `signature` of `v1_` and the unpadded base64 SHA-256 of
 * `path:operation:username:accessToken[:signature_expiration]` (path and username as the query
 * gives them, an absent username as empty), checked before its expiration (Unix seconds).
 */
function fileTransferRefusal(
  token: string,
  operation: 'read' | 'write',
  req: http.IncomingMessage,
  url: URL,
): string | undefined {
  if (req.headers['x-access-token'] !== undefined) {
    return credentialMatches(req.headers['x-access-token'], token)
      ? undefined
      : 'access token present in header but does not match';
  }
  const signature = url.searchParams.get('signature');
  if (signature === null) {
    return 'missing signature query parameter';
  }
  const expiration = url.searchParams.get('signature_expiration');
  const raw = [
    url.searchParams.get('path') ?? '',
    operation,
    url.searchParams.get('username') ?? '',
    token,
    ...(expiration !== null ? [expiration] : []),
  ].join(':');
  const expected = `v1_${crypto
    .createHash('sha256')
    .update(raw)
    .digest('base64')
    .replace(/=+$/, '')}`;
  if (!credentialMatches(signature, expected)) {
    return 'invalid signature';
  }
  if (expiration !== null && Number(expiration) < Date.now() / 1000) {
    return 'signature is already expired';
  }
  return undefined;
}

/** envd at `49983-<id>.<domain>`: its HTTP API and its Connect-JSON services. */
export async function handleEnvd(
  sandbox: EmulatedSandbox,
  faults: Faults,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  const token = sandbox.spec.envdAccessToken;
  const method = url.pathname.slice(1);
  // A sandbox created `secure` answers only requests that carry its access token, as envd does,
  // or, for file transfers, a URL signed with it; refusals in envd's words.
  if (token) {
    const refusal =
      method === 'files' && (req.method === 'GET' || req.method === 'POST')
        ? fileTransferRefusal(
            token,
            req.method === 'POST' ? 'write' : 'read',
            req,
            url,
          )
        : !credentialMatches(req.headers['x-access-token'], token) &&
          'unauthorized access, please provide a valid access token or method signing if supported';
    if (refusal) {
      sendJson(res, 401, { code: 401, message: refusal });
      return;
    }
  }
  if (method === 'health') {
    sendEmpty(res, 204);
    return;
  }
  const user = requestUser(req, url);
  if (!userHome(user)) {
    const message = `user '${user}' does not exist: the sandbox has the users user and root`;
    if (method === 'files') {
      sendJson(res, 400, { code: 400, message });
    } else {
      sendUnaryError(res, new ConnectError('invalid_argument', message));
    }
    return;
  }
  if (method === 'files' && req.method === 'GET') {
    await readFile(sandbox, res, url, user);
    return;
  }
  if (method === 'files' && req.method === 'POST') {
    await writeFiles(sandbox, req, res, url, user);
    return;
  }

  const body = await readBody(req);
  const contentType = String(req.headers['content-type'] ?? '');
  if (contentType.startsWith('application/connect+json')) {
    const request = decodeEnvelope(body);
    const drop = faults.take(
      { service: 'envd', method: 'POST', path: url.pathname },
      ['drop-stream'],
    );
    const stream = new ServerStream(
      res,
      drop ? drop.afterMessages ?? 1 : undefined,
    );
    if (method === 'process.Process/Start') {
      let pty: PtySize | undefined;
      try {
        pty = request.pty ? ptySize(request.pty, 'pty') : undefined;
      } catch (error) {
        stream.end(error as ConnectError);
        return;
      }
      const process = sandbox.createProcess(
        request.process ?? {},
        request.tag,
        user,
        pty,
      );
      // The Start request's deadline kills the process, as envd does.
      streamProcess(req, stream, process, {
        sendStartOnAttach: false,
        onTimeout: () => process.signal('SIGKILL'),
      });
      try {
        await sandbox.startProcess(process);
      } catch (error) {
        stream.end(startError(process, error as Error));
      }
      return;
    }
    if (method === 'process.Process/Connect') {
      let process: SandboxProcess;
      try {
        process = findProcess(sandbox, request.process);
      } catch (error) {
        stream.end(error as ConnectError);
        return;
      }
      streamProcess(req, stream, process, {
        sendStartOnAttach: true,
        onTimeout: () => {
          stream.end(
            new ConnectError(
              'deadline_exceeded',
              'the request deadline passed',
            ),
          );
        },
      });
      return;
    }
    if (method === 'filesystem.Filesystem/WatchDir') {
      try {
        const sandboxPath = absolute(request.path ?? '', user);
        const hostPath = await hostPathOrThrow(sandbox, sandboxPath);
        await checkWatchable(hostPath, sandboxPath);
        await watchDir(req, stream, hostPath, Boolean(request.recursive));
      } catch (error) {
        stream.end(
          error instanceof ConnectError
            ? error
            : new ConnectError('internal', (error as Error).message),
        );
      }
      return;
    }
    stream.end(new ConnectError('unimplemented', `${method} is not emulated`));
    return;
  }

  try {
    sendJson(res, 200, await unary(sandbox, method, parseJson(body), user));
  } catch (error) {
    if (error instanceof ConnectError) {
      sendUnaryError(res, error);
    } else {
      sendUnaryError(
        res,
        new ConnectError('internal', (error as Error).message),
      );
    }
  }
}
