// t0420: `loulan rerender` renders stored posts and saved edits again from
// their source. Posts written by an older renderer (here: HTML with style
// attributes, which the CSP blocks) get the current classes; the guest page
// cache is invalidated; a second run changes nothing; bad options exit 2.
import test from 'node:test';
import assert from 'node:assert/strict';
import { withForum, get, PW, webLogin, apiToken, api, addBoard, sql } from './lib.mjs';

test('loulan rerender replaces HTML from an older renderer', async () => {
  await withForum({ demo: false, users: [{ name: 'alice', password: PW }], config: { 'post.flood_seconds': 0 } },
    async (forum) => {
      const { url } = forum;
      const fid = await addBoard(forum, ['--name', 'rr']);
      const tok = await apiToken(url, 'alice');
      const t = await api(url, 'POST', `/api/v1/boards/${fid}/threads`,
        { title: '旧帖', body: '[color=Red]红字[/color]', format: 'bbcode' }, tok);
      assert.equal(t.status, 201, t.text);
      const e = await api(url, 'PATCH', `/api/v1/posts/${t.json.pid}`, { body: '[size=5]大字[/size]', format: 'bbcode' }, tok);
      assert.equal(e.status, 200, e.text);
      const r = await api(url, 'POST', `/api/v1/threads/${t.json.tid}/posts`,
        { body: '| a |\n|:-:|\n| 居中 |', format: 'markdown' }, tok);
      assert.equal(r.status, 201, r.text);

      // what the renderer of an older version stored
      await sql(forum, `UPDATE post SET html = '<span style="font-size:24px">old</span>'`);
      await sql(forum, `UPDATE post_history SET html = '<span style="color:red">old</span>'`);
      const before = await get(`${url}/t/${t.json.tid}`); // fills the guest cache
      assert.match(before.text, /style="font-size:24px"/);

      const run = await forum.run(['rerender']);
      assert.equal(run.code, 0, run.stderr);
      const m = run.stdout.trim().match(/^(\d+) rendered, (\d+) changed$/);
      assert.ok(m, run.stdout);
      assert.ok(Number(m[1]) >= 3, `rendered ${m[1]}: two posts and at least one saved edit`);
      assert.equal(m[2], m[1], 'every row held old HTML');

      const page = await get(`${url}/t/${t.json.tid}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.text, /style="font-size:24px"|>old</, 'the cached page was invalidated');
      assert.match(page.text, /<span class="fs-24">大字<\/span>/);
      assert.match(page.text, /<th class="al-center">a<\/th>/);
      const web = await webLogin(url, 'alice');
      const hist = await web.get(`/p/${t.json.pid}/history`);
      assert.equal(hist.status, 200);
      assert.match(hist.text, /<span class="c-red">红字<\/span>/);
      assert.doesNotMatch(hist.text, />old</);

      const again = await forum.run(['rerender']);
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout.trim(), `${m[1]} rendered, 0 changed`);

      const bad = await forum.run(['rerender', 'extra']);
      assert.equal(bad.code, 2);
      const help = await forum.run(['rerender', '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /usage: loulan rerender/);
    });
});
