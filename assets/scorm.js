/* jinzai — SCORM 1.2 API adapter. The launch page loads this before the SCO
 * frame; the SCO finds window.API by walking up window.parent. Values live
 * here between calls; LMSCommit and LMSFinish send them to the server
 * (POST /scorm/attempt/ID/commit with the page's CSRF token). */
(function () {
  'use strict';

  var host = document.getElementById('scorm-api');
  if (!host) return;
  var attempt = host.getAttribute('data-attempt');
  var csrf = host.getAttribute('data-csrf');
  var data = {};
  try { data = JSON.parse(host.getAttribute('data-state') || '{}'); } catch (e) { data = {}; }

  var READ_ONLY = {
    'cmi.core.student_id': 1, 'cmi.core.student_name': 1, 'cmi.core.total_time': 1, 'cmi.core.entry': 1,
    'cmi.core.credit': 1, 'cmi.core.lesson_mode': 1, 'cmi.launch_data': 1
  };
  var READ_WRITE = {
    'cmi.core.lesson_status': 1, 'cmi.core.lesson_location': 1, 'cmi.core.score.raw': 1,
    'cmi.core.score.min': 1, 'cmi.core.score.max': 1, 'cmi.suspend_data': 1
  };
  var WRITE_ONLY = { 'cmi.core.session_time': 1, 'cmi.core.exit': 1 };
  var CHILDREN = {
    'cmi.core._children': 'student_id,student_name,lesson_location,credit,lesson_status,entry,score,total_time,lesson_mode,exit,session_time',
    'cmi.core.score._children': 'raw,min,max'
  };
  var ERRORS = {
    '0': 'No error', '101': 'General exception', '201': 'Invalid argument error', '301': 'Not initialized',
    '401': 'Not implemented error', '402': 'Invalid set value, element is a keyword', '403': 'Element is read only',
    '404': 'Element is write only', '405': 'Incorrect data type'
  };
  var STATUSES = ['passed', 'completed', 'failed', 'incomplete', 'browsed', 'not attempted'];
  var EXITS = ['', 'time-out', 'suspend', 'logout'];

  data['cmi.core.credit'] = 'credit';
  data['cmi.core.lesson_mode'] = 'normal';
  data['cmi.launch_data'] = '';

  var state = 'new'; /* new → running → finished */
  var lastError = '0', diagnostic = '';
  var dirty = {};

  function fail(code, why) { lastError = code; diagnostic = why || ''; return code === '0'; }
  function status(text) {
    var el = document.getElementById('scorm-status');
    if (el) el.textContent = text;
  }
  function isDecimal(v) { return v === '' || (/^-?\d+(\.\d+)?$/.test(v) && +v >= 0 && +v <= 100); }
  function isTime(v) { return /^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$/.test(v); }

  function send(finish) {
    var body = ['csrf=' + encodeURIComponent(csrf)];
    Object.keys(dirty).forEach(function (k) { body.push(encodeURIComponent(k) + '=' + encodeURIComponent(data[k])); });
    if (finish) body.push('finish=1');
    var xhr = new XMLHttpRequest();
    try {
      /* Synchronous on purpose: the SCORM 1.2 API answers before it returns. */
      xhr.open('POST', '/scorm/attempt/' + encodeURIComponent(attempt) + '/commit', false);
      xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
      xhr.send(body.join('&'));
    } catch (e) {
      status('学習状況を保存できませんでした（通信エラー）。');
      return fail('101', 'network: ' + e.message);
    }
    if (xhr.status !== 200) {
      var msg = '';
      try { msg = JSON.parse(xhr.responseText).error || ''; } catch (e) { msg = xhr.responseText; }
      status('学習状況を保存できませんでした。' + msg);
      return fail('101', 'server ' + xhr.status + ': ' + msg);
    }
    dirty = {};
    if (finish) delete data['cmi.core.session_time'];
    status('学習状況を保存しました。');
    return fail('0');
  }

  window.API = {
    LMSInitialize: function (arg) {
      if (arg !== '' && arg !== undefined) return fail('201', 'argument must be ""') ? 'true' : 'false';
      if (state === 'running') return fail('101', 'already initialized') ? 'true' : 'false';
      if (state === 'finished') return fail('101', 'already finished') ? 'true' : 'false';
      state = 'running';
      fail('0');
      return 'true';
    },
    LMSFinish: function (arg) {
      if (arg !== '' && arg !== undefined) return fail('201', 'argument must be ""') ? 'true' : 'false';
      if (state !== 'running') return fail('301', 'not initialized') ? 'true' : 'false';
      var ok = send(true);
      state = 'finished';
      return ok ? 'true' : 'false';
    },
    LMSCommit: function (arg) {
      if (arg !== '' && arg !== undefined) return fail('201', 'argument must be ""') ? 'true' : 'false';
      if (state !== 'running') return fail('301', 'not initialized') ? 'true' : 'false';
      return send(false) ? 'true' : 'false';
    },
    LMSGetValue: function (name) {
      if (state !== 'running') { fail('301', 'not initialized'); return ''; }
      name = String(name);
      if (CHILDREN[name]) { fail('0'); return CHILDREN[name]; }
      if (WRITE_ONLY[name]) { fail('404', name); return ''; }
      if (!READ_ONLY[name] && !READ_WRITE[name]) { fail(name.indexOf('cmi.') === 0 ? '401' : '201', name); return ''; }
      fail('0');
      var v = data[name];
      return v === undefined || v === null ? '' : String(v);
    },
    LMSSetValue: function (name, value) {
      if (state !== 'running') return fail('301', 'not initialized') ? 'true' : 'false';
      name = String(name);
      value = value === undefined || value === null ? '' : String(value);
      if (CHILDREN[name]) return fail('402', name) ? 'true' : 'false';
      if (READ_ONLY[name]) return fail('403', name) ? 'true' : 'false';
      if (!READ_WRITE[name] && !WRITE_ONLY[name]) return fail(name.indexOf('cmi.') === 0 ? '401' : '201', name) ? 'true' : 'false';
      var ok = true;
      if (name === 'cmi.core.lesson_status') ok = STATUSES.indexOf(value) >= 0 && value !== 'not attempted';
      else if (name === 'cmi.core.exit') ok = EXITS.indexOf(value) >= 0;
      else if (name.indexOf('cmi.core.score.') === 0) ok = isDecimal(value);
      else if (name === 'cmi.core.session_time') ok = isTime(value);
      else if (name === 'cmi.suspend_data') ok = value.length <= 4096;
      else if (name === 'cmi.core.lesson_location') ok = value.length <= 255;
      if (!ok) return fail('405', name + ': ' + value) ? 'true' : 'false';
      data[name] = value;
      dirty[name] = 1;
      fail('0');
      return 'true';
    },
    LMSGetLastError: function () { return lastError; },
    LMSGetErrorString: function (code) { return ERRORS[String(code)] || ''; },
    LMSGetDiagnostic: function (code) { return code === undefined || code === '' || String(code) === lastError ? diagnostic : (ERRORS[String(code)] || ''); }
  };
})();
