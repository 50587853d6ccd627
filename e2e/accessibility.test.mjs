// axe-core's WCAG 2.1 AA checks on every CodeRunner page, tab and card, and each of them at a
// phone's 390 px width. Findings inside CodeRunner's components fail the test; Backstage's own
// (sidebar, header, the Table's sort labels) are listed as upstream (docs: plugins/coderunner
// README, "Accessibility"). hello-node is deployed to development first, so the Deployments
// tab shows its instances and Metrics section.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, PORTAL_URL, screenshot, signIn } from './browser.mjs';
import { checkAccessibility, describeFindings } from './axe.mjs';
import { readyDeployment } from './deployment.mjs';

const ENTITY_PAGE = `${PORTAL_URL}/catalog/default/component/hello-node`;

/** Each page: where it is, its root, what shows it has loaded, its main actions. */
const PAGES = [
  {
    name: 'overview-card',
    url: ENTITY_PAGE,
    root: 'coderunner-card',
    loaded: page => page.getByTestId('coderunner-environment-health').first(),
    actions: page => [
      page.getByRole('link', { name: 'Open the Deployments tab' }),
    ],
  },
  {
    name: 'cost-card',
    url: ENTITY_PAGE,
    root: 'coderunner-cost-card',
    loaded: page => page.getByTestId('coderunner-cost-spent'),
    actions: page => [page.getByRole('button', { name: 'Set budget' })],
  },
  {
    name: 'deployments',
    url: `${ENTITY_PAGE}/deployments`,
    root: 'coderunner-deployments-tab',
    loaded: page =>
      page
        .getByTestId('coderunner-environment-development')
        .getByTestId('coderunner-metric-summary')
        .first(),
    actions: page => {
      const card = page.getByTestId('coderunner-environment-development');
      return ['Deploy', 'Rollback', 'Restart', 'Stop'].map(name =>
        card.getByRole('button', { name, exact: true }),
      );
    },
  },
  {
    name: 'logs',
    url: `${ENTITY_PAGE}/logs`,
    root: 'coderunner-logs-tab',
    loaded: page => page.getByTestId('log-line').first(),
    actions: page => [page.getByRole('button', { name: 'Download .log' })],
  },
  {
    name: 'config',
    url: `${ENTITY_PAGE}/config`,
    root: 'coderunner-config-tab',
    loaded: page => page.getByTestId('coderunner-config-editor'),
    actions: page => [page.getByRole('button', { name: 'Add variable' })],
  },
  {
    name: 'autoscaling',
    url: `${ENTITY_PAGE}/autoscaling`,
    root: 'coderunner-autoscaling-tab',
    loaded: page => page.getByTestId('coderunner-scaling-counts'),
    actions: page =>
      ['Set instances', 'Edit policy'].map(name =>
        page.getByRole('button', { name, exact: true }),
      ),
  },
  {
    name: 'global-page',
    url: `${PORTAL_URL}/coderunner`,
    root: 'coderunner-page',
    loaded: page =>
      page
        .getByTestId('coderunner-page')
        .getByRole('link', { name: 'hello-node' })
        .first(),
    actions: page => [
      page.getByLabel('Search components'),
      page.locator('#coderunner-deployments-environment-value'),
      page.locator('#coderunner-deployments-status-value'),
    ],
  },
];

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

async function open(target) {
  await page.goto(target.url);
  await page.getByTestId(target.root).waitFor({ timeout: 60_000 });
  await target.loaded(page).waitFor({ timeout: 120_000 });
}

for (const target of PAGES) {
  test(
    `${target.name}: no WCAG 2.1 AA violation from CodeRunner's components`,
    { timeout: 300_000 },
    async () => {
      await page.setViewportSize({ width: 1400, height: 900 });
      await open(target);
      const { ours, upstream } = await checkAccessibility(page);
      if (upstream.length) {
        console.log(
          `${
            target.name
          }: upstream (Backstage's components), not failing:\n${describeFindings(
            upstream,
          )}`,
        );
      }
      assert.equal(
        ours.length,
        0,
        `${
          target.name
        }: violations in CodeRunner's components:\n${describeFindings(ours)}`,
      );
    },
  );

  test(
    `${target.name}: usable at 390 px width`,
    { timeout: 300_000 },
    async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await open(target);
      await screenshot(page, `accessibility-390-${target.name}`);
      // Nothing of ours sticks out: the page does not scroll sideways, and no element of the
      // root reaches past the screen's edge unless a scroll container of its own (a wide table)
      // holds it. (The root's own scrollWidth counts the negative margins of MUI's Grid
      // spacing, which the page's padding absorbs, so it is not the measure.)
      const widths = await page.getByTestId(target.root).evaluate(root => {
        const scrolls = element =>
          ['auto', 'scroll'].includes(getComputedStyle(element).overflowX);
        const sticking = [...root.querySelectorAll('*')]
          .filter(element => {
            const box = element.getBoundingClientRect();
            if (box.width === 0 || box.right <= window.innerWidth) return false;
            // Hidden ones do not count (the charts' tooltips wait off to the side).
            if (
              !element.checkVisibility({
                visibilityProperty: true,
                opacityProperty: true,
              })
            )
              return false;
            for (
              let up = element.parentElement;
              up && up !== root;
              up = up.parentElement
            ) {
              if (scrolls(up)) return false;
            }
            return true;
          })
          .map(element => element.outerHTML.slice(0, 120));
        return {
          page: document.scrollingElement.scrollWidth,
          viewport: window.innerWidth,
          sticking,
        };
      });
      assert.ok(
        widths.page <= widths.viewport,
        `the page scrolls sideways: ${JSON.stringify(widths)}`,
      );
      assert.deepEqual(
        widths.sticking,
        [],
        'elements reach past the right edge',
      );
      for (const action of target.actions(page)) {
        await action.scrollIntoViewIfNeeded();
        assert.ok(
          await action.isVisible(),
          `${target.name}: ${action} is visible`,
        );
        const box = await action.boundingBox();
        assert.ok(
          box.x >= 0 && box.x + box.width <= widths.viewport,
          `${action} fits the width: ${JSON.stringify(box)}`,
        );
      }
    },
  );
}
