// b0000: the index page loads in Chromium with a title, no console errors
// (CSP violations, 404 assets, script errors) and no uncaught exceptions.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startForum, ROOT } from '../e2e/lib.mjs';
import { launch, collectErrors } from './lib.mjs';

test('index page renders in Chromium without errors', async () => {
  const forum = await startForum({ demo: true });
  let browser = null;
  let failure = null;
  try {
    browser = await launch();
    const page = await browser.newPage();
    const errors = collectErrors(page);
    const res = await page.goto(forum.url + '/', { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const title = await page.title();
    assert.ok(title.trim().length > 0, 'page title is empty');
    const dir = path.join(ROOT, 'build/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, 'index.png'), fullPage: true });
    assert.deepEqual(errors, [], 'console errors or uncaught page errors');
  } catch (e) {
    failure = e;
  }
  if (browser) await browser.close().catch(() => {});
  try {
    await forum.stop();
  } catch (e) {
    if (!failure) throw e;
    failure.message += `\n(and stop() failed too: ${e.message})`;
  }
  if (failure) throw failure;
});
