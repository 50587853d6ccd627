// An alert in the Notifications page after a crash loop: the guest (in the platform team, which
// owns crashy-node) deploys crashy-node to staging; it exits at start, the reconciler restarts it
// until it is a crash loop, the alert engine opens a critical alert and Backstage notifications
// deliver it to the owners. The guest sees it on the Notifications page and on the Deployments
// tab (also at 390 px) and on the CodeRunner page, with no axe-core WCAG 2.1 AA finding in the
// alerts' own card and section; the read-only viewer, who owns nothing, gets no notification.
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
import { violationsIn } from './axe.mjs';

const BACKEND_URL = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ENTITY = `${BACKEND_URL}/api/coderunner/entities/component/default/crashy-node`;
const TITLE = 'Crash loop in staging (component:default/crashy-node)';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function token(provider) {
  const response = await fetch(`${BACKEND_URL}/api/auth/${provider}/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  assert.equal(response.status, 200, `${provider} sign-in`);
  return (await response.json()).backstageIdentity.token;
}

async function notificationTitles(provider) {
  const response = await fetch(
    `${BACKEND_URL}/api/notifications/notifications?limit=100`,
    { headers: { authorization: `Bearer ${await token(provider)}` } },
  );
  assert.equal(response.status, 200, `notifications of ${provider}`);
  return (await response.json()).notifications.map(n => n.payload.title);
}

test(
  'a crash loop reaches the owner on the Notifications page, and not the viewer',
  { timeout: 600_000 },
  async t => {
    const headers = {
      authorization: `Bearer ${await token('guest')}`,
      'content-type': 'application/json',
    };
    const deploy = await fetch(`${ENTITY}/deployments/staging/deploy`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    assert.ok(
      deploy.ok,
      `deploy answered ${deploy.status}: ${await deploy.text()}`,
    );

    const alert = await eventually(
      'the crash-loop alert to open',
      async () => {
        const response = await fetch(`${ENTITY}/alerts?status=open`, {
          headers,
        });
        assert.equal(response.status, 200);
        return (await response.json()).items.find(
          a => a.ruleId === 'crash-loop' && a.environment === 'staging',
        );
      },
      300_000,
    );
    assert.equal(alert.severity, 'critical');
    assert.equal(alert.link, '/catalog/default/component/crashy-node/logs');

    const page = await signIn(browser);
    t.after(() => screenshot(page, 'alerts-last').catch(() => {}));
    await page.goto(`${PORTAL_URL}/notifications`);
    const notification = page.getByText(TITLE).first();
    await notification.waitFor({ timeout: 60_000 });
    await screenshot(page, 'alerts-notifications-page');
    // The notification links to the tab that shows the crash.
    const link = page.getByRole('link', { name: TITLE }).first();
    assert.match(
      (await link.getAttribute('href')) ?? '',
      /\/catalog\/default\/component\/crashy-node\/logs$/,
    );

    await openEntityTab(page, 'default/component/crashy-node', 'Deployments');
    const card = page.getByTestId('coderunner-entity-alerts');
    await card
      .getByRole('link', { name: 'Crash loop in staging' })
      .first()
      .waitFor({ timeout: 60_000 });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'alerts-deployments-tab');
    assert.deepEqual(
      await violationsIn(page, '[data-testid="coderunner-entity-alerts"]'),
      [],
    );
    await page.setViewportSize({ width: 390, height: 844 });
    // The charts follow the new width a frame or more after the resize (a ResizeObserver), so
    // the page settles to the phone's width rather than being at it at once.
    let width;
    await eventually(
      'the page to fit 390 px',
      async () => {
        width = await page.evaluate(() => document.documentElement.scrollWidth);
        return width <= 390;
      },
      30_000,
    ).catch(async () => {
      // Say what sticks out, for whoever reads the failure.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth)
          .slice(-5)
          .map(e => e.outerHTML.slice(0, 160)),
      );
      assert.fail(
        `the page is ${width} px wide at 390 px: ${JSON.stringify(wide)}`,
      );
    });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'alerts-deployments-tab-390');
    assert.deepEqual(
      await violationsIn(page, '[data-testid="coderunner-entity-alerts"]'),
      [],
    );

    // The CodeRunner page lists the open alert with its entity.
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${PORTAL_URL}/coderunner`);
    const section = page.getByTestId('coderunner-open-alerts');
    await section
      .getByRole('link', { name: 'Crash loop in staging' })
      .first()
      .waitFor({ timeout: 60_000 });
    assert.ok(
      await section
        .getByText('component:default/crashy-node')
        .first()
        .isVisible(),
    );
    await screenshot(page, 'alerts-global-page');
    assert.deepEqual(
      await violationsIn(page, '[data-testid="coderunner-open-alerts"]'),
      [],
    );

    assert.ok(
      !(await notificationTitles('viewer')).some(title =>
        title.includes('crashy-node'),
      ),
      'the viewer, who does not own crashy-node, got a notification about it',
    );

    // Stop the deployment: the loop ends and the alert resolves.
    const stop = await fetch(`${ENTITY}/deployments/staging/stop`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    assert.ok(stop.ok, `stop answered ${stop.status}`);
    await eventually(
      'the crash-loop alert to resolve',
      async () => {
        const response = await fetch(`${ENTITY}/alerts`, { headers });
        const item = (await response.json()).items.find(a => a.id === alert.id);
        return item?.status === 'resolved';
      },
      120_000,
    );
    await eventually('the resolve notification', async () =>
      (await notificationTitles('guest')).includes(`Resolved: ${TITLE}`),
    );
  },
);
