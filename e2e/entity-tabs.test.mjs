import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  launchBrowser,
  openEntityTab,
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

test('an example component shows the four CodeRunner tabs', async () => {
  const page = await signIn(browser);
  await page.goto(`${PORTAL_URL}/catalog/default/component/hello-node`);
  await page
    .getByRole('heading', { name: 'Hello Node' })
    .waitFor({ timeout: 60_000 });

  // Logs stands alone; Deployments, Config and Autoscaling sit in the Deployment group.
  await page.getByRole('link', { name: 'Logs', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Deployment', exact: true }).click();
  const menu = page.getByRole('menu');
  for (const tab of ['Deployments', 'Config', 'Autoscaling']) {
    await menu.getByRole('menuitemradio', { name: tab, exact: true }).waitFor();
  }
  await screenshot(page, 'entity-tabs-menu');
  await page.keyboard.press('Escape');

  for (const [tab, testId] of [
    ['Deployments', 'coderunner-deployments-tab'],
    ['Config', 'coderunner-config-tab'],
    ['Autoscaling', 'coderunner-autoscaling-tab'],
    ['Logs', 'coderunner-logs-tab'],
  ]) {
    await openEntityTab(page, 'default/component/hello-node', tab);
    const content = page.getByTestId(testId);
    await content.waitFor({ timeout: 30_000 });
    // Each tab loads its data first; wait until it shows something.
    const text = await eventually(
      `the ${tab} tab to show content`,
      async () => (await content.innerText()).trim(),
      30_000,
    );
    assert.ok(text.length > 0, `${tab} tab has content`);
  }
  await openEntityTab(page, 'default/component/hello-node', 'Deployments');
  await page.getByTestId('coderunner-deployments-tab').waitFor();
  await screenshot(page, 'entity-tabs');
});
