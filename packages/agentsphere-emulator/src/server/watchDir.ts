import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ConnectError, ServerStream } from './connect';

type EventType =
  | 'EVENT_TYPE_CREATE'
  | 'EVENT_TYPE_WRITE'
  | 'EVENT_TYPE_REMOVE'
  | 'EVENT_TYPE_CHMOD';

/** What a name looked like when last seen, to tell a permission change from a write. */
type Seen = { mode: number; uid: number; gid: number };

function seenOf(stat: fs.Stats): Seen {
  return { mode: stat.mode, uid: stat.uid, gid: stat.gid };
}

/**
 * Checks a directory to watch as envd does: `not_found` when it does not exist,
 * `invalid_argument` when it is not a directory.
 */
export async function checkWatchable(
  hostPath: string,
  sandboxPath: string,
): Promise<void> {
  const stat = await fs.promises.stat(hostPath).catch(() => undefined);
  if (!stat) {
    throw new ConnectError(
      'not_found',
      `path ${sandboxPath} not found: stat ${sandboxPath}: no such file or directory`,
    );
  }
  if (!stat.isDirectory()) {
    throw new ConnectError(
      'invalid_argument',
      `path ${sandboxPath} not a directory`,
    );
  }
}

/** Names under `dir` (all levels when recursive) as they look now. */
async function snapshot(
  dir: string,
  recursive: boolean,
  prefix = '',
): Promise<Map<string, Seen | undefined>> {
  const seen = new Map<string, Seen | undefined>();
  for (const dirent of await fs.promises
    .readdir(dir, { withFileTypes: true })
    .catch(() => [])) {
    const name = path.join(prefix, dirent.name);
    const stat = await fs.promises
      .lstat(path.join(dir, dirent.name))
      .catch(() => undefined);
    if (!stat) {
      continue;
    }
    seen.set(name, seenOf(stat));
    if (recursive && stat.isDirectory()) {
      for (const [child, value] of await snapshot(
        path.join(dir, dirent.name),
        true,
        name,
      )) {
        seen.set(child, value);
      }
    }
  }
  return seen;
}

/**
 * `filesystem.Filesystem/WatchDir`: a start event, then one `filesystem` event per change
 * below the directory, named relative to it, and keepalives at the interval the client asks
 * for, until the client goes away or the directory does. inotify (through Node's `fs.watch`)
 * reports names, not operations, so the operation is read off the file: a name that appears
 * is `create`, one that disappears `remove` (also when it was moved away: envd says `rename`),
 * a change of mode or owner `chmod`, any other change `write`; `seen` holds each known name's
 * mode and owner (undefined when it was gone before it could be read).
 */
export async function watchDir(
  req: http.IncomingMessage,
  stream: ServerStream,
  hostDir: string,
  recursive: boolean,
): Promise<void> {
  const seen = await snapshot(hostDir, recursive);
  const watcher = fs.watch(hostDir, { recursive });
  stream.send({ start: {} });

  const keepAliveSeconds = Number(req.headers['keepalive-ping-interval'] ?? 0);
  const keepAlive =
    keepAliveSeconds > 0
      ? setInterval(
          () => stream.send({ keepalive: {} }),
          keepAliveSeconds * 1000,
        )
      : undefined;
  const stop = (error?: ConnectError) => {
    clearInterval(keepAlive);
    watcher.close();
    stream.end(error);
  };
  req.socket.once('close', () => stop());
  watcher.on('error', error =>
    stop(new ConnectError('internal', `watcher error: ${error.message}`)),
  );

  // Events are handled one at a time, in order, so each sees the state the last one left.
  // By the time an event is handled the file may have changed again (`echo > f && rm f`
  // is over before the first event arrives), so a name inotify reports as appearing or
  // disappearing is `create` when it exists or was not known, `remove` when it was known
  // and is gone.
  let queue = Promise.resolve();
  watcher.on('change', (kind, filename) => {
    if (filename === null) {
      return;
    }
    const name = filename.toString();
    queue = queue.then(async () => {
      const stat = await fs.promises
        .lstat(path.join(hostDir, name))
        .catch(() => undefined);
      const known = seen.has(name);
      const before = seen.get(name);
      let type: EventType;
      if (kind === 'rename') {
        type = !stat && known ? 'EVENT_TYPE_REMOVE' : 'EVENT_TYPE_CREATE';
      } else if (
        stat &&
        before &&
        (before.mode !== stat.mode ||
          before.uid !== stat.uid ||
          before.gid !== stat.gid)
      ) {
        type = 'EVENT_TYPE_CHMOD';
      } else {
        type = 'EVENT_TYPE_WRITE';
      }
      if (type === 'EVENT_TYPE_REMOVE') {
        seen.delete(name);
      } else {
        seen.set(name, stat && seenOf(stat));
      }
      stream.send({ filesystem: { name, type } });
    });
  });
}
