// The CodeRunner page's deployments list, paged and filtered by the backend: the guest's
// hello-node deployment is found by text and environment and missing under a filter that
// matches nothing (with the filters still there to change back), with no axe-core WCAG 2.1 AA
// finding in CodeRunner's components while filtered, and the filters fit at 390 px. Through the
// API, pages of one deployment add up to the whole list and a forged cursor is refused. A
// deployment made and then deleted elsewhere shows and goes on the open page, by signal.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';
import { checkAccessibility, describeFindings } from './axe.mjs';
import { guestHeaders, readyDeployment } from './deployment.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';
const LIST = `${BACKEND_URL}/api/coderunner/deployments`;

let browser;
let page;
before(async () => {
  browser = await launchBrowser();
  page = await signIn(browser);
  await readyDeployment(page);
});
after(async () => {
  await browser?.close();
});

test('the list pages through the API without duplicates or gaps', async () => {
  const headers = await guestHeaders(page);
  const get = async query => {
    const response = await page.request.get(`${LIST}?${query}`, { headers });
    return { status: response.status(), body: await response.json() };
  };
  const whole = await get('limit=200');
  assert.equal(whole.status, 200);
  assert.ok(
    whole.body.items.some(d => d.entityRef === 'component:default/hello-node'),
    'hello-node is listed',
  );
  const paged = [];
  let cursor;
  do {
    const { status, body } = await get(
      `limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(status, 200);
    assert.ok(body.items.length <= 1);
    paged.push(...body.items.map(d => d.id));
    cursor = body.nextCursor;
  } while (cursor);
  assert.deepEqual(
    paged,
    whole.body.items.map(d => d.id),
  );

  const forged = await get('cursor=bm90LWEtY3Vyc29y');
  assert.equal(forged.status, 400);
  assert.match(
    JSON.stringify(forged.body),
    /cursor is not one this API gave out/,
  );
  const tooMany = await get('limit=500');
  assert.equal(tooMany.status, 400);
  assert.match(JSON.stringify(tooMany.body), /limit/);
});

test(
  'the CodeRunner page filters its deployments on the server',
  { timeout: 300_000 },
  async () => {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${PORTAL_URL}/coderunner`);
    const root = page.getByTestId('coderunner-page');
    const helloNode = root.getByRole('link', { name: 'hello-node' }).first();
    await helloNode.waitFor({ timeout: 120_000 });

    const search = root.getByLabel('Search components');
    await search.fill('HELLO-no');
    await helloNode.waitFor();
    await search.fill('no-such-component');
    await root
      .getByText('No deployments match these filters.')
      .waitFor({ timeout: 60_000 });
    assert.equal(await helloNode.count(), 0);
    await screenshot(page, 'global-page-filtered-empty');
    await search.fill('');
    await helloNode.waitFor({ timeout: 60_000 });

    await root.locator('#coderunner-deployments-environment-value').click();
    await page.getByRole('option', { name: 'development' }).click();
    await helloNode.waitFor({ timeout: 60_000 });
    await root.locator('#coderunner-deployments-status-value').click();
    await page.getByRole('option', { name: 'Ready' }).click();
    await helloNode.waitFor({ timeout: 60_000 });
    await screenshot(page, 'global-page-filtered');

    const { ours, upstream } = await checkAccessibility(page);
    if (upstream.length) {
      console.log(
        `upstream (Backstage's components), not failing:\n${describeFindings(
          upstream,
        )}`,
      );
    }
    assert.equal(
      ours.length,
      0,
      `violations in CodeRunner's components:\n${describeFindings(ours)}`,
    );

    // At a phone's width the filters wrap and stay on the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await helloNode.waitFor();
    for (const control of [
      search,
      root.locator('#coderunner-deployments-environment-value'),
      root.locator('#coderunner-deployments-status-value'),
    ]) {
      const box = await control.boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= 390,
        `${control} fits 390 px: ${JSON.stringify(box)}`,
      );
    }
    assert.ok(
      (await page.evaluate(() => document.scrollingElement.scrollWidth)) <= 390,
      'the page does not scroll sideways',
    );
    await screenshot(page, 'global-page-filtered-390');
  },
);

test(
  'deployments made and deleted elsewhere appear and go on the open page without a reload',
  { timeout: 420_000 },
  async () => {
    const headers = await guestHeaders(page);
    const deployments = `${BACKEND_URL}/api/coderunner/entities/component/default/static-site/deployments`;
    const listed = async () => {
      const response = await page.request.get(deployments, { headers });
      assert.ok(response.ok(), `deployments answered ${response.status()}`);
      return (await response.json()).items.some(
        d => d.environment === 'development',
      );
    };
    const remove = async () => {
      const response = await page.request.delete(`${deployments}/development`, {
        headers,
      });
      assert.ok(response.ok(), `delete answered ${response.status()}`);
    };
    // No other browser test deploys static-site; one left by an earlier run goes first.
    if (await listed()) {
      await remove();
      await eventually(
        'the earlier static-site to be deleted',
        async () => !(await listed()),
      );
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    // The page asks the signals plugin's socket for the list's channel: what comes next
    // arrives by signal, not by the 30 s polling of an app without signals.
    const subscribed = new Promise(resolve => {
      page.on('websocket', socket =>
        socket.on('framesent', ({ payload }) => {
          if (
            String(payload).includes('"channel":"coderunner:deployments"') &&
            String(payload).includes('"action":"subscribe"')
          ) {
            resolve(true);
          }
        }),
      );
    });
    await page.goto(`${PORTAL_URL}/coderunner`);
    const root = page.getByTestId('coderunner-page');
    await root.getByRole('link', { name: 'hello-node' }).first().waitFor({
      timeout: 120_000,
    });
    await subscribed;
    const staticSite = root.getByRole('link', { name: 'static-site' });
    assert.equal(await staticSite.count(), 0);

    // Deployed and then deleted through the API, as another user or a scaffolder task would:
    // the page hears of each on the list's signal channel (the portal has the signals plugin,
    // so nothing polls) and re-reads its page.
    const deploy = await page.request.post(
      `${deployments}/development/deploy`,
      {
        headers,
        data: {},
      },
    );
    assert.ok(deploy.ok(), `deploy answered ${deploy.status()}`);
    let deleted = false;
    try {
      await staticSite.first().waitFor({ timeout: 120_000 });
      await screenshot(page, 'global-page-new-deployment');
      deleted = true;
      await remove();
      await staticSite.first().waitFor({ state: 'detached', timeout: 120_000 });
    } finally {
      if (!deleted) await remove();
    }
  },
);
