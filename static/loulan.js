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
