import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('a template creates a Node.js service and deploys it in the same run', async () => {
  const page = await signIn(browser);
  const name = `made-by-template-${Date.now().toString(36)}`;
  await page.goto(`${PORTAL_URL}/create`);
  const card = page
    .getByText('Node.js service, deployed with CodeRunner')
    .first();
  await card.waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Choose' }).first().click();

  await page.getByLabel('Name').first().fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The last step waits until the deployment is ready; then the output links appear.
  const open = page.getByRole('link', { name: 'Open the running service' });
  await open.waitFor({ timeout: 240_000 });
  const url = await open.getAttribute('href');
  assert.match(
    url,
    new RegExp(`^http://${name}\\.development\\.localhost:7080/$`),
  );
  await screenshot(page, 'scaffolder-done');

  const app = await page.context().newPage();
  const body = await eventually(
    `${url} to answer`,
    async () => {
      const response = await app.goto(url);
      return (
        response?.ok() && JSON.parse(await app.locator('body').innerText())
      );
    },
    60_000,
  );
  assert.equal(body.message, `Hello from ${name}`);
  await app.close();
});
