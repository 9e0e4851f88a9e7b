/* loulan: the colour scheme. Loaded in <head> without defer, so the member's choice (light or dark,
   kept in localStorage) is on <html data-theme> before the first paint: no flash of the other scheme.
   Without a choice the system's prefers-color-scheme decides (static/loulan.css, light-dark()). */
(function () {
  'use strict';
  var KEY = 'loulan:theme', de = document.documentElement;
  try {
    var t = localStorage.getItem(KEY);
    if (t === 'dark' || t === 'light') de.setAttribute('data-theme', t);
  } catch (e) { /* no storage: the system's scheme */ }
  function current() {
    var t = de.getAttribute('data-theme');
    if (t) return t;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.addEventListener('DOMContentLoaded', function () {
    var b = document.querySelector('.theme-switch');
    if (!b) return;
    var label = function () {
      var dark = current() === 'dark';
      b.setAttribute('aria-pressed', dark ? 'true' : 'false');
      b.title = dark ? '切换到浅色模式' : '切换到深色模式';
      b.setAttribute('aria-label', b.title);
    };
    b.hidden = false;
    label();
    b.addEventListener('click', function () {
      var next = current() === 'dark' ? 'light' : 'dark';
      de.setAttribute('data-theme', next);
      try { localStorage.setItem(KEY, next); } catch (e) { /* this page only */ }
      label();
    });
  });
})();
