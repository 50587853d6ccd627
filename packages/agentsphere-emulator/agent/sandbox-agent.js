#!/usr/bin/env node
/*
 * The emulator's agent inside one sandbox. Plain CommonJS with no
 * dependencies: it runs under the sandbox's own Node, inside the sandbox's
 * namespaces, so that the processes it starts and the ports it reaches are the
 * sandbox's, not the host's.
 *
 * It listens on a unix socket (argv[2]). Every connection begins with one JSON
 * line:
 *   {"op":"spawn","cmd","args","envs","cwd","pty"?}  start a process; then frames both ways
 *   {"op":"connect","port"}                          then raw bytes to and from 127.0.0.1:port
 *
 * With `pty: {cols, rows}` the process runs on a new pseudo-terminal of the sandbox's own
 * devpts (node-pty, loaded from the directory in argv[3]): it is a session leader with that
 * terminal as its controlling terminal, and stdin, stdout and stderr are the terminal.
 *
 * Frames are 1 type byte + 4-byte big-endian length + payload.
 *   agent to emulator: 1 started {pid}, 2 stdout, 3 stderr, 4 exit {code, signal},
 *                      5 failed {message}, 9 terminal output
 *   emulator to agent: 6 stdin bytes, 7 signal {signal}, 8 close stdin,
 *                      10 terminal input, 11 terminal size {cols, rows}
 *
 * When its own stdin closes (the emulator is gone) it kills everything it
 * started and exits.
 */
'use strict';

const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const socketPath = process.argv[2];
const nodePtyDir = process.argv[3];
const children = new Set();
let nodePty;

function frame(type, payload) {
  const body = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(JSON.stringify(payload));
  const head = Buffer.alloc(5);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Reads the frames the emulator sends after the first line, for as long as the socket lives. */
function readFrames(socket, rest, onFrame) {
  let buffered = rest;
  const consume = () => {
    while (buffered.length >= 5) {
      const type = buffered.readUInt8(0);
      const length = buffered.readUInt32BE(1);
      if (buffered.length < 5 + length) return;
      const body = buffered.subarray(5, 5 + length);
      buffered = buffered.subarray(5 + length);
      onFrame(type, body);
    }
  };
  socket.on('data', chunk => {
    buffered = Buffer.concat([buffered, chunk]);
    consume();
  });
  socket.on('error', () => undefined);
  socket.resume();
  consume();
}

function loadNodePty() {
  if (!nodePty) {
    if (!nodePtyDir) {
      throw new Error(
        "the emulator has no terminals: node-pty's native module is not built (yarn install builds it; it needs python3, make and g++)",
      );
    }
    nodePty = require(path.join(nodePtyDir, 'lib', 'index.js'));
  }
  return nodePty;
}

/** Where execvp would find `cmd` on the PATH of `env`, or undefined. */
function findExecutable(cmd, env, cwd) {
  const candidates = cmd.includes('/')
    ? [path.resolve(cwd, cmd)]
    : (env.PATH || '').split(':').map(dir => path.join(dir || '.', cmd));
  return candidates.find(candidate => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return fs.statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

function signalName(number) {
  return (
    Object.keys(os.constants.signals).find(
      name => os.constants.signals[name] === number,
    ) || null
  );
}

/**
 * A process on a new pseudo-terminal. node-pty forks with forkpty(3): the child calls
 * setsid() and takes the terminal as its controlling terminal, so job control, SIGWINCH
 * and `stty` work, while the agent keeps the terminal's master side.
 */
function onSpawnPty(socket, request, rest) {
  const env = request.envs || {};
  const cwd = request.cwd || process.cwd();
  let terminal;
  try {
    // forkpty reports a failed chdir or exec only as the child's exit status: check both
    // first, so that they fail the start as envd's do.
    if (!fs.statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
      socket.end(
        frame(5, { message: `cwd '${cwd}' does not exist`, reason: 'cwd' }),
      );
      return;
    }
    if (!findExecutable(request.cmd, env, cwd)) {
      throw new Error(
        request.cmd.includes('/')
          ? `fork/exec ${request.cmd}: no such file or directory`
          : `exec: "${request.cmd}": executable file not found in $PATH`,
      );
    }
    terminal = loadNodePty().spawn(request.cmd, request.args || [], {
      name: env.TERM || 'xterm',
      cols: request.pty.cols,
      rows: request.pty.rows,
      cwd,
      env,
      encoding: null,
    });
  } catch (error) {
    socket.end(frame(5, { message: String(error.message || error) }));
    return;
  }
  const child = { pid: terminal.pid };
  children.add(child);
  socket.write(frame(1, { pid: terminal.pid }));
  terminal.onData(chunk => socket.write(frame(9, chunk)));
  terminal.onExit(({ exitCode, signal }) => {
    children.delete(child);
    socket.end(
      frame(
        4,
        signal
          ? { code: null, signal: signalName(signal) }
          : { code: exitCode, signal: null },
      ),
    );
  });
  readFrames(socket, rest, (type, body) => {
    if (type === 10) terminal.write(body);
    else if (type === 11) {
      const { cols, rows } = JSON.parse(body);
      try {
        terminal.resize(cols, rows);
      } catch {
        // the terminal is already closed
      }
    } else if (type === 7) killGroup(terminal.pid, JSON.parse(body).signal);
  });
}

function onSpawn(socket, request, rest) {
  if (request.pty) {
    onSpawnPty(socket, request, rest);
    return;
  }
  let child;
  try {
    child = spawn(request.cmd, request.args || [], {
      cwd: request.cwd,
      env: request.envs || {},
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    socket.end(frame(5, { message: String(error.message || error) }));
    return;
  }
  let started = false;
  child.once('error', error => {
    if (!started) {
      socket.end(frame(5, { message: String(error.message || error) }));
    }
  });
  child.once('spawn', () => {
    started = true;
    children.add(child);
    socket.write(frame(1, { pid: child.pid }));
  });
  child.stdin.on('error', () => undefined);
  child.stdout.on('data', chunk => socket.write(frame(2, chunk)));
  child.stderr.on('data', chunk => socket.write(frame(3, chunk)));
  child.once('close', (code, signal) => {
    children.delete(child);
    if (started) {
      socket.end(frame(4, { code, signal }));
    }
  });

  readFrames(socket, rest, (type, body) => {
    if (type === 6) child.stdin.write(body);
    else if (type === 7) killGroup(child.pid, JSON.parse(body).signal);
    else if (type === 8) child.stdin.end();
  });
}

function onConnect(socket, request, rest) {
  const upstream = net.connect({ host: '127.0.0.1', port: request.port });
  upstream.once('connect', () => {
    if (rest.length) upstream.write(rest);
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
}

const server = net.createServer(socket => {
  let head = Buffer.alloc(0);
  const onData = chunk => {
    head = Buffer.concat([head, chunk]);
    const newline = head.indexOf(10);
    if (newline < 0) return;
    socket.off('data', onData);
    socket.pause();
    const request = JSON.parse(head.subarray(0, newline).toString('utf8'));
    const rest = head.subarray(newline + 1);
    if (request.op === 'spawn') onSpawn(socket, request, rest);
    else if (request.op === 'connect') onConnect(socket, request, rest);
    else socket.destroy();
  };
  socket.on('data', onData);
  socket.on('error', () => undefined);
});

function shutdown() {
  for (const child of children) killGroup(child.pid, 'SIGKILL');
  process.exit(0);
}

try {
  fs.unlinkSync(socketPath);
} catch {
  // not there yet
}
server.listen(socketPath, () => process.stdout.write('ready\n'));
process.stdin.on('end', shutdown);
process.stdin.on('close', shutdown);
process.stdin.resume();
process.on('SIGTERM', shutdown);
