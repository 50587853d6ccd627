// Deploys hello-express, whose build installs Express from the npm registry inside its sandbox
// (`npm ci` with the committed lock file), from its Deployments tab, and opens its URL: the
// answer names the Express version that the build installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';

const ENVIRONMENT = 'staging';
const LOCKED_EXPRESS = JSON.parse(
  fs.readFileSync(
    new URL('../examples/hello-express/package-lock.json', import.meta.url),
    'utf8',
  ),
).packages['node_modules/express'].version;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test(
  'hello-express builds with its dependencies from the registry and answers on its URL',
  { timeout: 600_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'hello-express-last').catch(() => {}));
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-express/deployments`,
    );
    const card = page.getByTestId(`coderunner-environment-${ENVIRONMENT}`);
    await card.waitFor({ timeout: 60_000 });

    await card
      .getByRole('button', { name: 'Deploy', exact: true })
      .first()
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 60_000 });

    await eventually(
      `hello-express in ${ENVIRONMENT} to be Ready`,
      async () => {
        const status = (
          await card.getByTestId('coderunner-deployment-status').innerText()
        ).trim();
        if (status === 'Failed' || status === 'Degraded') {
          const reason = await card
            .getByTestId('coderunner-status-reason')
            .innerText()
            .catch(() => '');
          throw new Error(`status ${status}: ${reason}`);
        }
        return (
          status === 'Ready' &&
          !(await card.getByTestId('coderunner-rollout').count())
        );
      },
      300_000,
    );
    await screenshot(page, 'hello-express-ready');

    const url = await card
      .getByTestId('coderunner-deployment-url')
      .getAttribute('href');
    assert.match(
      url,
      new RegExp(`hello-express\\.${ENVIRONMENT}\\.localhost:7080`),
    );
    const app = await page.context().newPage();
    const body = await eventually(
      `${url} to answer`,
      async () => {
        const response = await app.goto(url);
        return (
          response?.status() === 200 &&
          JSON.parse(await app.locator('body').innerText())
        );
      },
      60_000,
    );
    await app.close();
    assert.equal(
      body.express,
      LOCKED_EXPRESS,
      'the build installed the locked Express',
    );
    assert.equal(body.message, 'Hello from Express');
  },
);
