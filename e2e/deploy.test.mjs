// Deploys hello-node to development from its Deployments tab, opens the app's URL, deploys
// again and rolls back from the release history. Release numbers are read from the page, so
// the test holds however many releases the portal already has.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually as waitUntil,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';

const ROLLOUT_TIMEOUT = 180_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** Polls `check` until it returns a truthy value or the rollout timeout passes. */
const eventually = (what, check, timeout = ROLLOUT_TIMEOUT) =>
  waitUntil(what, check, timeout);

async function activeRelease(card) {
  const release = card.getByTestId('coderunner-active-release');
  if (!(await release.count())) return undefined;
  return Number(await release.getAttribute('data-release'));
}

/** Waits until the card says Ready with `release` active and no rollout in progress. */
async function waitUntilReady(card, release) {
  return eventually(
    `development to be Ready${release ? ` on release ${release}` : ''}`,
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
      if (
        status !== 'Ready' ||
        (await card.getByTestId('coderunner-rollout').count())
      )
        return false;
      const active = await activeRelease(card);
      return (release === undefined || active === release) && active;
    },
  );
}

/** Opens the deployment's URL in a new tab until it answers with `release`. */
async function expectAppServes(context, url, release, name) {
  const app = await context.newPage();
  try {
    const body = await eventually(
      `${url} to answer with release ${release}`,
      async () => {
        const response = await app.goto(url);
        if (!response?.ok()) return false;
        const json = JSON.parse(await app.locator('body').innerText());
        return json.release === String(release) && json;
      },
      60_000,
    );
    assert.equal(typeof body.message, 'string');
    await screenshot(app, name);
  } finally {
    await app.close();
  }
}

async function confirmDialog(page, confirmLabel) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: confirmLabel, exact: true }).click();
  await dialog
    .waitFor({ state: 'hidden', timeout: 60_000 })
    .catch(async error => {
      const message = await dialog
        .getByTestId('coderunner-action-error')
        .innerText()
        .catch(() => '');
      throw new Error(
        `${confirmLabel} did not go through: ${message || error.message}`,
      );
    });
}

test(
  'deploy hello-node, open its URL, deploy again and roll back',
  { timeout: 900_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'deployments-last').catch(() => {}));
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/deployments`,
    );
    const card = page.getByTestId('coderunner-environment-development');
    await card.waitFor({ timeout: 60_000 });
    await page.getByTestId('coderunner-environment-staging').waitFor();
    await screenshot(page, 'deployments-before');

    // First deploy: from the empty state, or the action bar when an earlier test deployed already.
    const before = await activeRelease(card);
    await card
      .getByRole('button', { name: 'Deploy', exact: true })
      .first()
      .click();
    await page.getByRole('dialog').getByLabel('Instances').waitFor();
    await screenshot(page, 'deployments-deploy-dialog');
    await confirmDialog(page, 'Deploy');
    await card
      .getByTestId('coderunner-deployment-status')
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'deployments-rolling-out');

    // Until the rollout's first status arrives, the card may still show the earlier release as Ready.
    const first = await eventually(
      `a release newer than ${before ?? 'none'}`,
      async () => {
        const active = await waitUntilReady(card);
        return (before === undefined || active > before) && active;
      },
    );
    const url = await card
      .getByTestId('coderunner-deployment-url')
      .getAttribute('href');
    assert.match(url, /hello-node\.development\.localhost:7080/);
    await screenshot(page, 'deployments-ready');
    await expectAppServes(
      page.context(),
      url,
      first,
      'deployments-app-first-release',
    );

    // Second deploy from the action bar.
    await card.getByRole('button', { name: 'Deploy', exact: true }).click();
    await confirmDialog(page, 'Deploy');
    const second = await eventually('a second release', async () => {
      const active = await waitUntilReady(card);
      return active > first && active;
    });
    await expectAppServes(
      page.context(),
      url,
      second,
      'deployments-app-second-release',
    );
    await screenshot(page, 'deployments-second-release');

    // Roll back to the first release from the history.
    const rollback = card.getByRole('button', {
      name: `Rollback to release ${first}`,
    });
    await rollback.waitFor({ timeout: 30_000 });
    await rollback.click();
    await screenshot(page, 'deployments-rollback-dialog');
    await confirmDialog(page, 'Roll back');
    await waitUntilReady(card, first);
    await expectAppServes(
      page.context(),
      url,
      first,
      'deployments-app-after-rollback',
    );
    await screenshot(page, 'deployments-rolled-back');

    // Every deployment on the global page.
    await page.goto(`${PORTAL_URL}/coderunner`);
    await page
      .getByRole('link', { name: /hello-node/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'deployments-global-page');
  },
);
