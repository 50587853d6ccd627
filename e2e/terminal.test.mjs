// Opens a terminal in a running hello-node instance from its Deployments tab, as the guest who
// owns it: `echo $PORT` prints the app's port, a paste arrives, the dialog is axe-clean and
// works full screen at phone width. The read-only viewer gets no Terminal button, and the
// backend refuses the viewer's terminal with a 403 (plain GET and WebSocket upgrade).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { checkAccessibility, describeFindings } from './axe.mjs';
import {
  eventually,
  launchBrowser,
  PORTAL_URL,
  screenshot,
  signIn,
} from './browser.mjs';
import { readyDeployment } from './deployment.mjs';

const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';
const ENVIRONMENT = 'production';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The terminal's screen as text (xterm draws its rows as DOM elements). */
const screenText = dialog =>
  dialog
    .locator('.xterm-rows')
    .innerText()
    .then(text => text.replace(/\u00a0/g, ' '));

async function waitForOutput(dialog, pattern, what) {
  return eventually(
    what,
    async () => {
      const text = await screenText(dialog);
      return pattern.test(text) && text;
    },
    60_000,
  );
}

let instanceId;

test(
  'the owner opens a terminal in a running instance and runs echo $PORT',
  { timeout: 600_000 },
  async t => {
    const page = await signIn(browser);
    t.after(() => screenshot(page, 'terminal-last').catch(() => {}));
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: PORTAL_URL,
      });
    const deployment = await readyDeployment(
      page,
      'component/default/hello-node',
      ENVIRONMENT,
    );
    instanceId = deployment.instances.find(i => i.state === 'ready').id;

    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/deployments`,
    );
    const card = page.getByTestId(`coderunner-environment-${ENVIRONMENT}`);
    await card.waitFor({ timeout: 60_000 });
    const button = card.getByRole('button', {
      name: `Terminal in instance ${instanceId.slice(0, 8)}`,
    });
    await button.waitFor({ timeout: 60_000 });
    await button.click();

    const dialog = page.getByTestId('coderunner-terminal-dialog');
    await dialog
      .getByTestId('coderunner-terminal-status')
      .getByText(/^Connected/)
      .waitFor({ timeout: 60_000 });
    await dialog.getByRole('group', { name: /^Terminal of instance/ }).click();
    await page.keyboard.type('echo "port=$PORT"');
    await page.keyboard.press('Enter');
    await waitForOutput(dialog, /port=3000/, 'the app port from echo $PORT');
    await screenshot(page, 'terminal-echo-port');

    // Paste with Ctrl+Shift+V from the clipboard.
    await page.evaluate(() =>
      navigator.clipboard.writeText('echo "pasted-$((20+22))"'),
    );
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await waitForOutput(dialog, /pasted-42/, 'the pasted command to run');
    // Pasted once: the next command runs on its own.
    await page.keyboard.type('echo "next-$((1+1))"');
    await page.keyboard.press('Enter');
    const afterPaste = await waitForOutput(
      dialog,
      /next-2/,
      'the command after the paste',
    );
    assert.equal(afterPaste.match(/pasted-42/g).length, 1, afterPaste);

    // Copy: select the last command's line with the mouse, then Copy selection. (Not the first
    // row: how many rows the terminal shows depends on when its fonts load, so the first
    // commands may have scrolled out of view.)
    const commandRow = dialog
      .locator('.xterm-rows > div', { hasText: 'next-$((1+1))' })
      .last();
    const row = await commandRow.boundingBox();
    await page.mouse.move(row.x + 2, row.y + row.height / 2);
    await page.mouse.down();
    await page.mouse.move(row.x + row.width - 2, row.y + row.height / 2, {
      steps: 5,
    });
    await page.mouse.up();
    await dialog.getByRole('button', { name: 'Copy selection' }).click();
    assert.match(
      await page.evaluate(() => navigator.clipboard.readText()),
      /echo "next-\$\(\(1\+1\)\)"/,
    );

    const { ours } = await checkAccessibility(page);
    assert.deepEqual(
      ours,
      [],
      `axe findings in the terminal dialog:\n${describeFindings(ours)}`,
    );

    // At phone width the dialog fills the screen and the shell is told the new size.
    await page.setViewportSize({ width: 390, height: 844 });
    await dialog.getByRole('group', { name: /^Terminal of instance/ }).click();
    await page.keyboard.type('echo "cols=$(stty size | cut -d" " -f2)"');
    await page.keyboard.press('Enter');
    const text = await waitForOutput(
      dialog,
      /cols=\d+/,
      'the column count at phone width',
    );
    const cols = Number(/cols=(\d+)/.exec(text)[1]);
    assert.ok(cols < 60, `the terminal has ${cols} columns at 390 px`);
    // The dialog fills the screen and nothing visible in it sticks out past the screen's edge
    // (as in accessibility.test.mjs: what a scroll container of its own holds does not count).
    const { paper, sticking } = await page.evaluate(() => {
      const root = document.querySelector(
        '[data-testid="coderunner-terminal-dialog"] [role="dialog"]',
      );
      const scrolls = element =>
        ['auto', 'scroll'].includes(getComputedStyle(element).overflowX);
      const out = [...root.querySelectorAll('*')].filter(element => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.right <= window.innerWidth) return false;
        if (
          !element.checkVisibility({
            visibilityProperty: true,
            opacityProperty: true,
          })
        )
          return false;
        for (let up = element.parentElement; up && up !== root; ) {
          if (scrolls(up)) return false;
          up = up.parentElement;
        }
        return true;
      });
      return {
        paper: root.getBoundingClientRect().width,
        sticking: out.map(e => `${e.tagName}.${e.className}`).slice(0, 5),
      };
    });
    assert.ok(paper <= 390, `the dialog is ${paper} px wide at 390 px`);
    const page390 = await page.evaluate(
      () => document.documentElement.scrollWidth,
    );
    assert.ok(page390 <= 390, `the page is ${page390} px wide at 390 px`);
    assert.deepEqual(sticking, [], 'elements of the dialog past 390 px');
    await screenshot(page, 'terminal-phone');
    const phone = await checkAccessibility(page);
    assert.deepEqual(
      phone.ours,
      [],
      `axe findings at 390 px:\n${describeFindings(phone.ours)}`,
    );

    // The shell's end is said in words.
    await dialog.getByRole('group', { name: /^Terminal of instance/ }).click();
    await page.keyboard.type('exit');
    await page.keyboard.press('Enter');
    await dialog
      .getByRole('alert')
      .getByText('The shell exited with code 0')
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'terminal-exited');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  },
);

test(
  'the viewer sees no Terminal button and the backend refuses it with a 403',
  { timeout: 300_000 },
  async () => {
    assert.ok(instanceId, 'the owner test found a running instance');
    const refresh = await fetch(`${BACKEND}/api/auth/viewer/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const token = (await refresh.json()).backstageIdentity.token;
    const query = new URLSearchParams({
      entity: 'component:default/hello-node',
      environment: ENVIRONMENT,
      instance: instanceId,
    });
    const preflight = await fetch(
      `${BACKEND}/api/coderunner/terminal?${query}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    assert.equal(preflight.status, 403);
    assert.match(
      (await preflight.json()).error.message,
      /coderunner\.instance\.exec/,
    );
    const upgrade = await new Promise((resolve, reject) => {
      const ws = new WebSocket(
        `${BACKEND.replace(/^http/, 'ws')}/api/coderunner/terminal?${query}`,
        ['coderunner.terminal.v1', token],
        { origin: PORTAL_URL },
      );
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('open', () => {
        ws.close();
        reject(new Error('the viewer opened a terminal'));
      });
      ws.on('error', () => undefined);
    });
    assert.equal(upgrade, 403);

    const page = await signIn(browser, 'viewer');
    await page.goto(
      `${PORTAL_URL}/catalog/default/component/hello-node/deployments`,
    );
    const card = page.getByTestId(`coderunner-environment-${ENVIRONMENT}`);
    await card.waitFor({ timeout: 60_000 });
    await card.getByTestId('coderunner-instance').first().waitFor();
    // Once the permission decisions have arrived the viewer's actions are disabled.
    await card
      .getByTestId('coderunner-permission-denied')
      .first()
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await card.getByRole('button', { name: /^Terminal/ }).count(),
      0,
      'the viewer has a Terminal button',
    );
    await screenshot(page, 'terminal-viewer-no-button');
  },
);
