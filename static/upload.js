/* loulan uploads in the composer: files from the toolbar's 附件 button (or the
   form's own file input), dropped on the textarea or pasted into it (screenshots);
   several at once, one after another, each with its progress bar
   (XMLHttpRequest upload progress). Each upload is POST data-upload (the
   composer bar's attribute: /attachments, the cookie twin of
   POST /api/v1/attachments) as multipart/form-data: csrf, fid, file. A 201
   answer {"aid","url","is_image","filename",...} puts [attach]N[/attach]
   (BBCode) or ![name](attach:N) / [name](attach:N) (Markdown) at the caret;
   a refusal shows its reason in Chinese under the textarea. Without
   JavaScript the form's file input sends the files with the post. */
(function () {
  'use strict';

  var REASONS = {
    0: '网络错误，上传失败，请检查网络后重试。',
    400: '上传请求有误。',
    401: '登录已失效，请重新登录后再上传。',
    403: '您没有在本版块上传附件的权限。',
    404: '上传功能暂不可用。',
    413: '文件太大，或今天的上传额度已用完。',
    415: '不允许上传这种类型的文件。',
    422: '文件内容与它的类型不符（例如改了扩展名的文件，或无法识别的图片）。',
    429: '上传太频繁，请稍后再试。',
    503: '服务器暂时无法保存附件，请稍后再试。'
  };

  function fmtSize(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1048576).toFixed(1) + ' MB';
  }

  /* the text that places an uploaded file in the post */
  function placement(format, a) {
    if (format !== 'markdown') return '[attach]' + a.aid + '[/attach]';
    var name = String(a.filename || ('附件' + a.aid)).replace(/[\[\]\\]/g, '\\$&');
    return (a.is_image ? '!' : '') + '[' + name + '](attach:' + a.aid + ')';
  }

  function Uploader(bar) {
    var self = this;
    this.bar = bar;
    this.url = bar.getAttribute('data-upload');
    this.form = bar.closest('form');
    this.ta = this.form && this.form.querySelector('textarea[name="body"]');
    if (!this.url || !this.ta) return;
    this.queue = [];
    this.busy = false;
    /* the form's own file input (sent with the post without JavaScript), else ours */
    this.input = this.form.querySelector('input[type="file"]');
    if (!this.input) {
      this.input = document.createElement('input');
      this.input.type = 'file';
      this.input.hidden = true;
      this.form.appendChild(this.input);
    }
    this.input.multiple = true;
    this.input.addEventListener('change', function () {
      self.add(self.input.files);
      self.input.value = '';   /* uploaded here, not sent again with the post */
    });
    this.form.addEventListener('loulan:attach', function () { self.input.click(); });
    this.list = document.createElement('ul');
    this.list.className = 'uploads';
    this.list.setAttribute('aria-live', 'polite');
    this.ta.parentNode.insertBefore(this.list, this.ta.nextSibling);

    var ta = this.ta;
    var hasFiles = function (e) {
      var t = e.dataTransfer && e.dataTransfer.types;
      return t && Array.prototype.indexOf.call(t, 'Files') >= 0;
    };
    ta.addEventListener('dragover', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      ta.classList.add('dropping');
    });
    ta.addEventListener('dragleave', function () { ta.classList.remove('dropping'); });
    ta.addEventListener('drop', function (e) {
      ta.classList.remove('dropping');
      if (!hasFiles(e) || !e.dataTransfer.files.length) return;
      e.preventDefault();
      self.add(e.dataTransfer.files);
    });
    ta.addEventListener('paste', function (e) {
      var files = [];
      var items = (e.clipboardData && e.clipboardData.items) || [];
      for (var i = 0; i < items.length; i++) {
        if (items[i].kind === 'file') { var f = items[i].getAsFile(); if (f) files.push(f); }
      }
      if (!files.length) return;   /* text pastes as text */
      e.preventDefault();
      self.add(files);
    });
  }

  Uploader.prototype.format = function () {
    var s = this.form.querySelector('select[name="format"]');
    return s && s.value === 'markdown' ? 'markdown' : 'bbcode';
  };

  Uploader.prototype.add = function (files) {
    for (var i = 0; i < files.length; i++) {
      var f = files[i];
      var name = f.name || ('粘贴的图片.' + ((f.type || '').split('/')[1] || 'png'));
      var li = document.createElement('li');
      var n = document.createElement('span');
      n.className = 'up-name';
      n.textContent = name;
      n.title = name + '（' + fmtSize(f.size) + '）';
      var bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      var st = document.createElement('span');
      st.className = 'up-status';
      st.textContent = '等待上传';
      li.appendChild(n);
      li.appendChild(bar);
      li.appendChild(st);
      this.list.appendChild(li);
      this.queue.push({ file: f, name: name, li: li, bar: bar, st: st });
    }
    this.next();
  };

  /* one upload at a time, so the files land in the post in the order chosen */
  Uploader.prototype.next = function () {
    if (this.busy || !this.queue.length) return;
    var self = this, job = this.queue.shift();
    this.busy = true;
    var fd = new FormData();
    var csrf = this.form.querySelector('input[name="csrf"]');
    if (csrf) fd.append('csrf', csrf.value);
    var fid = this.bar.getAttribute('data-fid');
    if (fid) fd.append('fid', fid);
    fd.append('file', job.file, job.name);
    var x = new XMLHttpRequest();
    x.open('POST', this.url);
    x.setRequestHeader('Accept', 'application/json');
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf.value);
    x.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      job.bar.value = Math.round(e.loaded * 100 / e.total);
      job.st.textContent = job.bar.value + '%';
    };
    var finish = function () { self.busy = false; self.next(); };
    x.onload = function () {
      var j = null;
      try { j = JSON.parse(x.responseText); } catch (err) { j = null; }
      if (x.status === 201 && j && j.aid) {
        job.bar.value = 100;
        job.li.className = 'done';
        job.st.textContent = '已上传' + (j.size ? '（' + fmtSize(j.size) + '）' : '') + '，已插入帖子';
        self.insert(placement(self.format(), j));
      } else {
        self.fail(job, x.status, j);
      }
      finish();
    };
    x.onerror = function () { self.fail(job, 0, null); finish(); };
    job.st.textContent = '上传中';
    x.send(fd);
  };

  Uploader.prototype.fail = function (job, status, j) {
    job.li.className = 'failed';
    job.bar.hidden = true;
    var why = REASONS[status] || ('上传失败（HTTP ' + status + '）。');
    var msg = j && j.error && j.error.message;
    job.st.textContent = job.name + '：' + why + (msg && msg !== why ? ' ' + msg : '');
  };

  /* at the caret, on a line of its own */
  Uploader.prototype.insert = function (text) {
    var ta = this.ta, v = ta.value;
    var s = ta.selectionStart, e = ta.selectionEnd;
    var before = v.slice(0, s), after = v.slice(e);
    var t = (before && !/\n$/.test(before) ? '\n' : '') + text + (/^\n/.test(after) ? '' : '\n');
    ta.focus();
    ta.setRangeText(t, s, e, 'end');
    ta.dispatchEvent(new Event('input', { bubbles: true }));   /* the draft keeps it */
  };

  function init() {
    document.querySelectorAll('[data-composer][data-upload]').forEach(function (bar) {
      if (!bar.loulanUploader) bar.loulanUploader = new Uploader(bar);
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
