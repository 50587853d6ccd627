#!/usr/bin/env node
/*
 * The emulator's agent inside one sandbox. Plain CommonJS with no
 * dependencies: it runs under the sandbox's own Node, inside the sandbox's
 * namespaces, so that the processes it starts and the ports it reaches are the
 * sandbox's, not the host's.
 *
 * It listens on a unix socket (argv[2]). Every connection begins with one JSON
 * line:
 *   {"op":"spawn","cmd","args","envs","cwd"}  start a process; then frames both ways
 *   {"op":"connect","port"}                   then raw bytes to and from 127.0.0.1:port
 *
 * Frames are 1 type byte + 4-byte big-endian length + payload.
 *   agent to emulator: 1 started {pid}, 2 stdout, 3 stderr, 4 exit {code, signal}, 5 failed {message}
 *   emulator to agent: 6 stdin bytes, 7 signal {signal}, 8 close stdin
 *
 * When its own stdin closes (the emulator is gone) it kills everything it
 * started and exits.
 */
'use strict';

const net = require('node:net');
const fs = require('node:fs');
const { spawn } = require('node:child_process');

const socketPath = process.argv[2];
const children = new Set();

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

function onSpawn(socket, request, rest) {
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

  let buffered = rest;
  const consume = () => {
    while (buffered.length >= 5) {
      const type = buffered.readUInt8(0);
      const length = buffered.readUInt32BE(1);
      if (buffered.length < 5 + length) return;
      const body = buffered.subarray(5, 5 + length);
      buffered = buffered.subarray(5 + length);
      if (type === 6) child.stdin.write(body);
      else if (type === 7) killGroup(child.pid, JSON.parse(body).signal);
      else if (type === 8) child.stdin.end();
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
