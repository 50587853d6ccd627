/*
 * One CodeRunner backend replica for bench/logs, run as a child process so that its memory and
 * CPU are its own: the real LogStore, LogWriter, LogHub (with PgNotifyTransport on PostgreSQL)
 * and StreamServer behind an HTTP server on 127.0.0.1, plus the real AgentSphereRuntime talking
 * to the emulator that the parent runs. The parent drives it over IPC (see ReplicaCommand).
 */
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { routeDomainToEmulator } from '@coderunner/agentsphere-emulator';
import { AgentSphereRuntime } from '@coderunner/plugin-coderunner-backend';
import { EntityGuard } from '@coderunner/plugin-coderunner-backend/src/entities/EntityGuard';
import { tuneSqlite } from '@coderunner/plugin-coderunner-backend/src/database/tuneSqlite';
import { DatabaseLogStore } from '@coderunner/plugin-coderunner-backend/src/logs/DatabaseLogStore';
import { LogHub } from '@coderunner/plugin-coderunner-backend/src/logs/LogHub';
import { LogWriter } from '@coderunner/plugin-coderunner-backend/src/logs/LogWriter';
import { PgNotifyTransport } from '@coderunner/plugin-coderunner-backend/src/logs/PgNotifyTransport';
import {
  CAPTURE_SCRIPT_PATH,
  CAPTURE_SCRIPT_SOURCE,
  CapturedOutputParser,
  captureCommand,
  followCommand,
} from '@coderunner/plugin-coderunner-backend/src/orchestrator/capturedOutput';
import { FeedRegistry } from '@coderunner/plugin-coderunner-backend/src/stream/FeedRegistry';
import { StreamServer } from '@coderunner/plugin-coderunner-backend/src/stream/StreamServer';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import knexFactory, { Knex } from 'knex';
import { startLineClock } from './lineClock';
import type { ReplicaCommand, ReplicaConfig } from './protocol';

const config: ReplicaConfig = JSON.parse(
  process.env.BENCH_REPLICA_CONFIG ?? '{}',
);

const logger: LoggerService = {
  error: (message, meta) =>
    console.error(`[${config.name}]`, message, meta ?? ''),
  warn: (message, meta) =>
    console.warn(`[${config.name}]`, message, meta ?? ''),
  info: () => undefined,
  debug: () => undefined,
  child: () => logger,
};

/** Accepts exactly the run's token, as a user; the stream server only calls authenticate. */
const auth = {
  async authenticate(token: string) {
    if (token !== config.token) throw new Error('invalid token');
    return {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    };
  },
} as unknown as AuthService;

/** Every entity is readable; the deployment is named by the entity (see main.ts). */
const guard = {
  async authorize({ ref }: { ref: string }) {
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: ref.split('/').pop(), namespace: 'default' },
    };
  },
} as unknown as EntityGuard;

function openDatabase(): Knex {
  if (config.database.client === 'pg') {
    return knexFactory({
      client: 'pg',
      connection: config.database.connection,
      pool: { min: 1, max: 10 },
    });
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: config.database.filename },
    useNullAsDefault: true,
  });
}

async function main() {
  const route = routeDomainToEmulator(
    config.emulator.domain,
    config.emulator.url,
  );
  const knex = openDatabase();
  // As the plugin does when it starts (DeploymentStore.create).
  await tuneSqlite(knex);
  const store = DatabaseLogStore.create({ knex });
  const hub = new LogHub(
    PgNotifyTransport.isSupported(knex)
      ? new PgNotifyTransport(knex, logger)
      : undefined,
  );
  await hub.start();
  const runtime = AgentSphereRuntime.create({
    logger,
    apiKey: config.emulator.apiKey,
    domain: config.emulator.domain,
  });

  const writers = new Map<string, LogWriter>();
  const writerFor = (deploymentId: string) => {
    let writer = writers.get(deploymentId);
    if (!writer) {
      writer = new LogWriter(deploymentId, store, logger, {
        onWritten: (id, lastSeq) => hub.linesWritten(id, lastSeq),
      });
      writers.set(deploymentId, writer);
    }
    return writer;
  };

  const app = express();
  const server = http.createServer(app);
  let port = 0;
  const streamServer = StreamServer.create({
    auth,
    discovery: {
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/coderunner`,
      getExternalBaseUrl: async () => `http://127.0.0.1:${port}/api/coderunner`,
    },
    logger,
    // Every subscriber of the bench signs in as the same user: the per-user cap would refuse all but a few.
    maxSocketsPerUser: 100_000,
    context: {
      feeds: new FeedRegistry(store, hub),
      store,
      guard,
      deployments: {
        get: async entity => ({ id: String(entity.metadata.name) }),
        viewById: async id => ({ id, status: 'running' } as any),
      },
      logger,
      // The production limits from plugin.ts.
      limits: {
        maxSubscriptions: 20,
        highWaterBytes: 1024 * 1024,
        maxTail: 10_000,
      },
    },
  });
  app.use('/api/coderunner', streamServer.router());
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  // The first request that reaches the router hooks the upgrade listener, as in a real backend.
  await fetch(`http://127.0.0.1:${port}/api/coderunner/stream`);

  const generators = new Set<NodeJS.Timeout>();
  // How long output takes from the process to this replica (the emulator's share of the latency).
  const arrival: number[] = [];
  const onOutput =
    (deploymentId: string) =>
    (o: { stream: 'stdout' | 'stderr'; data: string }) => {
      if (o.data.startsWith('t=') && arrival.length < 200_000) {
        arrival.push(
          performance.timeOrigin +
            performance.now() -
            Number(o.data.slice(2, o.data.indexOf(' '))),
        );
      }
      writerFor(deploymentId).write(o.data, {
        stream: o.stream,
        instanceId: 'bench',
      });
    };

  /** Bytes the last follower read back from the buffer before it caught up. */
  let recovered: { stdout: number; stderr: number } | undefined;
  /**
   * As InstanceRunner does: the process's output framed by the sandbox's output buffer, stored
   * with byte offsets; the instance id is the deployment's (offsets are kept per instance).
   */
  const capturedOutput = (
    deploymentId: string,
    offsets?: { stdout: number; stderr: number },
  ) => {
    const writer = writerFor(deploymentId);
    const source = (stream: 'stdout' | 'stderr') => ({
      stream,
      instanceId: deploymentId,
    });
    const parser = new CapturedOutputParser(
      {
        line: (text, stream, offset) =>
          writer.line(text, { ...source(stream), offset }),
        raw: (data, stream) => writer.write(data, source(stream)),
        gap: (stream, from, to) =>
          writer.line(`[CodeRunner] ${to - from} bytes of ${stream} lost`, {
            ...source(stream),
            offset: to,
          }),
        caughtUp: () => {
          recovered = { ...parser.received };
        },
      },
      offsets,
    );
    return (o: { stream: 'stdout' | 'stderr'; data: string }) =>
      parser.push(o.data, o.stream);
  };

  async function handle(command: ReplicaCommand): Promise<unknown> {
    switch (command.type) {
      case 'startProcess': {
        if (command.captured) {
          await runtime.uploadFiles(command.sandboxId, [
            { path: CAPTURE_SCRIPT_PATH, content: CAPTURE_SCRIPT_SOURCE },
          ]);
          // The sandbox is reused between runs: a fresh buffer for each process.
          await runtime.runCommand(
            command.sandboxId,
            'rm -rf "$HOME/.coderunner/output"',
          );
          const started = await runtime.startProcess(
            command.sandboxId,
            captureCommand(command.command),
            {
              cwd: command.cwd,
              onOutput: capturedOutput(command.deploymentId),
            },
          );
          return { pid: started.pid };
        }
        const started = await runtime.startProcess(
          command.sandboxId,
          command.command,
          {
            cwd: command.cwd,
            onOutput: onOutput(command.deploymentId),
          },
        );
        return { pid: started.pid };
      }
      case 'attachProcess': {
        if (command.captured) {
          // The takeover: attached for the exit; the output is read on from what is stored.
          const attached = await runtime.attachProcess(
            command.sandboxId,
            command.pid,
          );
          const offsets = await store.storedOffsets(command.deploymentId);
          recovered = undefined;
          await runtime.startProcess(
            command.sandboxId,
            followCommand(offsets),
            {
              onOutput: capturedOutput(command.deploymentId, offsets),
            },
          );
          return { pid: attached.pid, offsets };
        }
        const attached = await runtime.attachProcess(
          command.sandboxId,
          command.pid,
          {
            onOutput: onOutput(command.deploymentId),
          },
        );
        return { pid: attached.pid };
      }
      case 'generate': {
        // Output as the runtime would hand it over: one chunk of whole lines every 5 ms.
        const writer = writerFor(command.deploymentId);
        const started = performance.now();
        let written = 0;
        const total = Math.round(command.linesPerSecond * command.seconds);
        const padding = 'x'.repeat(command.padding);
        await new Promise<void>(resolve => {
          const timer = setInterval(() => {
            const due = Math.min(
              total,
              Math.floor(
                ((performance.now() - started) / 1000) * command.linesPerSecond,
              ),
            );
            if (due > written) {
              const t = performance.timeOrigin + performance.now();
              let chunk = '';
              for (let n = written; n < due; n++)
                chunk += `t=${t.toFixed(3)} n=${n} ${padding}\n`;
              writer.write(chunk, {
                stream: 'stdout',
                instanceId: 'generator',
              });
              written = due;
            }
            if (written >= total) {
              clearInterval(timer);
              generators.delete(timer);
              resolve();
            }
          }, 5);
          generators.add(timer);
        });
        await writer.flush();
        return { written, seconds: (performance.now() - started) / 1000 };
      }
      case 'threadLines': {
        const writer = writerFor(command.deploymentId);
        const total = Math.round(command.rate * command.seconds);
        await new Promise<void>(resolve =>
          startLineClock(
            { rate: command.rate, total, padding: command.padding },
            lines => {
              if (lines === null) resolve();
              else
                writer.write(`${lines.join('\n')}\n`, {
                  stream: 'stdout',
                  instanceId: 'bench',
                });
            },
          ),
        );
        await writer.flush();
        return { written: total };
      }
      case 'arrival': {
        const sorted = arrival.splice(0).sort((a, b) => a - b);
        const at = (p: number) =>
          sorted[
            Math.min(
              sorted.length - 1,
              Math.max(0, Math.ceil(p * sorted.length) - 1),
            )
          ];
        return { samples: sorted.length, p50: at(0.5), p99: at(0.99) };
      }
      case 'recovered':
        return { recovered };
      case 'flush':
        for (const writer of writers.values()) await writer.flush();
        return {};
      case 'head':
        return { head: await store.head(command.deploymentId) };
      case 'memory': {
        for (let i = 0; i < 3; i++) {
          (global as any).gc?.();
          await new Promise(resolve => setTimeout(resolve, 100));
        }
        return {
          ...process.memoryUsage(),
          connections: streamServer.connectionCount,
        };
      }
      case 'stop':
        for (const timer of generators) clearInterval(timer);
        for (const writer of writers.values()) await writer.flush();
        await streamServer.stop();
        server.closeAllConnections();
        await new Promise(resolve => server.close(resolve));
        await hub.stop();
        await runtime.close();
        route.remove();
        await knex.destroy();
        setImmediate(() => process.exit(0));
        return {};
      default:
        throw new Error(`unknown command ${JSON.stringify(command)}`);
    }
  }

  process.on('message', (message: { id: number; command: ReplicaCommand }) => {
    handle(message.command).then(
      result => process.send!({ id: message.id, result }),
      error =>
        process.send!({ id: message.id, error: String(error?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', port });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
