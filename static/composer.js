/* loulan composer: the toolbar over a post's textarea (templates/composer.html).
   Wraps the selection in BBCode or Markdown (the form's format select), keyboard
   shortcuts (Ctrl+B / Ctrl+I / Ctrl+K, Ctrl+Enter sends), the smiley picker, the
   colour and size boxes, and drafts kept in localStorage (per form: its action)
   that survive a reload and a refused submit. Without JavaScript the bar stays
   hidden and the plain form works. No framework; CSP script-src 'self'. */
(function () {
  'use strict';
  var DRAFT = 'loulan:draft:';         /* + the member's uid + ':' + the form's action */
  var SENT = 'loulan:sent';            /* sessionStorage: the draft key of the form just sent */
  var DRAFT_DAYS = 7;

  function store(kind) {
    try { var s = window[kind]; var k = '__loulan'; s.setItem(k, k); s.removeItem(k); return s; } catch (e) { return null; }
  }
  var local = store('localStorage'), session = store('sessionStorage');

  /* drafts are the member's own: a shared computer (网吧) shows nobody else's;
     the uid comes from the header's link to the member's space */
  function draftKey(action) {
    var me = document.querySelector('.usernav a.me');
    var uid = me && /\/u\/(\d+)/.exec(me.getAttribute('href') || '');
    return DRAFT + (uid ? uid[1] : '0') + ':' + action;
  }

  /* ---- editing the textarea: keeps the browser's undo history where it can */
  function replaceSel(ta, text, selFrom, selTo) {
    var s = ta.selectionStart, e = ta.selectionEnd;
    ta.focus();
    var done = false;
    try { done = document.execCommand('insertText', false, text); } catch (x) { done = false; }
    if (!done || ta.value.substr(s, text.length) !== text) {
      ta.setRangeText(text, s, e, 'end');
      ta.dispatchEvent(new Event('input', { bubbles: true }));
    }
    if (selFrom !== undefined) ta.setSelectionRange(s + selFrom, s + selTo);
  }

  function wrapSel(ta, open, close) {
    var sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
    replaceSel(ta, open + sel + close, open.length, open.length + sel.length);
  }

  /* the selection grown to whole lines */
  function selectLines(ta) {
    var v = ta.value, s = ta.selectionStart, e = ta.selectionEnd;
    if (e > s && v.charAt(e - 1) === '\n') e--;
    s = v.lastIndexOf('\n', s - 1) + 1;
    var n = v.indexOf('\n', e);
    ta.setSelectionRange(s, n < 0 ? v.length : n);
    return ta.value.slice(ta.selectionStart, ta.selectionEnd);
  }

  /* text that must start on a line of its own */
  function onOwnLine(ta, text) {
    var before = ta.value.slice(0, ta.selectionStart);
    return (before && before.charAt(before.length - 1) !== '\n' ? '\n' : '') + text;
  }

  /* a URL as a Markdown link destination or a BBCode [url=] attribute: the
     characters that would end it early are percent-encoded */
  function pct(c) { return '%' + ('0' + c.charCodeAt(0).toString(16).toUpperCase()).slice(-2); }
  function mdUrl(u) { return u.replace(/[()<>\s]/g, pct); }
  function bbUrl(u) { return u.replace(/[\[\]]/g, pct); }

  var SIMPLE = {
    bold: { bbcode: ['[b]', '[/b]'], markdown: ['**', '**'] },
    italic: { bbcode: ['[i]', '[/i]'], markdown: ['*', '*'] },
    underline: { bbcode: ['[u]', '[/u]'] },
    strike: { bbcode: ['[s]', '[/s]'], markdown: ['~~', '~~'] }
  };

  function Composer(bar) {
    var self = this;
    this.bar = bar;
    this.form = bar.closest('form');
    this.ta = this.form && this.form.querySelector('textarea[name="body"]');
    if (!this.ta) return;
    this.fmtSel = this.form.querySelector('select[name="format"]');
    this.title = this.form.querySelector('input[name="title"]');
    this.action = bar.getAttribute('data-draft-key') || location.pathname;
    this.key = draftKey(this.action);
    this.note = bar.parentNode.querySelector('.draft-note') || this.form.querySelector('.draft-note');
    this.quotes = bar.hasAttribute('data-quote-bbcode')
      ? { bbcode: bar.getAttribute('data-quote-bbcode'), markdown: bar.getAttribute('data-quote-markdown') } : null;
    this.lastFormat = this.format();
    bar.hidden = false;
    this.showFormat();

    bar.addEventListener('click', function (e) {
      var b = e.target.closest('button');
      if (!b || !bar.contains(b)) return;
      if (b.hasAttribute('data-cmd')) self.command(b.getAttribute('data-cmd'));
      else if (b.hasAttribute('data-color')) self.wrapTag('color', b.getAttribute('data-color'));
      else if (b.hasAttribute('data-size')) self.wrapTag('size', b.getAttribute('data-size'));
      else if (b.hasAttribute('data-smiley')) self.smiley(b.getAttribute('data-smiley'));
      else return;
      var pop = b.closest('details');
      if (pop) pop.open = false;
    });
    /* one box open at a time; a click elsewhere closes it */
    bar.addEventListener('toggle', function (e) {
      if (!e.target.open) return;
      bar.querySelectorAll('details[open]').forEach(function (d) { if (d !== e.target) d.open = false; });
    }, true);
    document.addEventListener('click', function (e) {
      if (!bar.contains(e.target)) bar.querySelectorAll('details[open]').forEach(function (d) { d.open = false; });
    });
    this.ta.addEventListener('keydown', function (e) { self.key_(e); });
    if (this.fmtSel) this.fmtSel.addEventListener('change', function () { self.formatChanged(); });
    this.drafts();
  }

  Composer.prototype.format = function () {
    return this.fmtSel && this.fmtSel.value === 'markdown' ? 'markdown' : 'bbcode';
  };

  /* BBCode-only buttons (underline, colour, size) hide in Markdown */
  Composer.prototype.showFormat = function () {
    this.bar.classList.toggle('fmt-markdown', this.format() === 'markdown');
  };

  /* a quote prefilled for one format is swapped for the other while it is unedited */
  Composer.prototype.formatChanged = function () {
    var to = this.format(), from = this.lastFormat;
    this.lastFormat = to;
    this.showFormat();
    var q = this.quotes;
    if (q && from !== to && this.ta.value.indexOf(q[from]) === 0) {
      this.ta.value = q[to] + this.ta.value.slice(q[from].length);
      this.ta.setSelectionRange(this.ta.value.length, this.ta.value.length);
    }
    this.save();
  };

  Composer.prototype.command = function (cmd) {
    var ta = this.ta, md = this.format() === 'markdown', sel, url;
    if (SIMPLE[cmd]) {
      var w = SIMPLE[cmd][md ? 'markdown' : 'bbcode'];
      if (w) wrapSel(ta, w[0], w[1]);
      return;
    }
    switch (cmd) {
      case 'link':
        sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
        url = window.prompt('链接地址：', 'https://');
        if (!url || url === 'https://') { ta.focus(); return; }
        if (md) replaceSel(ta, '[' + (sel || url).replace(/[\[\]]/g, '\\$&') + '](' + mdUrl(url) + ')');
        else if (sel) replaceSel(ta, '[url=' + bbUrl(url) + ']' + sel + '[/url]');
        else replaceSel(ta, '[url]' + bbUrl(url) + '[/url]');
        return;
      case 'image':
        url = window.prompt('图片地址：', 'https://');
        if (!url || url === 'https://') { ta.focus(); return; }
        sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
        replaceSel(ta, md ? '![' + sel.replace(/[\[\]]/g, '') + '](' + mdUrl(url) + ')' : '[img]' + bbUrl(url) + '[/img]');
        return;
      case 'quote':
        if (!md) { wrapSel(ta, '[quote]', '[/quote]'); return; }
        sel = selectLines(ta);
        replaceSel(ta, sel ? sel.split('\n').map(function (l) { return '> ' + l; }).join('\n') : '> ', sel ? undefined : 2, sel ? undefined : 2);
        return;
      case 'code':
        sel = ta.value.slice(ta.selectionStart, ta.selectionEnd);
        if (!md) { wrapSel(ta, '[code]', '[/code]'); return; }
        if (sel && sel.indexOf('\n') < 0) { wrapSel(ta, '`', '`'); return; }
        var open = onOwnLine(ta, '```\n');
        replaceSel(ta, open + sel + '\n```\n', open.length, open.length + sel.length);
        return;
      case 'list':
        sel = selectLines(ta);
        var lines = sel ? sel.split('\n') : [''];
        var text = md ? lines.map(function (l) { return '- ' + l; }).join('\n')
                      : '[list]\n' + lines.map(function (l) { return '[*]' + l; }).join('\n') + '\n[/list]';
        var caret = md ? 2 : 10;   /* after "- " or "[list]\n[*]" when the list is empty */
        replaceSel(ta, text, sel ? undefined : caret, sel ? undefined : caret);
        return;
      case 'attach':
        this.form.dispatchEvent(new CustomEvent('loulan:attach', { bubbles: true }));
        return;
      case 'preview':
        this.preview();
        return;
    }
  };

  Composer.prototype.wrapTag = function (tag, value) {
    if (this.format() === 'markdown') return;
    wrapSel(this.ta, '[' + tag + '=' + value + ']', '[/' + tag + ']');
  };

  /* a code needs a boundary before it (and after one ending in a letter) */
  Composer.prototype.smiley = function (code) {
    var ta = this.ta, v = ta.value;
    var before = v.charAt(ta.selectionStart - 1), after = v.charAt(ta.selectionEnd);
    var text = (/[A-Za-z0-9:\/]/.test(before) ? ' ' : '') + code + (/[A-Za-z0-9]$/.test(code) && /[A-Za-z0-9]/.test(after) ? ' ' : '');
    replaceSel(ta, text, text.length, text.length);
  };

  /* the form's 预览 button, or (the quick reply) the form sent with preview=1 */
  Composer.prototype.preview = function () {
    var b = this.form.querySelector('button[name="preview"]');
    if (b) { this.form.requestSubmit(b); return; }
    var h = document.createElement('input');
    h.type = 'hidden';
    h.name = 'preview';
    h.value = '1';
    this.form.appendChild(h);
    this.form.requestSubmit();
    h.remove();   /* the form data was taken; a blocked submit must not leave it */
  };

  Composer.prototype.key_ = function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    var k = e.key.toLowerCase();
    if (k === 'enter') {
      e.preventDefault();
      var send = this.form.querySelector('button[type="submit"]:not([name="preview"])');
      this.form.requestSubmit(send || undefined);
    } else if (k === 'b' && !e.shiftKey) { e.preventDefault(); this.command('bold'); }
    else if (k === 'i' && !e.shiftKey) { e.preventDefault(); this.command('italic'); }
    else if (k === 'k' && !e.shiftKey) { e.preventDefault(); this.command('link'); }
  };

  /* ---- drafts: {body, title, format, base, t} under loulan:draft:ACTION.
     base is the text the server put in the form when the draft began (empty, a
     quote, the post being edited): a draft is restored only over that same text,
     so an edit that changed meanwhile is not overwritten. Sent forms: the next
     page tells whether the post went through (the draft goes) or not (it stays). */
  Composer.prototype.drafts = function () {
    if (!local) return;
    var self = this, ta = this.ta;
    this.base = ta.defaultValue;
    var sent = session && session.getItem(SENT);
    if (sent === this.key) {
      session.removeItem(SENT);
      /* the form came back (a refusal or a preview) under its own address, or an error page: keep */
      if (!this.refused()) { local.removeItem(this.key); return this.listen(); }
    }
    var d = null;
    try { d = JSON.parse(local.getItem(this.key) || 'null'); } catch (x) { d = null; }
    if (d && (typeof d.body !== 'string' || Date.now() - (d.t || 0) > DRAFT_DAYS * 864e5)) { local.removeItem(this.key); d = null; }
    if (d && d.body !== ta.value) {
      if (ta.value === d.base || ta.value === '') this.restore(d, true);
      else this.offer(d);
    } else if (d) {
      this.base = d.base;
    }
    this.listen();
  };

  /* this page shows the sent form again: the server refused it, or previewed it */
  Composer.prototype.refused = function () {
    var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
    if (nav && nav.responseStatus >= 400) return true;
    return !!document.querySelector('.form-error, .preview, section.notice') ||
      location.pathname === this.action;
  };

  Composer.prototype.listen = function () {
    var self = this;
    var save = function () { self.save(); };
    this.ta.addEventListener('input', save);
    if (this.title) this.title.addEventListener('input', save);
    this.form.addEventListener('submit', function () {
      self.save();
      if (session) session.setItem(SENT, self.key);
    });
    /* another tab may have sent or dropped this draft */
    window.addEventListener('pageshow', function (e) { if (e.persisted && session) session.removeItem(SENT); });
  };

  Composer.prototype.save = function () {
    if (!local) return;
    var body = this.ta.value, title = this.title ? this.title.value : '';
    if (body === this.base && !title) { local.removeItem(this.key); return; }
    try {
      local.setItem(this.key, JSON.stringify({ body: body, title: title, format: this.format(), base: this.base, t: Date.now() }));
    } catch (x) { /* full: the draft is not kept */ }
  };

  Composer.prototype.restore = function (d, told) {
    this.ta.value = d.body;
    if (this.title && d.title) this.title.value = d.title;
    if (this.fmtSel && d.format) { this.fmtSel.value = d.format; this.lastFormat = this.format(); this.showFormat(); }
    this.base = typeof d.base === 'string' ? d.base : this.ta.defaultValue;
    if (told) this.tell('已恢复上次未发表的草稿（' + new Date(d.t).toLocaleString('zh-CN') + '）。', '丢弃草稿', this.discard);
  };

  /* the form already holds other text: restoring is the reader's choice */
  Composer.prototype.offer = function (d) {
    var self = this;
    this.tell('有一份未发表的草稿（' + new Date(d.t).toLocaleString('zh-CN') + '）。', '恢复草稿', function () {
      self.restore(d, false);
      self.save();
      self.tell('已恢复草稿。', '丢弃草稿', self.discard);
    });
  };

  Composer.prototype.discard = function () {
    this.ta.value = this.ta.defaultValue;
    if (this.title) this.title.value = this.title.defaultValue;
    this.base = this.ta.defaultValue;
    local.removeItem(this.key);
    this.tell('草稿已丢弃。');
  };

  Composer.prototype.tell = function (text, action, fn) {
    var n = this.note;
    if (!n) return;
    n.textContent = text;
    if (action) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'linkish';
      b.textContent = action;
      var self = this;
      b.addEventListener('click', function () { fn.call(self); });
      n.appendChild(b);
    }
    n.hidden = false;
  };

  function init() {
    var keys = {};
    document.querySelectorAll('[data-composer]').forEach(function (bar) {
      if (!bar.loulanComposer) bar.loulanComposer = new Composer(bar);
      if (bar.loulanComposer.key) keys[bar.loulanComposer.key] = 1;
    });
    /* a sent form whose composer is not on this page (a new thread landing on its
       thread page): the post went through unless this page is an error */
    var sent = session && session.getItem(SENT);
    if (sent && local && !keys[sent]) {
      var nav = window.performance && performance.getEntriesByType && performance.getEntriesByType('navigation')[0];
      var failed = (nav && nav.responseStatus >= 400) || document.querySelector('section.notice');
      session.removeItem(SENT);
      if (!failed) local.removeItem(sent);
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();

/* @ completion (issue #15): "@" and 1-15 name characters before the caret of a post textarea ask
   /mentions?q= (members only, at most 8 names) and list them under the textarea; ↑/↓ choose,
   Enter or Tab inserts "@name ", Esc closes. The same name characters as markup/mention.c. */
(function () {
  if (!window.fetch || !document.querySelector('a.me')) return;
  var pop = null, names = [], sel = 0, ta = null, at = 0, timer = 0, asked = '';
  var re = /(^|[^A-Za-z0-9_.\-@\/&])@([^\s@!"#$%&'()*+,\/:;<=>?\[\\\]^`{|}~\u2000-\u206f\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]{1,15})$/;
  function close() {
    if (pop) pop.remove();
    pop = null;
    names = [];
  }
  function mark() {
    if (!pop) return;
    for (var i = 0; i < pop.children.length; i++) {
      pop.children[i].className = i === sel ? 'on' : '';
      pop.children[i].setAttribute('aria-selected', i === sel ? 'true' : 'false');
    }
  }
  function pick(name) {
    var end = ta.selectionStart;
    ta.focus();
    ta.setSelectionRange(at, end);
    if (!document.execCommand('insertText', false, name + ' ')) ta.setRangeText(name + ' ', at, end, 'end');
    close();
  }
  function show(list) {
    close();
    if (!list.length) return;
    names = list;
    sel = 0;
    pop = document.createElement('ul');
    pop.className = 'mention-pop';
    pop.setAttribute('role', 'listbox');
    list.forEach(function (u) {
      var li = document.createElement('li');
      li.textContent = u.name;
      li.setAttribute('role', 'option');
      li.addEventListener('mousedown', function (e) { e.preventDefault(); pick(u.name); });
      pop.appendChild(li);
    });
    var r = ta.getBoundingClientRect();
    pop.style.top = (r.bottom + window.scrollY + 2) + 'px';
    pop.style.left = (r.left + window.scrollX) + 'px';
    document.body.appendChild(pop);
    mark();
  }
  function ask() {
    var m = re.exec(ta.value.slice(0, ta.selectionStart));
    if (!m) { close(); asked = ''; return; }
    var q = m[2];
    at = ta.selectionStart - q.length;
    if (q === asked && pop) return;
    asked = q;
    fetch('/mentions?q=' + encodeURIComponent(q), { credentials: 'same-origin' }).then(function (r) {
      return r.ok ? r.json() : [];
    }).then(function (list) {
      if (asked === q) show(list);
    }).catch(close);
  }
  document.addEventListener('input', function (e) {
    if (!e.target.matches || !e.target.matches('textarea[name=body]')) return;
    ta = e.target;
    clearTimeout(timer);
    timer = setTimeout(ask, 150);
  });
  document.addEventListener('keydown', function (e) {
    if (!pop || e.target !== ta) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      sel = (sel + (e.key === 'ArrowDown' ? 1 : names.length - 1)) % names.length;
      mark();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      pick(names[sel].name);
    } else if (e.key === 'Escape') {
      close();
    } else {
      return;
    }
    e.preventDefault();
  }, true);
  document.addEventListener('focusout', function (e) { if (e.target === ta) setTimeout(close, 100); });
})();
