/* loulan: small progressive enhancements; every page works without them. */
(function () {
  'use strict';
  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('.copylink');
    if (!b) return;
    var url = location.origin + b.getAttribute('data-url');
    var done = function () { b.textContent = '[链接已复制]'; setTimeout(function () { b.textContent = '[复制链接]'; }, 2000); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, function () { window.prompt('复制链接：', url); });
    } else {
      window.prompt('复制链接：', url);
    }
  });
})();
/* forms, or the submit buttons that post through a shared form (thread page #fx), with data-confirm ask first (deleting a post) */
document.addEventListener('submit', function (e) {
  var f = e.target, b = e.submitter;
  var q = (b && b.getAttribute && b.getAttribute('data-confirm')) || (f && f.getAttribute && f.getAttribute('data-confirm'));
  if (q && !window.confirm(q)) e.preventDefault();
});
/* logging out forgets the member's composer drafts (static/composer.js keeps them per member) */
document.addEventListener('submit', function (e) {
  var f = e.target;
  if (!f || !f.getAttribute || f.getAttribute('action') !== '/logout' || e.defaultPrevented) return;
  var me = document.querySelector('.usernav a.me');
  var uid = me && /\/u\/(\d+)/.exec(me.getAttribute('href') || '');
  try {
    var pre = 'loulan:draft:' + (uid ? uid[1] : '0') + ':', gone = [];
    for (var i = 0; i < localStorage.length; i++) if (localStorage.key(i).indexOf(pre) === 0) gone.push(localStorage.key(i));
    gone.forEach(function (k) { localStorage.removeItem(k); });
  } catch (x) { /* no storage */ }
});
/* download cards ([attach]N of a file, rendered when the post was saved) get their live count:
   one GET /attachments/counts?aids=... for the first 30 cards of the page (ATTACH_COUNTS_MAX) */
(function () {
  var cards = {}, aids = [];
  document.querySelectorAll('.att-file').forEach(function (c) {
    var a = c.querySelector('a[href^="/a/"]');
    var m = a && /^\/a\/(\d+)\//.exec(a.getAttribute('href'));
    if (!m || c.querySelector('.att-count')) return;
    if (!cards[m[1]]) { if (aids.length === 30) return; cards[m[1]] = []; aids.push(m[1]); }
    cards[m[1]].push(c);
  });
  if (!aids.length || !window.fetch) return;
  fetch('/attachments/counts?aids=' + aids.join(','), { credentials: 'same-origin' })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (counts) {
      aids.forEach(function (aid) {
        if (typeof counts[aid] !== 'number') return;
        cards[aid].forEach(function (c) {
          var s = document.createElement('span');
          s.className = 'att-count';
          s.textContent = '下载次数: ' + counts[aid];
          c.appendChild(s);
        });
      });
    }, function () { /* the card works without its count */ });
})();
/* 关注 (issue #15): the thread page's button says what a click does; the state is the member's own, so it
   comes from GET /t/{tid}/follow (the page itself is shared by the group's members) */
(function () {
  var b = document.querySelector('button[data-follow]');
  if (!b || !window.fetch) return;
  fetch(b.getAttribute('data-follow'), { credentials: 'same-origin' }).then(function (r) {
    return r.ok ? r.json() : null;
  }).then(function (j) {
    if (!j || !j.following) return;
    b.value = '0';
    b.textContent = '[取消关注]';
    b.title = '不再提醒这个主题的新回复';
  }).catch(function () {});
})();
/* live replies and counters (issue #15): one EventSource per page. On a thread page (#thread[data-live])
   new replies show "有 N 条新回复，点击查看"; a click loads the new floors from the thread's pages and
   adds them under the last one (no reload). The member's counters update [data-live-count=KIND]. */
(function () {
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var th = document.querySelector('#thread[data-live]');
  var counts = document.querySelectorAll('[data-live-count]');
  var member = document.querySelector('.usernav a.me');
  var url = th ? th.getAttribute('data-live') + '?after=' + th.getAttribute('data-max') : member && counts.length ? '/events' : null;
  if (!url) return;
  var es = new EventSource(url);
  window.addEventListener('pagehide', function () { es.close(); });
  es.addEventListener('counts', function (e) {
    var d = JSON.parse(e.data);
    counts.forEach(function (c) {
      var n = d[c.getAttribute('data-live-count')];
      if (typeof n !== 'number') return;
      c.textContent = n > 0 ? String(n) : '';
      c.classList.toggle('zero', n === 0);
    });
  });
  if (!th) return;
  var known = +th.getAttribute('data-max'), per = +th.getAttribute('data-per') || 10, last = known, busy = false, bar = null;
  var floors = function () { return th.querySelectorAll('article.floor[data-pos]'); };
  var lastFloor = function () { var f = floors(); return f.length ? f[f.length - 1] : null; };
  var pageOf = function (pos) { return Math.floor((pos - 1) / per) + 1; };
  function showBar() {
    var n = last - known;
    if (!bar) {
      bar = document.createElement('button');
      bar.type = 'button';
      bar.className = 'live-new';
      bar.addEventListener('click', load);
      var f = lastFloor();
      if (f) f.after(bar); else th.appendChild(bar);
    }
    bar.hidden = n <= 0;
    bar.textContent = '有 ' + n + ' 条新回复，点击查看';
  }
  function load() {
    if (busy) return;
    var f = lastFloor(), shown = f ? +f.getAttribute('data-pos') : 0;
    /* this page does not end at the thread's last floor: go to the page of the first new one */
    if (shown < known || pageOf(last) - pageOf(known + 1) > 2) {
      location.href = '/t/' + th.getAttribute('data-live').split('/')[2] + '?page=' + pageOf(known + 1);
      return;
    }
    busy = true;
    var target = last;
    bar.textContent = '正在加载……';
    var tid = th.getAttribute('data-live').split('/')[2];
    var next = function (pg) {
      if (pg > pageOf(target)) return Promise.resolve();
      return fetch('/t/' + tid + '?page=' + pg, { credentials: 'same-origin' })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          doc.querySelectorAll('#thread article.floor[data-pos]').forEach(function (n) {
            var pos = +n.getAttribute('data-pos');
            if (pos <= known) return;
            var node = document.importNode(n, true);
            node.classList.add('live-added');
            bar.before(node);
            known = pos;
          });
          return next(pg + 1);
        });
    };
    next(pageOf(known + 1)).then(function () {
      busy = false;
      if (known < target) known = target;   /* a floor not shown (held, hidden) is not new either */
      if (known > last) last = known;
      var replies = document.querySelectorAll('.thread-head .counts em')[1];   /* 回复: N */
      if (replies && +replies.textContent < known - 1) replies.textContent = String(known - 1);
      showBar();
    }, function () {
      busy = false;
      bar.textContent = '加载失败，点击重试';
    });
  }
  es.addEventListener('reply', function (e) {
    var d = JSON.parse(e.data);
    if (d.last > last) { last = d.last; showBar(); }
  });
})();
