// A deployment's cost and budget bar on the entity overview: hello-node runs in development (an
// earlier test's deployment is reused), the guest (its owner) sets a budget through the API, and
// the Cost card shows the month so far, the forecast and the budget as a bar, also at 390 px;
// the card's dialog shows the API's 400 naming the field, and removes the budget after asking.
// On the CodeRunner page each team that spends is listed with its budget; the guest, no
// operator, gets no working control there and the API refuses it (403), while the operator sets
// the platform team's budget, sees its bar and removes it. No axe-core WCAG 2.1 AA finding in the
// card, the page's spend section or the dialogs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';
import { violationsIn } from './axe.mjs';
import { guestHeaders } from './deployment.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ENTITY = `${BACKEND_URL}/api/coderunner/entities/component/default/hello-node`;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

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
    assert.deepEqual(
      await violationsIn(page, '[data-testid="coderunner-cost-card"]'),
      [],
    );

    // Descending thresholds pass the form but not the API: its 400 names the field, in the
    // dialog, and the budget stays as it was.
    await page.setViewportSize({ width: 1400, height: 900 });
    await card.getByRole('button', { name: 'Set budget' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set a monthly budget' });
    await dialog.waitFor();
    await dialog.getByLabel('Environment').click();
    await page.getByRole('option', { name: 'development' }).click();
    const amount = dialog.getByRole('textbox', { name: /Amount per month/ });
    assert.equal(await amount.inputValue(), '0.05');
    await amount.fill('7');
    await dialog.getByRole('textbox', { name: /Warn at/ }).fill('90, 50');
    await dialog.getByRole('button', { name: 'Save budget' }).click();
    const problem = dialog.getByRole('alert');
    await problem.waitFor();
    assert.match(await problem.innerText(), /thresholds is \[0\.9, 0\.5\]/);
    assert.deepEqual(await violationsIn(page, '[role="dialog"]'), []);
    await screenshot(page, 'cost-budget-400');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const unchanged = await (
      await page.request.get(`${ENTITY}/cost`, { headers })
    ).json();
    assert.deepEqual(
      unchanged.budgets.map(b => [b.scope.environment, b.amount, b.thresholds]),
      [['development', 0.05, [0.75, 0.9, 1]]],
    );

    // Remove it: the card asks first, then the bar goes and the API has no budget left.
    await card
      .getByRole('button', { name: 'Remove budget (development)' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Remove this budget?' });
    await confirm.waitFor();
    assert.match(
      await confirm.innerText(),
      /The budget of component:default\/hello-node \(development\) goes/,
    );
    assert.deepEqual(await violationsIn(page, '[role="dialog"]'), []);
    await screenshot(page, 'cost-remove-budget');
    await confirm.getByRole('button', { name: 'Remove budget' }).click();
    await confirm.waitFor({ state: 'detached' });
    await card.getByText(/No budget yet/).waitFor();
    const after = await (
      await page.request.get(`${ENTITY}/cost`, { headers })
    ).json();
    assert.deepEqual(after.budgets, []);
  },
);

test(
  "the CodeRunner page lists each team's budget, and only operators may change one",
  { timeout: 600_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'cost-teams-last').catch(() => {}));
    const headers = await guestHeaders(page);
    await runningDevelopment(page, headers);
    const team = 'group:default/platform';

    // The guest is in the platform team but no operator: coderunner.budget.write on the group
    // is refused, with the permission named.
    const refused = await page.request.put(
      `${BACKEND_URL}/api/coderunner/cost/owner-budget`,
      { headers, data: { ownerRef: team, amount: 100 } },
    );
    assert.equal(refused.status(), 403, await refused.text());
    assert.match(await refused.text(), /coderunner\.budget\.write/);
    const refusedDelete = await page.request.delete(
      `${BACKEND_URL}/api/coderunner/cost/owner-budget?ownerRef=${team}`,
      { headers },
    );
    assert.equal(refusedDelete.status(), 403, await refusedDelete.text());

    await page.goto(`${PORTAL_URL}/coderunner`);
    const section = page.getByTestId('coderunner-owner-budgets');
    await section.waitFor({ timeout: 60_000 });
    const row = section
      .getByTestId('coderunner-owner-budget')
      .filter({ hasText: team });
    await row.waitFor();
    assert.match(await row.innerText(), /no budget/);
    const set = row.getByRole('button', { name: `Set budget of ${team}` });
    await set.waitFor();
    // Disabled once the decision is in, with the reason on the wrapper's tooltip.
    await eventually('the Set budget button to be refused', async () =>
      set.isDisabled(),
    );
    const denied = row.getByTestId('coderunner-permission-denied');
    assert.match(
      await denied.getAttribute('title'),
      /may not set or remove the budget of group:default\/platform/,
    );
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'cost-team-budgets');
    assert.deepEqual(
      await violationsIn(page, '[data-testid="coderunner-spend"]'),
      [],
    );

    await page.setViewportSize({ width: 390, height: 844 });
    await section.scrollIntoViewIfNeeded();
    const box = await section.boundingBox();
    assert.ok(box && box.width <= 390, `the section is ${box?.width} px wide`);
    const buttonBox = await set.boundingBox();
    assert.ok(
      buttonBox && buttonBox.x >= 0 && buttonBox.x + buttonBox.width <= 390,
      `the button is at ${JSON.stringify(buttonBox)}`,
    );
    await screenshot(page, 'cost-team-budgets-390');
  },
);

test(
  "an operator sets a team's budget on the CodeRunner page, sees its bar, and removes it",
  { timeout: 600_000 },
  async t => {
    // The guest makes sure the platform team spends (hello-node runs); the operator, who owns
    // nothing but is in the policy's operators, sets and removes that team's budget.
    const guest = await signIn(browser);
    await runningDevelopment(guest, await guestHeaders(guest));
    await guest.context().close();
    const page = await signIn(browser, 'operator');
    t.after(() => screenshot(page, 'cost-operator-last').catch(() => {}));
    const team = 'group:default/platform';

    await page.goto(`${PORTAL_URL}/coderunner`);
    const section = page.getByTestId('coderunner-owner-budgets');
    await section.waitFor({ timeout: 60_000 });
    const row = section
      .getByTestId('coderunner-owner-budget')
      .filter({ hasText: team });
    await row.waitFor();
    const set = row.getByRole('button', { name: `Set budget of ${team}` });
    await eventually('the Set budget button to be allowed', async () =>
      set.isEnabled(),
    );
    await set.click();
    const dialog = page.getByRole('dialog', {
      name: `Set the monthly budget of ${team}`,
    });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: /Amount per month/ }).fill('25');
    await dialog.getByRole('button', { name: 'Save budget' }).click();
    await dialog.waitFor({ state: 'detached' });

    const bar = row.getByTestId('coderunner-budget-bar');
    await bar.waitFor();
    assert.match(await bar.innerText(), /of \$25\.00/);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'cost-operator-team-budget');
    assert.deepEqual(
      await violationsIn(page, '[data-testid="coderunner-spend"]'),
      [],
    );

    await row.getByRole('button', { name: `Remove budget of ${team}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove this budget?' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Remove budget' }).click();
    await confirm.waitFor({ state: 'detached' });
    await row.getByText(/no budget/).waitFor();
  },
);
