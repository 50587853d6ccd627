// The Autoscaling tab against the real portal: hello-node in development gets a requests-per-
// instance target from the tab's policy dialog, load through the gateway (127.0.0.1 only) makes
// the autoscaler add instances, and the tab shows the decision and the new count live; then a
// manual hold with a reason takes the count to 2 and shows in the history and the audit log.
// axe-core checks the tab, and it is checked at a phone's 390 px width.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  RESULTS_DIR,
  screenshot,
  signIn,
} from './browser.mjs';
import { checkAccessibility, describeFindings } from './axe.mjs';
import { readyDeployment } from './deployment.mjs';

const TAB = `${PORTAL_URL}/catalog/default/component/hello-node/autoscaling`;
const HOLD_REASON = 'e2e: keep two warm for the launch';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/**
 * Sends requests to the app through the gateway on 127.0.0.1, naming the app in the Host
 * header as a visitor's browser would, from `workers` loops until `stop()`. Returns the
 * status codes seen.
 */
function startLoad(appUrl, workers = 4) {
  const { host, port } = new URL(appUrl);
  let running = true;
  const statuses = new Map();
  const once = () =>
    new Promise(resolve => {
      const request = http.get(
        {
          host: '127.0.0.1',
          port: Number(port),
          path: '/',
          headers: { host },
          agent: false,
        },
        response => {
          statuses.set(
            response.statusCode,
            (statuses.get(response.statusCode) ?? 0) + 1,
          );
          response.resume();
          response.on('end', resolve);
        },
      );
      request.on('error', () => {
        statuses.set('error', (statuses.get('error') ?? 0) + 1);
        resolve();
      });
    });
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      await once();
      // About 20 requests per second per loop: far over a target of 2 per instance.
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  });
  return {
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The number shown under one of the tab's counts (Current, Desired, Ready). */
async function count(page, name) {
  return Number(
    await page
      .getByTestId(`coderunner-scaling-${name}`)
      .locator('dd')
      .innerText(),
  );
}

test(
  'load through the gateway scales hello-node up, the tab shows it live, and a hold with a reason applies',
  { timeout: 900_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'autoscaling-last').catch(() => {}));
    const deployment = await readyDeployment(page);

    await page.goto(TAB);
    const tab = page.getByTestId('coderunner-autoscaling-tab');
    await tab
      .getByTestId('coderunner-scaling-counts')
      .waitFor({ timeout: 120_000 });
    await tab.getByText('Live', { exact: true }).waitFor({ timeout: 60_000 });
    const startCount = await count(page, 'desired');
    assert.ok(startCount >= 1, `starts with ${startCount} desired`);
    await screenshot(page, 'autoscaling-start');

    // A requests-per-instance target from the tab's own dialog, so modest load needs more
    // instances; the manifest's max of 3 stays.
    await tab.getByRole('button', { name: 'Edit policy' }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByRole('spinbutton', { name: 'Requests per instance target (req/s)' })
      .fill('2');
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await dialog.waitFor({ state: 'detached' });
    await tab
      .getByRole('row', {
        name: /^Target: Requests per instance 2 req\/s Override v\d+ by guest$/,
      })
      .waitFor({ timeout: 30_000 });

    const load = startLoad(deployment.url);
    let decision;
    try {
      // The gateway flushes its counts every 15 s and the controller decides on each sample;
      // the tab hears the decision on the stream (no reload).
      decision = await eventually(
        'the tab to show a scale-up decision',
        async () => {
          const first = tab.getByTestId('coderunner-scaling-decision').first();
          if (!(await first.count())) return false;
          const text = await first.innerText();
          return /^\d+ → \d+ at /.test(text) &&
            /Autoscaler/.test(text) &&
            (await count(page, 'desired')) > startCount
            ? text
            : false;
        },
        300_000,
      );
      await eventually(
        'the new instances to be ready',
        async () =>
          (await count(page, 'ready')) === (await count(page, 'desired')) &&
          (await count(page, 'ready')) > startCount,
        300_000,
      );
    } finally {
      await load.stop();
    }
    assert.match(decision, /request rate|req\/s/);
    assert.ok(load.statuses.get(200) > 0, 'the app answered the load');
    const scaledTo = await count(page, 'desired');
    assert.ok(scaledTo > startCount && scaledTo <= 3, `scaled to ${scaledTo}`);
    await tab.getByTestId('coderunner-scaling-charts').scrollIntoViewIfNeeded();
    await screenshot(page, 'autoscaling-scaled-up');

    // A hold with a reason: applied in seconds, said at the top, and in the history.
    await tab.getByRole('button', { name: 'Set instances' }).click();
    const hold = page.getByRole('dialog');
    await hold.getByRole('spinbutton', { name: 'Instances' }).fill('2');
    await hold.getByRole('textbox', { name: 'Reason' }).fill(HOLD_REASON);
    await hold.getByRole('button', { name: /Expires/ }).click();
    await page.getByRole('option', { name: '15 minutes' }).click();
    await hold.getByRole('button', { name: 'Hold this count' }).click();
    await hold.waitFor({ state: 'detached' });
    const notice = tab.getByTestId('coderunner-scaling-hold');
    await notice.waitFor({ timeout: 30_000 });
    assert.match(await notice.innerText(), /Held at 2 instances by guest/);
    assert.match(await notice.innerText(), new RegExp(HOLD_REASON));
    await eventually(
      'the hold to apply',
      async () =>
        (await count(page, 'desired')) === 2 &&
        (await count(page, 'current')) === 2 &&
        (await count(page, 'ready')) === 2,
      180_000,
    );
    // The hold may keep the count the autoscaler chose (no change): the default view lists it all the same.
    const manual = await eventually(
      'the hold in the history',
      async () => {
        for (const text of await tab
          .getByTestId('coderunner-scaling-decision')
          .allInnerTexts()) {
          if (/Manual hold/.test(text)) return text;
        }
        return false;
      },
      60_000,
    );
    assert.match(manual, /by guest/);
    await screenshot(page, 'autoscaling-held');

    // Audited: the backend's auditor logged the hold (scripts/lib/e2e.sh keeps its log).
    const portalLog = path.join(RESULTS_DIR, '..', 'portal.log');
    const audited = await eventually(
      'the hold in the audit log',
      async () =>
        fs
          .readFileSync(portalLog, 'utf8')
          .split('\n')
          .find(
            line =>
              line.includes('scaling-hold') && line.includes('development'),
          ),
      30_000,
    );
    assert.doesNotMatch(audited, /scaling-hold-release/);

    // axe on the tab as it now is (hold notice, policy, history, charts).
    const { ours, upstream } = await checkAccessibility(page);
    if (upstream.length)
      console.log(
        `autoscaling: upstream findings, not failing:\n${describeFindings(
          upstream,
        )}`,
      );
    assert.equal(
      ours.length,
      0,
      `violations in the Autoscaling tab:\n${describeFindings(ours)}`,
    );

    // At a phone's width the page does not scroll sideways and the controls stay in reach.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await tab
      .getByTestId('coderunner-scaling-counts')
      .waitFor({ timeout: 60_000 });
    await tab.getByTestId('coderunner-scaling-hold').waitFor();
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert.ok(sideways <= 0, `the page scrolls ${sideways} px sideways`);
    const release = tab.getByRole('button', { name: 'Release hold' });
    const box = await release.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390);
    await screenshot(page, 'autoscaling-390');

    // Release, so the policy decides again.
    await release.click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: 'Release hold' })
      .click();
    await notice.waitFor({ state: 'detached', timeout: 30_000 });
  },
);
