import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { migrateDatabaseUp } from '../database/migrateDatabase';
import { DatabaseDeploymentStore } from '../deployments/DatabaseDeploymentStore';
import {
  DeploymentRecord,
  InstanceRecord,
} from '../deployments/DeploymentStore';
import { startEmulatorProcess } from './startEmulatorProcess';
import {
  sharedEmulatorConfig,
  startReplicaProcess,
} from './startReplicaProcess';

/**
 * An app for replica tests: answers every GET with its instance id, counts each POST body it
 * gets, and says at `/seen?body=` how often it got one. `health` adds settings to the manifest's
 * `run.health` (for example `intervalSeconds: 1`).
 */
export async function writeCountingApp(health = ''): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coderunner-replicas-'));
  await fs.writeFile(
    path.join(dir, 'coderunner.yaml'),
    [
      'apiVersion: coderunner.io/v1',
      'runtime: { template: base }',
      'run:',
      '  command: node server.js',
      '  port: 3000',
      `  health: { path: /healthz, timeoutSeconds: 60${
        health ? `, ${health}` : ''
      } }`,
      '',
    ].join('\n'),
  );
  await fs.writeFile(
    path.join(dir, 'server.js'),
    `const http = require('node:http');
const instance = process.env.CODERUNNER_INSTANCE_ID;
const posts = new Map();
http.createServer((req, res) => {
  const url = new URL(req.url, 'http://app');
  let body = '';
  req.on('data', chunk => (body += chunk));
  req.on('end', () => {
    if (req.method === 'POST') posts.set(body, (posts.get(body) || 0) + 1);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ instance, seen: posts.get(url.searchParams.get('body')) || 0 }));
  });
}).listen(Number(process.env.PORT || 3000));
`,
  );
  return dir;
}

/**
 * Two backend replicas (reconciler, gateway and runtime each, in processes of their own) on
 * one PostgreSQL or SQLite database `knex`, sharing one emulator process, which each reaches by
 * app-config alone (`coderunner.emulator.url` and `apiKey`), as deployed replicas would. `a` starts first;
 * `startReplica()` starts another, so a test can let `a` take the leases before `b` exists.
 */
export async function startTwoReplicas(knex: Knex) {
  await migrateDatabaseUp(knex);
  const emulator = await startEmulatorProcess();
  const connection = knex.client.config.connection;
  const database =
    knex.client.config.client === 'pg'
      ? { pg: connection }
      : { sqliteFile: connection.filename as string };
  const replica = () =>
    startReplicaProcess({
      database,
      appConfig: sharedEmulatorConfig(emulator),
    });
  const a = await replica();
  const started: Awaited<ReturnType<typeof replica>>[] = [a];
  const store = DatabaseDeploymentStore.fromKnex(knex);
  return {
    emulator,
    store,
    a,
    /** Starts one more replica on the same database and emulator. */
    async startReplica() {
      const next = await replica();
      started.push(next);
      return next;
    },
    /**
     * Waits (on the database, read every 100 ms) until the deployment and its instances satisfy
     * `predicate`; after `timeoutMs`, fails with what it last read.
     */
    async waitFor(
      deploymentId: string,
      predicate: (d: DeploymentRecord, instances: InstanceRecord[]) => boolean,
      timeoutMs = 150_000,
    ) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const deployment = await store.getDeployment(deploymentId);
        const instances = await store.listInstances(deploymentId);
        if (deployment && predicate(deployment, instances)) {
          return { deployment, instances };
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Timed out; last state: ${JSON.stringify({
              deployment,
              instances,
            })}`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },
    async stop() {
      for (const r of started) await r.kill();
      await emulator.stop();
    },
  };
}

/** One request to a deployment through a gateway on 127.0.0.1; a lost connection is status 0. */
export function sendThroughGateway(
  port: number,
  host: string,
  method: string,
  urlPath: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise(resolve => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, headers: { host } },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', chunk => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', error => resolve({ status: 0, text: String(error) }));
      },
    );
    req.on('error', error => resolve({ status: 0, text: String(error) }));
    req.end(body);
  });
}

/**
 * GETs `/` of a deployment through a gateway from `clients` loops at once, each sending its next
 * request when the last was answered, until `stop()`, which resolves to every answer's status.
 */
export function steadyGets(port: number, host: string, clients = 4) {
  const statuses: number[] = [];
  let stopped = false;
  let waiters: { count: number; resolve: () => void }[] = [];
  const loop = async () => {
    while (!stopped) {
      statuses.push((await sendThroughGateway(port, host, 'GET', '/')).status);
      waiters = waiters.filter(w => {
        if (statuses.length < w.count) return true;
        w.resolve();
        return false;
      });
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    /** Resolves once `n` more answers have come. */
    answered(n: number) {
      return new Promise<void>(resolve =>
        waiters.push({ count: statuses.length + n, resolve }),
      );
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return statuses;
    },
  };
}

/**
 * Whether a deployment is served again after `sandboxId` died: its lease with `owner`, ready,
 * with `count` ready instances, none in that sandbox.
 */
export function servedAgain(owner: string, sandboxId: string, count = 2) {
  return (d: DeploymentRecord, rows: InstanceRecord[]) =>
    d.leaseOwner === owner &&
    d.status === 'ready' &&
    rows.length === count &&
    rows.every(r => r.state === 'ready' && r.sandboxId !== sandboxId);
}
