/* jinzai — 画面補助スクリプト（CSP対応: インラインハンドラ不使用、グローバル汚染なし） */
(function () {
  'use strict';

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* [data-confirm]: 確認ダイアログ。キャンセル時は送信・遷移しない */
  function onClickConfirm(e) {
    var el = e.target.closest ? e.target.closest('[data-confirm]') : null;
    if (!el || el.tagName === 'FORM') return;
    if (!window.confirm(el.getAttribute('data-confirm'))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }

  function onSubmit(e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    /* form[data-confirm] は送信時に確認（ボタン側で確認済みなら省略） */
    var sub = e.submitter;
    if (form.hasAttribute('data-confirm') && !(sub && sub.hasAttribute('data-confirm')) &&
        !window.confirm(form.getAttribute('data-confirm'))) { e.preventDefault(); return; }
    /* form[data-once]: 二重送信防止 */
    if (form.hasAttribute('data-once')) {
      if (form.getAttribute('data-submitted') === '1') { e.preventDefault(); return; }
      if (e.defaultPrevented) return;
      form.setAttribute('data-submitted', '1');
      form.setAttribute('aria-busy', 'true');
      /* 同期的に disabled にすると押したボタンの name/value が送られないため遅延 */
      window.setTimeout(function () {
        $all('[type="submit"], button:not([type])', form).forEach(function (b) {
          if (!b.disabled) { b.disabled = true; b.setAttribute('data-once-off', ''); }
        });
      }, 0);
    }
  }

  /* 戻るボタン（bfcache）で戻ったときはボタンを再度有効化 */
  function onPageShow(e) {
    if (!e.persisted) return;
    $all('form[data-submitted]').forEach(function (form) {
      form.removeAttribute('data-submitted');
      form.removeAttribute('aria-busy');
      $all('[data-once-off]', form).forEach(function (b) { b.disabled = false; b.removeAttribute('data-once-off'); });
    });
  }

  /* select/input[data-autosubmit]: 変更時にフォーム送信 */
  function onChange(e) {
    var el = e.target;
    if (!el.hasAttribute || !el.hasAttribute('data-autosubmit') || !el.form) return;
    if (typeof el.form.requestSubmit === 'function') el.form.requestSubmit();
    else el.form.submit();
  }

  /* [data-tree=open|close]: 最も近い .tree の details を一括開閉 */
  function treeScope(btn) {
    var ctl = document.getElementById(btn.getAttribute('aria-controls') || '');
    if (ctl || (ctl = btn.closest('.tree'))) return ctl;
    for (var p = btn.parentElement; p; p = p.parentElement) if (p.querySelector('.tree')) return p;
    return document;
  }

  function onClickTree(e) {
    var btn = e.target.closest ? e.target.closest('[data-tree]') : null;
    if (!btn) return;
    var open = btn.getAttribute('data-tree') === 'open';
    var scope = treeScope(btn);
    var sel = scope.matches && scope.matches('.tree') ? 'details' : '.tree details';
    $all(sel, scope).forEach(function (d) { d.open = open; });
  }

  /* 印刷時は details をすべて展開し、印刷後に元へ戻す */
  var reopened = [];
  function beforePrint() { reopened = $all('details:not([open])'); reopened.forEach(function (d) { d.open = true; }); }
  function afterPrint() { reopened.forEach(function (d) { d.open = false; }); reopened = []; }

  /* エラー一覧: 読み込み時にフォーカス。リンク押下で該当欄へフォーカス */
  function initErrorSummary() {
    var box = document.querySelector('.error-summary');
    if (!box) return;
    if (!box.hasAttribute('tabindex')) box.setAttribute('tabindex', '-1');
    box.focus();
    box.addEventListener('click', function (e) {
      var a = e.target.closest('a[href^="#"]');
      var target = a && document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
      if (!target) return;
      e.preventDefault();
      var label = target.closest('fieldset.field') || document.querySelector('label[for="' + CSS.escape(target.id) + '"]') || target;
      label.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    });
  }

  /* 横スクロールする表・グラフ（狭い画面や拡大時）をキーボードで操作できるようにする。
   * figure はそのまま（名前は figcaption）、表の枠は名前付きの region にする */
  function initTableWraps() {
    $all('.table-wrap, figure.chart').forEach(function (w) {
      if (w.scrollWidth <= w.clientWidth || w.hasAttribute('tabindex')) return;
      w.setAttribute('tabindex', '0');
      if (w.tagName === 'FIGURE') return;
      if (!w.hasAttribute('role')) w.setAttribute('role', 'region');
      var cap = w.querySelector('caption');
      if (cap && !w.hasAttribute('aria-label')) w.setAttribute('aria-label', cap.textContent.trim() + '（横スクロール）');
    });
  }

  /* ヘッダーのメニュー: 狭い画面ではボタン（.menu-toggle）で開閉する。
   * スクリプトがなければボタンは表示されず、メニューは常に一覧で見える */
  function initMenu() {
    var header = document.querySelector('header.site');
    var btn = header && header.querySelector('.menu-toggle');
    var menu = btn && document.getElementById(btn.getAttribute('aria-controls') || '');
    if (!menu) return;
    function set(open) { btn.setAttribute('aria-expanded', open ? 'true' : 'false'); }
    set(false);
    header.classList.add('menu-js');
    btn.addEventListener('click', function () { set(btn.getAttribute('aria-expanded') !== 'true'); });
    header.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || btn.getAttribute('aria-expanded') !== 'true' || btn.offsetParent === null) return;
      set(false);
      btn.focus();
    });
  }

  function init() {
    initMenu();
    document.addEventListener('click', onClickConfirm, true);
    document.addEventListener('click', onClickTree);
    document.addEventListener('submit', onSubmit);
    document.addEventListener('change', onChange);
    window.addEventListener('pageshow', onPageShow);
    window.addEventListener('beforeprint', beforePrint);
    window.addEventListener('afterprint', afterPrint);
    initErrorSummary();
    initTableWraps();
    window.addEventListener('resize', initTableWraps);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();

/* ---- form[data-progress]: upload with a progress bar (page_import.c) ----
 * Sends the form with XMLHttpRequest so a large file shows how far it has
 * gone, then shows the answer (the dry run or the errors) as the page.
 * Without script the form posts normally. Registered after the handlers
 * above, so data-once and data-confirm have had their say first. */
(function () {
  'use strict';

  function progressBox(form) {
    var box = form.querySelector('.upload-progress');
    if (box) return box;
    box = document.createElement('div');
    box.className = 'upload-progress';
    var label = document.createElement('label');
    var bar = document.createElement('progress');
    bar.id = 'upload-progress-bar';
    bar.max = 100;
    bar.value = 0;
    label.htmlFor = bar.id;
    label.textContent = 'ファイルの送信';
    var text = document.createElement('p');
    text.className = 'upload-status';
    text.setAttribute('role', 'status');
    text.setAttribute('aria-live', 'polite');
    box.appendChild(label);
    box.appendChild(bar);
    box.appendChild(text);
    var actions = form.querySelector('.actions');
    form.insertBefore(box, actions || null);
    return box;
  }

  function reenable(form) {
    form.removeAttribute('data-submitted');
    form.removeAttribute('aria-busy');
    Array.prototype.forEach.call(form.querySelectorAll('[data-once-off]'), function (b) {
      b.disabled = false;
      b.removeAttribute('data-once-off');
    });
  }

  function onSubmit(e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-progress') || e.defaultPrevented) return;
    if (!window.FormData || !window.XMLHttpRequest) return;
    e.preventDefault();
    var data = new FormData(form);
    var box = progressBox(form);
    var bar = box.querySelector('progress');
    var text = box.querySelector('.upload-status');
    var shown = -1;
    bar.value = 0;
    text.textContent = '送信中… 0%';
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (ev) {
      if (!ev.lengthComputable) return;
      var pct = Math.round(ev.loaded * 100 / ev.total);
      bar.value = pct;
      /* announce in steps of 10% so screen readers are not flooded */
      if (pct === 100 || pct - shown >= 10) { shown = pct; text.textContent = '送信中… ' + pct + '%'; }
    });
    xhr.upload.addEventListener('load', function () {
      bar.removeAttribute('value');
      text.textContent = '送信しました。内容を確認しています…';
    });
    xhr.addEventListener('load', function () {
      if (xhr.responseURL && xhr.responseURL.split('#')[0] !== form.action) history.replaceState(null, '', xhr.responseURL);
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener('error', function () {
      text.textContent = '送信できませんでした。通信の状態を確かめて、もう一度お試しください。';
      reenable(form);
    });
    xhr.send(data);
  }

  function init() { document.addEventListener('submit', onSubmit); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
