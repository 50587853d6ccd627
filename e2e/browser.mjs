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

/** Opens the portal and signs in as the guest user. */
export async function signIn(browser) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(PORTAL_URL);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.waitFor({ timeout: 120_000 });
  await enter.click();
  await page.getByRole('navigation').first().waitFor();
  return page;
}

export async function screenshot(page, name) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
