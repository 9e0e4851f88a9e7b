// A small XML well-formedness check for the sitemap and RSS tests (Node has no XML parser):
// one root, every tag closed in order, attributes quoted, text without a raw '<' or a bare '&'.
import assert from 'node:assert/strict';

/** Asserts xml is well-formed; returns the root element's name. */
export function assertWellFormed(xml, what) {
  assert.match(xml, /^<\?xml version="1\.0" encoding="(UTF|utf)-8"\?>\n/, `${what}: XML declaration`);
  const s = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  const stack = [];
  let root = null, i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt < 0 ? s.length : lt);
    assert.ok(!/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text), `${what}: bare & in ${JSON.stringify(text.slice(0, 80))}`);
    if (!stack.length) assert.equal(text.trim(), '', `${what}: text outside the root`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(s);
    assert.ok(m, `${what}: malformed tag at ${JSON.stringify(s.slice(lt, lt + 80))}`);
    const [, close, name, , empty] = m;
    if (close) {
      assert.equal(stack.pop(), name, `${what}: </${name}> closes the wrong element`);
    } else {
      if (!stack.length) {
        assert.equal(root, null, `${what}: a second root <${name}>`);
        root = name;
      }
      if (!empty) stack.push(name);
    }
    i = tag.lastIndex;
  }
  assert.deepEqual(stack, [], `${what}: unclosed elements`);
  assert.ok(root, `${what}: no root`);
  return root;
}
