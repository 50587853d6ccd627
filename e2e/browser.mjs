// Shared browser setup for the e2e tests: Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

export const PORTAL_URL = process.env.PORTAL_URL ?? 'http://localhost:3000';
export const RESULTS_DIR = process.env.E2E_RESULTS_DIR ?? 'test-results/e2e';

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Each development user's button on the sign-in page (app-config.yaml's auth.providers), in the
 * page's order: the guest's Enter, then the viewer's and the operator's Sign In.
 */
const SIGN_IN_BUTTONS = {
  guest: { name: 'Enter', index: 0 },
  viewer: { name: 'Sign In', index: 0 },
  operator: { name: 'Sign In', index: 1 },
};

/**
 * Opens the portal and signs in as `user`: the guest, who owns the examples, the read-only
 * viewer, or the operator. Retries when the backend is still starting (the sign-in page then
 * shows an error instead of the app).
 */
export async function signIn(browser, user = 'guest') {
  // A context of our own, so tests can open more pages (the deployed app) beside the portal.
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  for (let attempt = 1; ; attempt++) {
    await page.goto(PORTAL_URL);
    const { name, index } = SIGN_IN_BUTTONS[user];
    const enter = page.getByRole('button', { name, exact: true }).nth(index);
    await enter.waitFor({ timeout: 120_000 });
    await enter.click();
    try {
      await page
        .getByRole('link', { name: 'Catalog' })
        .first()
        .waitFor({ timeout: 20_000 });
      return page;
    } catch (error) {
      if (attempt >= 4) throw error;
      await page.waitForTimeout(3000);
    }
  }
}

/**
 * Opens one of an entity's tabs. CodeRunner's tabs live in the entity page's groups
 * ("Deployment" holds Deployments, Config and Autoscaling; Logs stands alone), so a tab may be
 * a menu item behind its group's button.
 */
export async function openEntityTab(page, entityPath, tabName) {
  await page.goto(`${PORTAL_URL}/catalog/${entityPath}`);
  await page
    .getByRole('link', { name: 'Overview', exact: true })
    .waitFor({ timeout: 60_000 });
  const direct = page.getByRole('link', { name: tabName, exact: true });
  if (await direct.count()) {
    await direct.first().click();
    return;
  }
  await page.getByRole('button', { name: 'Deployment', exact: true }).click();
  await page
    .getByRole('menuitemradio', { name: tabName, exact: true })
    .first()
    .click();
}

export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Polls `check` every second until it returns something truthy; fails with the last error. */
export async function eventually(what, check, timeout = 240_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(
    `Timed out waiting for ${what}${last ? `: ${last.message}` : ''}`,
  );
}
