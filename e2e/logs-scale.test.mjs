// A deployment with 1,000,000 stored lines that has gone quiet: its Logs tab opens following
// the tail with nothing pending, and search runs on the server over the whole history, showing
// a line from the middle with the lines around it. The lines are written through the backend's
// own LogStore into the portal's database (e2e/seedLogs.ts): the deployment itself is real,
// deployed and stopped through the API.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
  eventually,
} from './browser.mjs';
import {
  ENVIRONMENT,
  guestApi,
  prepareQuietDeployment,
} from './quietDeployment.mjs';

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
  'a quiet deployment with 1,000,000 lines: the tab follows the tail, search finds the middle',
  { timeout: 900_000 },
  async () => {
    const page = await signIn(browser);
    const { head, middle } = await prepareQuietDeployment(page);
    const api = await guestApi(page);
    const [seq] = (
      await api(
        'GET',
        `/deployments/${ENVIRONMENT}/logs/search?q=${encodeURIComponent(
          `line ${middle}:`,
        )}`,
      )
    ).seqs;

    await page.goto(
      `${PORTAL_URL}/catalog/default/component/ticker-worker/logs`,
    );
    // The tab opens on development (the first environment); choosing staging streams its tail of
    // 5,000 lines in. Again after switching away and back: each time at the tail, nothing pending.
    for (const round of [1, 2, 3]) {
      if (round > 1) {
        await page.getByRole('button', { name: /^Environment\b/ }).click();
        await page
          .getByRole('option', { name: 'development', exact: true })
          .click();
      }
      await page
        .getByRole('button', { name: /^Environment\b/ })
        .click({ timeout: 60_000 });
      await page
        .getByRole('option', { name: ENVIRONMENT, exact: true })
        .click();
      await page.getByTestId('log-lines').waitFor({ timeout: 60_000 });
      await eventually(
        'the newest line on screen',
        async () => (await lineNumbers(page)).includes(head),
        60_000,
      );
      await page.getByText('5,000 lines', { exact: true }).waitFor();
      assert.ok(
        await page.getByRole('button', { name: 'Following' }).isVisible(),
        `round ${round}: following the tail`,
      );
      assert.equal(
        await page.getByText(/new lines/).count(),
        0,
        `round ${round}: no lines are pending`,
      );
      assert.ok(
        Math.max(...(await lineNumbers(page))) === head,
        `round ${round}: the last line shown is the newest`,
      );
    }
    await screenshot(page, 'logs-scale-tail');

    // Search over the whole history, on the server: one match in the middle, shown with its context.
    await page.getByLabel('Search logs').fill(`line ${middle}`);
    await eventually(
      'the match to be counted',
      async () =>
        (await page.getByTestId('search-count').innerText()) === '1 of 1',
      60_000,
    );
    const match = page.getByText(
      `INFO line ${middle}: processed item ${middle}`,
    );
    await match.waitFor({ timeout: 60_000 });
    assert.ok(await match.isVisible());
    assert.equal(
      await page.locator('mark').first().innerText(),
      `line ${middle}`,
    );
    const around = await lineNumbers(page);
    assert.ok(
      around.includes(seq - 5) && around.includes(seq + 5),
      `lines around ${seq} are shown: ${around.join(', ')}`,
    );
    await page
      .getByText(new RegExp(`Lines ${seq - 100}–${seq + 100} of the history`))
      .waitFor();
    assert.equal(
      await page.getByText(/new lines/).count(),
      0,
      'still no phantom pending lines',
    );
    await screenshot(page, 'logs-scale-search');

    // Back to the tail: following again.
    await page.getByRole('button', { name: 'Back to the live tail' }).click();
    await eventually(
      'the newest line on screen again',
      async () => (await lineNumbers(page)).includes(head),
      60_000,
    );
    assert.ok(
      await page.getByRole('button', { name: 'Following' }).isVisible(),
    );
  },
);
