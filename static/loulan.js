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
/* forms with data-confirm ask first (deleting a post) */
document.addEventListener('submit', function (e) {
  var f = e.target;
  var q = f && f.getAttribute && f.getAttribute('data-confirm');
  if (q && !window.confirm(q)) e.preventDefault();
});
