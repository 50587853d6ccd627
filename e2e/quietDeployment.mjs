// A deployment that printed 1,000,000 lines and went quiet, for the Logs tab at scale (the e2e
// test and bench/logs): ticker-worker in staging, deployed and stopped through the API, its
// history filled through the backend's LogStore by e2e/seedLogs.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eventually } from './browser.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ROOT = path.resolve(import.meta.dirname, '..');
export const ENTITY = 'component/default/ticker-worker';
export const ENVIRONMENT = 'staging';
export const LINES = 1_000_000;

/**
 * The folder of the portal's SQLite files: CODERUNNER_DATABASE_DIR, else the folder the running
 * backend was given (scripts/lib/e2e.sh hands it a temporary one), else the default of
 * app-config.yaml.
 */
function portalDatabaseDir() {
  if (process.env.CODERUNNER_DATABASE_DIR)
    return process.env.CODERUNNER_DATABASE_DIR;
  for (const pid of fs
    .readdirSync('/proc')
    .filter(name => /^\d+$/.test(name))) {
    try {
      const environ = fs
        .readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0');
      const entry = environ.find(e =>
        e.startsWith('APP_CONFIG_backend_database_connection_directory='),
      );
      if (entry) return entry.slice(entry.indexOf('=') + 1);
    } catch {
      // A process that ended or is not ours to read.
    }
  }
  return path.join(ROOT, '.coderunner/database');
}

/** Calls the deployment's API as the signed-in guest of `page`. */
export async function guestApi(page) {
  const refresh = await page.request.get(
    `${BACKEND_URL}/api/auth/guest/refresh`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  const token = (await refresh.json()).backstageIdentity.token;
  return async (method, route, data) => {
    const url = `${BACKEND_URL}/api/coderunner/entities/${ENTITY}${route}`;
    const response = await page.request.fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}` },
      data,
    });
    assert.ok(
      response.ok(),
      `${method} ${route} answered ${response.status()}: ${await response.text()}`,
    );
    return response.json();
  };
}

/** Runs e2e/seedLogs.ts: stores lines until the newest is number `head`; returns the newest. */
function seed(head) {
  const output = execFileSync(
    path.join(ROOT, 'node_modules/.bin/tsx'),
    [
      path.join(ROOT, 'e2e/seedLogs.ts'),
      path.join(portalDatabaseDir(), 'coderunner.sqlite'),
      'component:default/ticker-worker',
      ENVIRONMENT,
      String(head),
    ],
    { encoding: 'utf8' },
  );
  return Number(output);
}

/**
 * Deploys and stops the worker (it prints nothing more), then stores lines until it holds
 * LINES of them (a rerun adds none; after log retention pruned some, it adds as many again).
 * Returns the newest sequence number and a stored line in the middle (line n reads
 * "INFO line n: …").
 */
export async function prepareQuietDeployment(page) {
  const api = await guestApi(page);
  await api('POST', `/deployments/${ENVIRONMENT}/deploy`, {});
  const status = async () =>
    (await api('GET', '/deployments')).items.find(
      d => d.environment === ENVIRONMENT,
    )?.status;
  await eventually(
    'the staging deployment to be ready',
    async () => (await status()) === 'ready',
    300_000,
  );
  await api('POST', `/deployments/${ENVIRONMENT}/stop`, {});
  await eventually(
    'the staging deployment to stop',
    async () => (await status()) === 'stopped',
    120_000,
  );
  const started = Date.now();
  const first = (
    await api('GET', `/deployments/${ENVIRONMENT}/logs?after=0&limit=1`)
  ).items[0].seq;
  const head = seed(first - 1 + LINES);
  console.log(
    `The deployment holds lines ${first}–${head} (seeding took ${
      Date.now() - started
    } ms)`,
  );
  assert.ok(head - first + 1 >= LINES, `${LINES} lines stored`);
  return { head, middle: first - 1 + LINES / 2 };
}
