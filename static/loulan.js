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
