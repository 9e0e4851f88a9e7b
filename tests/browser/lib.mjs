// Browser test helpers: Debian's Chromium driven by playwright-core (no
// downloaded browsers). Installed by scripts/test.sh with `npm ci` here.
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
