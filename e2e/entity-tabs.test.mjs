import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, PORTAL_URL, screenshot, signIn } from './browser.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test('an example component shows the four CodeRunner tabs', async () => {
  const page = await signIn(browser);
  await page.goto(`${PORTAL_URL}/catalog/default/component/hello-node`);
  await page.getByRole('heading', { name: /hello/i }).first().waitFor({ timeout: 60_000 });

  for (const tab of ['Deployments', 'Logs', 'Config', 'Autoscaling']) {
    const link = page.getByRole('tab', { name: tab }).or(page.getByRole('link', { name: tab, exact: true }));
    await link.first().waitFor({ timeout: 30_000 });
  }

  await page.getByRole('tab', { name: 'Deployments' }).or(page.getByRole('link', { name: 'Deployments', exact: true })).first().click();
  const content = page.getByTestId('coderunner-deployments-tab');
  await content.waitFor({ timeout: 30_000 });
  assert.match(await content.innerText(), /deploy/i);
  await screenshot(page, 'entity-tabs');
});
