// A deployment with 1,000,000 stored lines that has gone quiet: its Logs tab opens following
// the tail with nothing pending, and search runs on the server over the whole history, showing
// a line from the middle with the lines around it. The lines are written through the backend's
// own LogStore into the portal's database (e2e/seedLogs.ts): the deployment itself is real,
// deployed and stopped through the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { eventually, launchBrowser, PORTAL_URL, screenshot, signIn } from './browser.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ROOT = path.resolve(import.meta.dirname, '..');
const ENTITY = 'component/default/ticker-worker';
const ENVIRONMENT = 'staging';
const LINES = 1_000_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * The folder of the portal's SQLite files: CODERUNNER_DATABASE_DIR, else the folder the running
 * backend was given (scripts/lib/e2e.sh hands it a temporary one), else the default of
 * app-config.yaml.
 */
function portalDatabaseDir() {
  if (process.env.CODERUNNER_DATABASE_DIR) return process.env.CODERUNNER_DATABASE_DIR;
  for (const pid of fs.readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const entry = environ.find(e => e.startsWith('APP_CONFIG_backend_database_connection_directory='));
      if (entry) return entry.slice(entry.indexOf('=') + 1);
    } catch {
      // A process that ended or is not ours to read.
    }
  }
  return path.join(ROOT, '.coderunner/database');
}

async function api(page, token, method, route, data) {
  const url = `${BACKEND_URL}/api/coderunner/entities/${ENTITY}${route}`;
  const response = await page.request.fetch(url, { method, headers: { authorization: `Bearer ${token}` }, data });
  assert.ok(response.ok(), `${method} ${route} answered ${response.status()}: ${await response.text()}`);
  return response.json();
}

async function lineNumbers(page) {
  return page.getByTestId('log-line').evaluateAll(rows => rows.map(row => Number(row.querySelector('span')?.textContent)));
}

test('a quiet deployment with 1,000,000 lines: the tab follows the tail, search finds the middle', { timeout: 900_000 }, async () => {
  const page = await signIn(browser);
  const refresh = await page.request.get(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const token = (await refresh.json()).backstageIdentity.token;

  // A real deployment, stopped once it ran: it prints nothing more.
  await api(page, token, 'POST', `/deployments/${ENVIRONMENT}/deploy`, {});
  const status = async () =>
    (await api(page, token, 'GET', '/deployments')).items.find(d => d.environment === ENVIRONMENT)?.status;
  await eventually('the staging deployment to be ready', async () => (await status()) === 'ready', 300_000);
  await api(page, token, 'POST', `/deployments/${ENVIRONMENT}/stop`, {});
  await eventually('the staging deployment to stop', async () => (await status()) === 'stopped', 120_000);

  // Its history: a million lines, the line numbered n stored as line n (a rerun adds none).
  const started = Date.now();
  const head = Number(
    execFileSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [
        path.join(ROOT, 'e2e/seedLogs.ts'),
        path.join(portalDatabaseDir(), 'coderunner.sqlite'),
        'component:default/ticker-worker',
        ENVIRONMENT,
        String(LINES),
      ],
      { encoding: 'utf8' },
    ),
  );
  console.log(`The deployment holds ${head} lines (seeding took ${Date.now() - started} ms)`);
  assert.ok(head >= LINES);
  const [seq] = (await api(page, token, 'GET', `/deployments/${ENVIRONMENT}/logs/search?q=${encodeURIComponent('line 500000:')}`)).seqs;

  await page.goto(`${PORTAL_URL}/catalog/default/component/ticker-worker/logs`);
  // Development (the first environment) may have no deployment: choose staging.
  await page.getByLabel('Environment').click({ timeout: 60_000 });
  await page.getByRole('option', { name: ENVIRONMENT, exact: true }).click();
  await page.getByTestId('log-lines').waitFor({ timeout: 60_000 });

  // At the tail: the newest line is on screen, following, nothing pending.
  await eventually('the newest line on screen', async () => (await lineNumbers(page)).includes(head), 60_000);
  assert.ok(await page.getByRole('button', { name: 'Following' }).isVisible(), 'the view follows the tail');
  assert.equal(await page.getByText(/new lines/).count(), 0, 'no lines are pending');
  assert.ok(Math.max(...(await lineNumbers(page))) === head, 'the last line shown is the newest');
  await screenshot(page, 'logs-scale-tail');

  // Search over the whole history, on the server: one match in the middle, shown with its context.
  await page.getByLabel('Search logs').fill('line 500000');
  await eventually('the match to be counted', async () => (await page.getByTestId('search-count').innerText()) === '1 of 1', 60_000);
  const match = page.getByText('INFO line 500000: processed item 500000');
  await match.waitFor({ timeout: 60_000 });
  assert.ok(await match.isVisible());
  assert.equal(await page.locator('mark').first().innerText(), 'line 500000');
  const around = await lineNumbers(page);
  assert.ok(around.includes(seq - 5) && around.includes(seq + 5), `lines around ${seq} are shown: ${around.join(', ')}`);
  await page.getByText(new RegExp(`Lines ${seq - 100}–${seq + 100} of the history`)).waitFor();
  assert.equal(await page.getByText(/new lines/).count(), 0, 'still no phantom pending lines');
  await screenshot(page, 'logs-scale-search');

  // Back to the tail: following again.
  await page.getByRole('button', { name: 'Back to the live tail' }).click();
  await eventually('the newest line on screen again', async () => (await lineNumbers(page)).includes(head), 60_000);
  assert.ok(await page.getByRole('button', { name: 'Following' }).isVisible());
});
