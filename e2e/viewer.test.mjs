// Signs in as the read-only viewer from the sign-in page (no restart, no env vars) and checks
// the denial a newcomer should see: hello-node's Deploy buttons are disabled with a tooltip
// that says why, and the deploy API refuses the viewer's token with a 403.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, PORTAL_URL, screenshot, signIn } from './browser.mjs';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ENTITY = `${BACKEND}/api/coderunner/entities/component/default/hello-node`;
const REASON =
  'Only the owners of this component (and CodeRunner operators) may deploy, roll back, restart, stop or delete it';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function viewerToken() {
  const response = await fetch(`${BACKEND}/api/auth/viewer/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  assert.equal(response.status, 200, 'viewer sign-in');
  const { backstageIdentity } = await response.json();
  assert.equal(backstageIdentity.identity.userEntityRef, 'user:default/viewer');
  return backstageIdentity.token;
}

test('the sign-in page offers the guest first, then the read-only viewer and the operator', async () => {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(PORTAL_URL);
  await page.getByText('Viewer (read-only)').waitFor({ timeout: 120_000 });
  await page.getByText('Operator (platform team)').waitFor();
  await page
    .getByText(/Owns the examples \(through the platform team\)/)
    .waitFor();
  // The guest's Enter comes first: the README's "press Enter" signs in as the guest.
  const buttons = await page.getByRole('button').allInnerTexts();
  assert.deepEqual(
    buttons.map(label => label.toLowerCase()),
    ['enter', 'sign in', 'sign in'],
  );
  await screenshot(page, 'viewer-sign-in-page');
  await context.close();
});

test('the viewer may read hello-node but the deploy API refuses it', async () => {
  const headers = {
    authorization: `Bearer ${await viewerToken()}`,
    'content-type': 'application/json',
  };

  const list = await fetch(`${ENTITY}/deployments`, { headers });
  assert.equal(list.status, 200, 'the viewer reads the deployments');

  const deploy = await fetch(`${ENTITY}/deployments/staging/deploy`, {
    method: 'POST',
    headers,
    body: '{}',
  });
  const body = await deploy.json();
  assert.equal(
    deploy.status,
    403,
    `deploy as the viewer answered ${JSON.stringify(body)}`,
  );
  assert.equal(body.error.name, 'NotAllowedError');
});

test(
  'signed in as the viewer, Deploy is disabled and its tooltip says why',
  { timeout: 300_000 },
  async () => {
    const page = await signIn(browser, 'viewer');
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/deployments`,
    );
    const staging = page.getByTestId('coderunner-environment-staging');
    await staging.waitFor({ timeout: 60_000 });

    const deploy = staging
      .getByRole('button', { name: 'Deploy', exact: true })
      .first();
    // Disabled with its reason once the permission decision has arrived.
    const denied = staging.getByTestId('coderunner-permission-denied').first();
    await denied.waitFor({ timeout: 60_000 });
    assert.equal(
      await deploy.isDisabled(),
      true,
      'Deploy is enabled for the viewer',
    );

    await denied.hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor({ timeout: 10_000 });
    assert.equal((await tooltip.innerText()).trim(), REASON);
    await screenshot(page, 'viewer-deploy-denied');
  },
);
