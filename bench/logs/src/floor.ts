/*
 * The floor of the latency rows: a bare `ws` broadcast with no pipeline behind it, in a child
 * process of its own as a replica is. It speaks just enough coderunner.v1 for StreamClient
 * (`subscribe` → `subscribed`), makes lines itself at a fixed rate, stamped as the sandboxed
 * emitter stamps them (on a worker thread's clock, or on this loop's: see `broadcast`), and sends
 * them in frames of the size it is told (the median frame the pipeline's first subscriber
 * received in the same run), each frame serialized once and the same buffer written to every
 * socket. No sandbox, no writer, no database, no feed.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { makeLines, startLineClock } from './lineClock';
import type { FloorCommand } from './protocol';

async function main() {
  const server = http.createServer();
  const wss = new WebSocketServer({
    server,
    handleProtocols: protocols =>
      protocols.has('coderunner.v1') ? 'coderunner.v1' : false,
  });
  const subscribers = new Set<WebSocket>();
  wss.on('connection', ws => {
    ws.on('message', data => {
      const message = JSON.parse(data.toString());
      if (message.type !== 'subscribe') return;
      subscribers.add(ws);
      ws.send(
        JSON.stringify({
          type: 'subscribed',
          id: message.id,
          deploymentId: 'floor',
          lastSeq: 0,
        }),
      );
    });
    ws.on('close', () => subscribers.delete(ws));
    ws.on('error', () => subscribers.delete(ws));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));

  /**
   * Makes `rate` lines a second for `seconds`, sent in frames of `frameSize` lines. With the
   * `loop` clock the lines are made and stamped by a timer of this broadcasting event loop, so a
   * line due while a broadcast runs is stamped after it (its wait for the loop is not counted);
   * with the `thread` clock a worker thread makes and stamps them on its own timer, as the
   * sandboxed emitter does in its own process, and this loop takes them when it is free.
   */
  const broadcast = (command: Extract<FloorCommand, { type: 'broadcast' }>) =>
    new Promise<{ frames: number; lines: number }>(resolve => {
      const { rate, seconds } = command;
      const size = Math.max(1, Math.round(command.frameSize));
      const total = Math.round(rate * seconds);
      const createdAt = new Date().toISOString();
      const pending: string[] = [];
      let seq = 0;
      let frames = 0;
      const send = (count: number) => {
        const items = pending.splice(0, count);
        const first = seq + 1;
        seq += items.length;
        // The same shape as a pipeline frame: LogLine items, as LogStore hands them to the feed.
        const message = Buffer.from(
          `{"type":"lines","id":"logs","items":[${items
            .map(
              (line, i) =>
                `{"seq":${first + i},"stream":"stdout","line":${JSON.stringify(
                  line,
                )},"createdAt":"${createdAt}","instanceId":"bench"}`,
            )
            .join(',')}],"lastSeq":${seq}}`,
        );
        for (const ws of subscribers) ws.send(message, { binary: false });
        frames++;
      };
      /** Lines made so far; null when the last one was made. */
      const take = (lines: string[] | null) => {
        if (lines) for (const line of lines) pending.push(line);
        while (pending.length >= size) send(size);
        if (lines === null) {
          if (pending.length > 0) send(pending.length);
          resolve({ frames, lines: seq });
        }
      };
      const options = { rate, total, padding: command.padding };
      if (command.clock === 'thread') {
        startLineClock(options, take);
        return;
      }
      makeLines(options, take);
    });

  process.on('message', (message: { id: number; command: FloorCommand }) => {
    const { id, command } = message;
    const done = (result: unknown) => process.send!({ id, result });
    if (command.type === 'broadcast') {
      void broadcast(command).then(done);
    } else if (command.type === 'memory') {
      done({ connections: subscribers.size, heapUsed: 0 });
    } else if (command.type === 'stop') {
      for (const ws of subscribers) ws.terminate();
      wss.close();
      server.close();
      done({});
      setImmediate(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({
    type: 'ready',
    port: (server.address() as AddressInfo).port,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
