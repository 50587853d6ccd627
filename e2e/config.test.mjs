// Sets a secret for hello-node in development from its Config tab, saves and applies it, waits
// for the rollout, and checks that the app now has the variable (it reports set or not, never
// the value) and that the page never showed the value again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
  eventually,
} from './browser.mjs';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const APP_URL = 'http://hello-node.development.localhost:7080';
const ENTITY = `${BACKEND}/api/coderunner/entities/component/default/hello-node`;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function guestToken() {
  const response = await fetch(`${BACKEND}/api/auth/guest/refresh`);
  assert.ok(response.ok, `guest sign-in answered ${response.status}`);
  return (await response.json()).backstageIdentity.token;
}

async function api(token, path, init = {}) {
  const response = await fetch(`${ENTITY}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
  });
  const body = await response.json();
  if (!response.ok)
    throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

const development = async token =>
  (await api(token, '/deployments')).items.find(
    d => d.environment === 'development',
  );

test(
  'a secret set in the Config tab reaches hello-node after Save and apply',
  { timeout: 900_000 },
  async () => {
    const token = await guestToken();
    if (!(await development(token))?.activeRelease) {
      await api(token, '/deployments/development/deploy', {
        method: 'POST',
        body: '{}',
      });
    }
    await eventually('hello-node to run in development', async () => {
      const d = await development(token);
      return d?.status === 'ready' && d.activeRelease && !d.targetRelease;
    });

    const secret = `e2e-${Math.random().toString(36).slice(2)}-token`;
    const page = await signIn(browser);
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/config`,
    );
    const editor = page.getByTestId('coderunner-config-editor');
    await editor.waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'development' }).click();

    await page.getByRole('button', { name: 'Add variable' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('API_TOKEN');
    await dialog.getByRole('checkbox').check();
    await dialog.getByLabel('Value').fill(secret);
    await screenshot(page, 'config-add-secret');
    await dialog.getByRole('button', { name: 'Add to changes' }).click();
    await page.getByLabel('Change message').fill('API token for the e2e test');
    await page.getByRole('button', { name: 'Save and apply' }).click();

    const alert = page.getByText(
      /Saved version \d+; rolling out to development \(release \d+\)/,
    );
    await alert.waitFor({ timeout: 60_000 });
    const release = Number(/release (\d+)/.exec(await alert.innerText())[1]);
    await page
      .getByText(/secret · set · [0-9a-f]{12}/)
      .first()
      .waitFor();
    await screenshot(page, 'config-saved');
    assert.equal(
      await page.getByText(secret).count(),
      0,
      'the secret value is shown on the page',
    );

    const deployed = await eventually(
      `release ${release} to be active and ready`,
      async () => {
        const d = await development(token);
        return (
          d?.activeRelease?.number === release &&
          d.status === 'ready' &&
          !d.targetRelease &&
          d
        );
      },
    );
    assert.equal(deployed.pendingConfigVersion, undefined);

    const app = await browser.newPage();
    const report = await eventually(
      'the app to report API_TOKEN as set',
      async () => {
        const response = await app.goto(`${APP_URL}/env`);
        if (!response?.ok()) return false;
        const json = JSON.parse(await app.locator('body').innerText());
        return json.set?.API_TOKEN === true && json;
      },
      60_000,
    );
    assert.equal(report.set.API_TOKEN, true);
    await screenshot(app, 'config-app-env');
    await app.close();

    await page.reload();
    await page.getByTestId('coderunner-config-editor').waitFor();
    await page.getByText('History').first().scrollIntoViewIfNeeded();
    await screenshot(page, 'config-history');
    assert.equal(await page.getByText(secret).count(), 0);
  },
);
