// Ad-hoc screenshots of a running forum (not a test): node tests/browser/shoot.mjs URL OUTDIR path...
import { launch } from './lib.mjs';
const [base, out, ...paths] = process.argv.slice(2);
const browser = await launch();
for (const [w, h, tag] of [[1280, 900, 'desk'], [390, 844, 'phone']]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  for (const p of paths) {
    await page.goto(base + p);
    const name = p.replace(/[^a-z0-9]+/gi, '_') || 'index';
    await page.screenshot({ path: `${out}/${tag}${name}.png`, fullPage: true });
  }
  await ctx.close();
}
await browser.close();
