// slogate live dashboard: plain JS, hand-made SVG. The state comes whole first (message "state"), then as changes
// ("second", "event", "slos", "end"); dashboard.html carries the whole state inline and opens no stream.
(function () {
  'use strict';
  var SNAPSHOT = /*DATA*/null;
  var SVG = 'http://www.w3.org/2000/svg';
  var state = null;
  var ended = false;
  var clock = {server: 0, local: 0}; // the run's "now" (ms since start) as the server last said, and when we heard it
  var drawPending = false;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function secs(ms) {
    var s = Math.round(ms / 1000), sign = s < 0 ? '-' : '';
    s = Math.abs(s);
    var m = Math.floor(s / 60);
    return sign + (m > 0 ? m + 'm' + String(s % 60).padStart(2, '0') + 's' : s + 's');
  }
  function now() { return clock.server + (Date.now() - clock.local); }
  function heard(serverNow) {
    if (typeof serverNow === 'number') { clock.server = serverNow; clock.local = Date.now(); }
  }

  // --- the state ---
  function upsertPoint(p) {
    var pts = state.points;
    var i = pts.length - 1;
    while (i >= 0 && pts[i].t > p.t) i--;
    if (i >= 0 && pts[i].t === p.t) pts[i] = p; else pts.splice(i + 1, 0, p);
  }
  function onMessage(type, data) {
    if (type === 'state') { state = data; heard(data.now); if (data.end) finish(); }
    else if (!state) return;
    else if (type === 'second') { upsertPoint(data.point); heard(data.now); }
    else if (type === 'event') { state.events.push(data.event); state.faults = data.faults; heard(data.now); }
    else if (type === 'slos') { state.slos = data.slos; }
    else if (type === 'end') { state.end = data.end; state.faults = data.faults; finish(); }
    schedule();
  }
  function finish() {
    ended = true;
    if (window.slogateStream) window.slogateStream.close(); // the run is over: no reconnecting
  }
  function schedule() {
    if (drawPending) return;
    drawPending = true;
    (window.requestAnimationFrame || setTimeout)(function () { drawPending = false; draw(); });
  }

  // --- drawing ---
  function draw() {
    if (!state) return;
    header();
    activeFaults();
    slos();
    charts();
    events();
    verdict();
  }

  function header() {
    $('title').textContent = state.scenario || 'slogate run';
    var head = $('head'), badge = $('badge'), status = $('status');
    if (state.end) {
      var tone = state.end.exitCode === 0 ? 'pass' : (state.end.exitCode === 1 || state.end.exitCode === 3) ? 'fail' : 'warn';
      head.className = 'verdict ' + tone;
      badge.textContent = state.end.label;
      status.textContent = state.end.outcome + ' (exit ' + state.end.exitCode + ')';
    } else {
      head.className = 'verdict live';
      badge.textContent = 'LIVE';
      status.textContent = !state.started ? 'Waiting for the load to start (Gatling takes a few seconds to boot)…'
        : 'Running: ' + secs(Math.max(0, now())) + ' of ' + secs(state.durationSeconds * 1000)
          + (connection === 'lost' ? ' · connection lost, reconnecting…' : '');
    }
    $('meta').textContent = 'run ' + (state.runId || '?') + (SNAPSHOT ? ' · snapshot of the run (dashboard.html)' : ' · live from the harness');
    var links = $('links');
    links.textContent = '';
    if (state.end && (state.end.report || state.end.snapshot)) {
      if (state.end.report) {
        links.appendChild(document.createTextNode('Report: '));
        links.appendChild(el('a', {href: 'report.html', id: 'report-link'}, 'report.html'));
        links.appendChild(el('code', {}, state.end.report));
      }
      if (state.end.snapshot && !SNAPSHOT) {
        links.appendChild(document.createTextNode(' · this page, kept: '));
        links.appendChild(el('a', {href: 'dashboard.html', id: 'snapshot-link'}, 'dashboard.html'));
        links.appendChild(el('code', {}, state.end.snapshot));
      }
    }
  }

  function activeFaults() {
    var ul = $('active');
    ul.textContent = '';
    var t = state.end ? Infinity : now();
    state.faults.filter(function (f) { return f.injectedAt !== null && f.revertedAt === null; }).forEach(function (f) {
      var li = el('li', {'class': 'active-fault', 'data-fault': f.name});
      li.appendChild(el('strong', {}, f.name));
      li.appendChild(document.createTextNode(' ' + f.type + ' · injected at ' + secs(f.injectedAt) + ' · '));
      if (typeof f.plannedEnd === 'number' && !state.end) {
        li.appendChild(el('span', {'class': 'countdown'}, 'reverts in ' + secs(Math.max(0, f.plannedEnd - t))));
      } else {
        li.appendChild(el('span', {}, state.end ? 'still active when the run ended' : 'no scheduled end'));
      }
      if (f.detail) li.appendChild(el('div', {'class': 'hint'}, f.detail));
      ul.appendChild(li);
    });
    if (!ul.children.length) {
      var next = state.faults.filter(function (f) { return f.injectedAt === null && typeof f.plannedAt === 'number'; });
      ul.appendChild(el('li', {'class': 'hint'}, state.end || !next.length ? 'none'
        : 'none; next: ' + next[0].name + ' at ' + secs(next[0].plannedAt)));
    }
  }

  var STATES = {MET_SO_FAR: ['met so far', 'pass'], AT_RISK: ['at risk', 'warn'], FAILED: ['failed', 'fail'], NO_DATA_YET: ['no data yet', 'none']};
  function slos() {
    var body = $('slos').tBodies[0];
    body.textContent = '';
    if (!state.slos.length) {
      var tr = el('tr'); tr.appendChild(el('td', {colspan: 4, 'class': 'hint'}, 'No SLO statuses yet.'));
      body.appendChild(tr);
    }
    state.slos.forEach(function (s) {
      var st = STATES[s.state] || [s.state, 'none'];
      var tr = el('tr', {'class': st[1] === 'fail' ? 'fail' : st[1] === 'warn' ? 'warn' : '', 'data-state': s.state});
      tr.appendChild(el('td', {}, s.slo));
      tr.appendChild(el('td', {}, s.window));
      var td = el('td'); td.appendChild(el('span', {'class': 'pill ' + st[1]}, st[0])); tr.appendChild(td);
      tr.appendChild(el('td', {}, s.detail));
      body.appendChild(tr);
    });
  }

  function events() {
    var body = $('events').tBodies[0];
    body.textContent = '';
    state.events.forEach(function (e) {
      var tr = el('tr', {'data-kind': e.kind});
      tr.appendChild(el('td', {'class': 'num'}, secs(e.at)));
      tr.appendChild(el('td', {}, e.kind));
      tr.appendChild(el('td', {}, e.subject));
      tr.appendChild(el('td', {}, e.detail));
      body.appendChild(tr);
    });
  }

  function verdict() {
    var box = $('verdict');
    if (!state.end) { $('final').hidden = true; return; }
    $('final').hidden = false;
    box.textContent = '';
    box.setAttribute('data-exit', state.end.exitCode);
    box.appendChild(el('p', {'class': 'outcome', id: 'verdict-text'}, state.end.label + ': ' + state.end.outcome));
    (state.end.problems || []).forEach(function (p) { box.appendChild(el('pre', {}, p)); });
    if (state.end.verdicts && state.end.verdicts.length) {
      var t = el('table', {id: 'verdicts'});
      var h = el('tr'); ['SLO', 'Window', 'Source', 'Objective', 'Verdict'].forEach(function (x) { h.appendChild(el('th', {}, x)); });
      t.appendChild(el('thead')).appendChild(h);
      var b = t.appendChild(el('tbody'));
      state.end.verdicts.forEach(function (v) {
        var tone = v.verdict === 'PASS' ? 'pass' : v.verdict === 'FAIL' ? 'fail' : 'warn';
        var tr = el('tr', {'class': tone === 'pass' ? '' : tone});
        [v.slo, v.window, v.source, v.objective].forEach(function (x) { tr.appendChild(el('td', {}, x)); });
        var td = el('td'); td.appendChild(el('span', {'class': 'pill ' + tone}, v.verdict.replace('_', ' '))); tr.appendChild(td);
        b.appendChild(tr);
      });
      box.appendChild(t);
    }
  }

  // --- charts ---
  var CHARTS = [
    {id: 'chart-throughput', title: 'Throughput: target, sent, ok', unit: 'rps', series: [
      {name: 'target', colour: '#6e7781', dashed: true, value: function (p) { return p.target; }},
      {name: 'sent', colour: '#0969da', value: function (p) { return p.sent; }},
      {name: 'ok', colour: '#1a7f37', value: function (p) { return p.ok; }}]},
    {id: 'chart-latency', title: 'Latency (answered and stalled requests)', unit: 'ms', series: [
      {name: 'p50', colour: '#0969da', value: function (p) { return p.p50; }},
      {name: 'p95', colour: '#bf8700', value: function (p) { return p.p95; }},
      {name: 'p99', colour: '#cf222e', value: function (p) { return p.p99; }}]},
    {id: 'chart-errors', title: 'Error rate', unit: '%', series: [
      {name: 'errors', colour: '#cf222e', value: function (p) { return p.err; }}]}
  ];
  var W = 960, H = 230, L = 60, R = 16, T = 30, B = 30, PW = W - L - R, PH = H - T - B;

  function niceStep(span) {
    var raw = span / 5, mag = Math.pow(10, Math.floor(Math.log10(raw || 1))), n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }
  function timeStep(spanS) {
    var steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
    for (var i = 0; i < steps.length; i++) if (spanS / steps[i] <= 10) return steps[i];
    return 7200;
  }
  function fmt(v) { return v >= 100 ? Math.round(v) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : +v.toFixed(2); }

  function charts() {
    var box = $('charts');
    var xMax = Math.max(state.durationSeconds || 0, 1);
    state.points.forEach(function (p) { xMax = Math.max(xMax, p.t / 1000 + 0.5); });
    if (state.end && typeof state.end.at === 'number') xMax = Math.max(xMax, state.end.at / 1000);
    var running = state.end ? null : Math.max(0, now());
    CHARTS.forEach(function (c) {
      var old = $(c.id);
      var fresh = chart(c, xMax, running);
      if (old) box.replaceChild(fresh, old); else box.appendChild(fresh);
    });
  }

  function chart(c, xMax, running) {
    var s = svg('svg', {'class': 'chart', id: c.id, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': c.title,
      'data-points': state.points.length});
    var top = 0;
    state.points.forEach(function (p) {
      c.series.forEach(function (se) { var v = se.value(p); if (typeof v === 'number' && isFinite(v)) top = Math.max(top, v); });
    });
    top = top <= 0 ? 1 : top * 1.1;
    var yStep = niceStep(top);
    top = Math.ceil(top / yStep) * yStep;
    function X(t) { return L + PW * Math.min(1, Math.max(0, t / xMax)); }
    function Y(v) { return T + PH - PH * Math.min(1, Math.max(0, v / top)); }
    var title = svg('text', {x: L, y: 18, 'class': 'title'}); title.textContent = c.title + ' (' + c.unit + ')'; s.appendChild(title);
    // grid and axes
    for (var y = 0; y <= top + 1e-9; y += yStep) {
      s.appendChild(svg('line', {x1: L, x2: W - R, y1: Y(y), y2: Y(y), stroke: '#eaeef2'}));
      var ty = svg('text', {x: L - 6, y: Y(y) + 4, 'text-anchor': 'end'}); ty.textContent = fmt(y); s.appendChild(ty);
    }
    var xs = timeStep(xMax);
    for (var x = 0; x <= xMax + 1e-9; x += xs) {
      var tx = svg('text', {x: X(x), y: H - 10, 'text-anchor': 'middle'}); tx.textContent = secs(x * 1000); s.appendChild(tx);
    }
    // fault windows: shaded from injection to revert, or to now while the fault is active
    state.faults.forEach(function (f) {
      if (f.injectedAt === null) return;
      var to = f.revertedAt !== null ? f.revertedAt : (running !== null ? running : xMax * 1000);
      var r = svg('rect', {'class': 'fault-window' + (f.revertedAt === null ? ' open' : ''), 'data-fault': f.name,
        x: X(f.injectedAt / 1000), y: T, width: Math.max(1, X(to / 1000) - X(f.injectedAt / 1000)), height: PH,
        fill: '#cf222e', 'fill-opacity': 0.10});
      var tt = svg('title'); tt.textContent = 'fault ' + f.name + ' ' + secs(f.injectedAt) + ' → ' + (f.revertedAt !== null ? secs(f.revertedAt) : 'active');
      r.appendChild(tt);
      s.appendChild(r);
      var label = svg('text', {x: X(f.injectedAt / 1000) + 3, y: T + 12, fill: '#cf222e'}); label.textContent = f.name; s.appendChild(label);
    });
    // series
    c.series.forEach(function (se) {
      var d = '', pen = false, prev = null;
      state.points.forEach(function (p) {
        var v = se.value(p);
        if (typeof v !== 'number' || !isFinite(v) || (prev !== null && p.t - prev > 1500)) pen = false;
        if (typeof v === 'number' && isFinite(v)) {
          d += (pen ? 'L' : 'M') + X(p.t / 1000).toFixed(1) + ' ' + Y(v).toFixed(1);
          pen = true;
        }
        prev = p.t;
      });
      var path = svg('path', {'class': 'series', 'data-series': se.name, d: d || 'M0 0', fill: 'none', stroke: se.colour,
        'stroke-width': 1.6, 'stroke-dasharray': se.dashed ? '5 4' : 'none'});
      s.appendChild(path);
    });
    // event markers
    state.events.forEach(function (e) {
      if (e.kind === 'RUN_START' || e.kind === 'RUN_END') return;
      var mx = X(e.at / 1000);
      var colour = {FAULT_INJECTED: '#cf222e', FAULT_REVERTED: '#1a7f37', RECOVERED: '#1a7f37', STOP_CONDITION: '#8250df', FAILOVER: '#bc4c00'}[e.kind] || '#6e7781';
      var m = svg('path', {'class': 'marker', 'data-kind': e.kind, d: 'M' + (mx - 5) + ' ' + (T - 8) + 'L' + (mx + 5) + ' ' + (T - 8) + 'L' + mx + ' ' + T + 'Z', fill: colour});
      var tt = svg('title'); tt.textContent = secs(e.at) + ' ' + e.kind + ' ' + (e.subject || '') + (e.detail ? ': ' + e.detail : ''); m.appendChild(tt);
      s.appendChild(m);
      s.appendChild(svg('line', {x1: mx, x2: mx, y1: T, y2: T + PH, stroke: colour, 'stroke-opacity': 0.35, 'stroke-dasharray': '2 3'}));
    });
    // legend
    var lx = W - R;
    c.series.slice().reverse().forEach(function (se) {
      var t = svg('text', {x: lx, y: 18, 'text-anchor': 'end', fill: se.colour}); t.textContent = '— ' + se.name; s.appendChild(t);
      lx -= 14 + 7 * (se.name.length + 2);
    });
    s.appendChild(svg('rect', {x: L, y: T, width: PW, height: PH, fill: 'none', stroke: '#d0d7de'}));
    return s;
  }

  // --- the stream ---
  var connection = 'connecting';
  function connect() {
    var es = new EventSource('events');
    window.slogateStream = es;
    ['state', 'second', 'event', 'slos', 'end'].forEach(function (type) {
      es.addEventListener(type, function (m) { connection = 'open'; onMessage(type, JSON.parse(m.data)); });
    });
    es.onerror = function () {
      if (ended) { es.close(); return; } // the server ended the stream after the verdict
      connection = 'lost'; // EventSource retries by itself (every 3 s, as the server asks); a new state comes whole
      schedule();
    };
  }

  if (SNAPSHOT) {
    onMessage('state', SNAPSHOT);
    ended = true;
  } else {
    connect();
    setInterval(function () { if (!ended && state) schedule(); }, 1000); // the countdowns and the open fault windows
  }
})();
