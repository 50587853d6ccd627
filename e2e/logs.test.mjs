// Deploys ticker-worker to development through the API, opens its Logs tab, and checks that
// lines appear live, that the stream filter narrows them and that search finds and counts them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
  eventually,
} from './browser.mjs';
import { guestHeaders } from './deployment.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function lineNumbers(page) {
  return page
    .getByTestId('log-line')
    .evaluateAll(rows =>
      rows.map(row => Number(row.querySelector('span')?.textContent)),
    );
}

test(
  'lines of a deployed worker appear live; filter and search work',
  { timeout: 600_000 },
  async () => {
    const page = await signIn(browser);
    const deploy = await page.request.post(
      `${BACKEND_URL}/api/coderunner/entities/component/default/ticker-worker/deployments/development/deploy`,
      { headers: await guestHeaders(page), data: {} },
    );
    assert.ok(
      deploy.ok(),
      `deploy answered ${deploy.status()}: ${await deploy.text()}`,
    );

    // Logs sits in the entity page's Observability group; its URL is stable.
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/ticker-worker/logs`,
    );
    await page.getByTestId('log-lines').waitFor({ timeout: 60_000 });
    await eventually('the connection to be live', () =>
      page.getByText('Live', { exact: true }).isVisible(),
    );

    // Lines keep arriving while we watch: the newest number grows without a reload.
    const first = await eventually('the first ticks', async () => {
      const numbers = await lineNumbers(page);
      return (
        (await page.getByText(/INFO tick \d+/).count()) > 0 &&
        Math.max(...numbers)
      );
    });
    const later = await eventually('more ticks to arrive live', async () => {
      const newest = Math.max(...(await lineNumbers(page)));
      return newest > first + 2 && newest;
    });
    assert.ok(later > first);
    await screenshot(page, 'logs-live');

    // Filter: only stderr keeps the warnings (ticker-worker writes WARN lines to stderr).
    await page.getByRole('button', { name: /^Stream\b/ }).click();
    await page.getByRole('option', { name: 'stderr', exact: true }).click();
    await eventually(
      'a warning on stderr',
      async () => (await page.getByText(/WARN tick \d+/).count()) > 0,
      120_000,
    );
    assert.equal(await page.getByText(/INFO tick \d+/).count(), 0);
    await screenshot(page, 'logs-filtered-stderr');

    // Back to every stream, then search.
    await page.getByRole('button', { name: /^Stream\b/ }).click();
    await page.getByRole('option', { name: 'All streams' }).click();
    await eventually(
      'ticks again',
      async () => (await page.getByText(/INFO tick \d+/).count()) > 0,
    );
    await page.getByLabel('Search logs').fill('tick');
    const count = await eventually('search matches', async () => {
      const text = await page.getByTestId('search-count').innerText();
      const match = /(\d+) of (\d+)/.exec(text);
      return match && Number(match[2]) > 0 && Number(match[2]);
    });
    assert.ok(count > 0);
    assert.ok(
      (await page.locator('mark').count()) > 0,
      'matches are highlighted',
    );
    await page.getByLabel('Next match').click();
    await screenshot(page, 'logs-search');
  },
);
