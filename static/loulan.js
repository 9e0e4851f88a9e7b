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
