// Sends requests to hello-node in development through the gateway and checks that the
// Deployments tab's Metrics section charts them. Reuses the deployment when an earlier test
// (deploy.test.mjs) left it Ready; deploys it through the API otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  RESULTS_DIR,
  screenshot,
  signIn,
} from './browser.mjs';
import { readyDeployment } from './deployment.mjs';

const REQUESTS = 20;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

test(
  'requests through the gateway show up on the Metrics charts',
  { timeout: 600_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'metrics-last').catch(() => {}));
    const deployment = await readyDeployment(page);

    // The browser resolves *.localhost to this machine, so the requests go through the gateway
    // exactly as a visitor's would: same-origin fetches from the app's own page.
    const app = await page.context().newPage();
    await eventually(
      `${deployment.url} to answer`,
      async () => (await app.goto(deployment.url))?.ok(),
      60_000,
    );
    const statuses = await app.evaluate(async count => {
      const answers = [];
      for (let i = 0; i < count; i++)
        answers.push(
          (await fetch(location.href, { cache: 'no-store' })).status,
        );
      return answers;
    }, REQUESTS - 1);
    await app.close();
    assert.deepEqual(new Set(statuses), new Set([200]));

    // The gateway writes what it counted every coderunner.metrics.flushIntervalSeconds (15 s) and
    // the section re-reads every 15 s; reloading only shortens the wait.
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/deployments`,
    );
    const card = page.getByTestId('coderunner-environment-development');
    const requests = card.getByTestId('coderunner-metric-requests');
    const summary = await eventually(
      'the requests chart to show traffic',
      async () => {
        if (!(await requests.count())) {
          await page.reload();
          await requests.waitFor({ timeout: 30_000 });
        }
        const text = await requests
          .getByTestId('coderunner-metric-summary')
          .innerText();
        const highest = /highest ([\d.,]+) req\/s/.exec(text);
        return highest && Number(highest[1].replace(/,/g, '')) > 0 && text;
      },
      180_000,
    );
    assert.match(summary, /in the last hour\.$/);

    // The chart itself is drawn: a line with points, beside a labelled window toggle.
    assert.ok(
      (await requests.locator('.recharts-line-curve').count()) > 0,
      'the requests line is drawn',
    );
    const latency = card.getByTestId('coderunner-metric-latency_p95_ms');
    assert.match(
      await latency.getByTestId('coderunner-metric-summary').innerText(),
      /Latest [\d.,]+ ms/,
    );
    const section = card.getByTestId('coderunner-metrics');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-deployments');
    await section.screenshot({
      path: path.join(RESULTS_DIR, 'metrics-section.png'),
    });

    // Another window is one click away and keeps the traffic in view.
    await section.getByRole('button', { name: 'Last 6 hours' }).click();
    await eventually(
      'the 6-hour window',
      async () =>
        /highest [\d.,]*[1-9][\d.,]* req\/s in the last 6 hours\./.test(
          await requests.getByTestId('coderunner-metric-summary').innerText(),
        ),
      60_000,
    );
    assert.equal(
      await section
        .getByRole('button', { name: 'Last 6 hours' })
        .getAttribute('aria-pressed'),
      'true',
    );

    // The overview card sums it up per environment: ready instances and the last 5 minutes.
    await page.goto(`${PORTAL_URL}/catalog/default/component/hello-node`);
    const health = page.getByTestId('coderunner-environment-health').first();
    const glance = await eventually(
      'the overview health line',
      async () => {
        const text = await health.innerText();
        return /errors, p95 [\d.,]+ ms \(last 5 min\)/.test(text) && text;
      },
      60_000,
    );
    assert.match(glance, /^(\d+) of \1 ready · 0% errors/);
    await screenshot(page, 'metrics-overview-card');

    // On a phone's width the charts stack and still show the figures.
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/deployments`,
    );
    await page.setViewportSize({ width: 390, height: 844 });
    await requests
      .getByTestId('coderunner-metric-summary')
      .waitFor({ timeout: 60_000 });
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'metrics-narrow');
  },
);
