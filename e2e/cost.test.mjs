// A deployment's cost and budget bar on the entity overview: hello-node runs in development (an
// earlier test's deployment is reused), the guest (its owner) sets a budget through the API, and
// the Cost card shows the month so far, the forecast and the budget as a bar, also at 390 px.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ENTITY = `${BACKEND_URL}/api/coderunner/entities/component/default/hello-node`;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function guestHeaders(page) {
  const refresh = await page.request.get(
    `${BACKEND_URL}/api/auth/guest/refresh`,
    { headers: { 'x-requested-with': 'XMLHttpRequest' } },
  );
  const token = (await refresh.json()).backstageIdentity.token;
  return { authorization: `Bearer ${token}` };
}

/** hello-node's development deployment once it runs an instance, deploying it if needed. */
async function runningDevelopment(page, headers) {
  const read = async () => {
    const response = await page.request.get(`${ENTITY}/deployments`, {
      headers,
    });
    assert.ok(response.ok(), `deployments answered ${response.status()}`);
    return (await response.json()).items.find(
      d => d.environment === 'development',
    );
  };
  const current = await read();
  if (!(current?.status === 'ready')) {
    const deploy = await page.request.post(
      `${ENTITY}/deployments/development/deploy`,
      { headers, data: {} },
    );
    assert.ok(
      deploy.ok(),
      `deploy answered ${deploy.status()}: ${await deploy.text()}`,
    );
  }
  return eventually(
    'development to be Ready',
    async () => {
      const deployment = await read();
      if (deployment?.status === 'failed')
        throw new Error(`deploy failed: ${deployment.statusReason}`);
      return deployment?.status === 'ready' && deployment;
    },
    300_000,
  );
}

test(
  "the overview's Cost card shows the month so far, the forecast and the budget bar",
  { timeout: 600_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'cost-last').catch(() => {}));
    const headers = await guestHeaders(page);
    await runningDevelopment(page, headers);

    // Five cents: one small instance spends that in under an hour, so the forecast crosses it.
    const set = await page.request.put(`${ENTITY}/cost/budget`, {
      headers,
      data: { environment: 'development', amount: 0.05 },
    });
    assert.equal(set.status(), 200, await set.text());
    t.after(() =>
      page.request
        .delete(`${ENTITY}/cost/budget?environment=development`, { headers })
        .catch(() => {}),
    );
    const cost = await (
      await page.request.get(`${ENTITY}/cost`, { headers })
    ).json();
    const development = cost.environments.find(
      e => e.environment === 'development',
    );
    assert.ok(development.runningInstances >= 1, JSON.stringify(development));
    assert.ok(cost.forecast > 0, `forecast ${cost.forecast}`);

    await page.goto(`${PORTAL_URL}/catalog/default/component/hello-node`);
    const card = page.getByTestId('coderunner-cost-card');
    await card.waitFor({ timeout: 60_000 });
    const spent = card.getByTestId('coderunner-cost-spent');
    await spent.waitFor({ timeout: 60_000 });
    assert.match(await spent.innerText(), /^\$\d+\.\d\d$/);
    assert.match(
      await card.getByTestId('coderunner-cost-forecast').innerText(),
      /^\$\d+\.\d\d$/,
    );
    const bar = card.getByRole('progressbar', {
      name: /^development: \$\d+\.\d\d of \$0\.05 spent$/,
    });
    await bar.waitFor();
    const budget = card.getByTestId('coderunner-budget-bar');
    assert.match(
      await budget.innerText(),
      /Forecast \$\d+\.\d\d by the end of the month/,
    );
    assert.match(await budget.innerText(), /Warns at 75%, 90%, 100%/);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'cost-overview');

    // At 390 px the card keeps to the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    const box = await card.boundingBox();
    assert.ok(box && box.width <= 390, `the card is ${box?.width} px wide`);
    await bar.waitFor();
    await screenshot(page, 'cost-overview-390');
  },
);
