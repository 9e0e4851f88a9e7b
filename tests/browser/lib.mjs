// Browser test helpers: Debian's Chromium driven by playwright-core (no
// downloaded browsers). Installed by scripts/test.sh with `npm ci` here.
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { withForum } from '../e2e/lib.mjs';

export const CHROMIUM = process.env.LOULAN_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium; the caller closes it. */
export function launch(opts = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    ...opts,
  });
}

/**
 * Records console errors and uncaught page errors of a page.
 * Returns an array that fills up as they happen ("console: ..." / "pageerror: ...").
 */
export function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const loc = m.location();
      errors.push(`console: ${m.text()}${loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/**
 * Runs fn(forum, browser) on a fresh forum (startForum options) and a fresh
 * Chromium, then closes both; an error from fn wins over one from closing.
 */
export async function withBrowserForum(opts, fn) {
  await withForum(opts, async (forum) => {
    const browser = await launch();
    try {
      await fn(forum, browser);
    } finally {
      await browser.close().catch(() => {});
    }
  });
}

/** Signs NAME in through the login form of the forum at url. */
export async function webLoginPage(page, url, name, password) {
  await page.goto(url + '/login', { waitUntil: 'load' });
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type=submit]')]);
}

/**
 * Full-page screenshots at 1280 and 390 px into LOULAN_SHOTS (a directory; nothing when unset) as
 * NAME-WIDTH.png, each without horizontal overflow; the viewport is 1280 afterwards.
 */
export async function shotBoth(page, name) {
  const dir = process.env.LOULAN_SHOTS;
  if (!dir) return;
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
    const over = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.ok(!over, `${name} at ${width}px: no horizontal overflow`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
