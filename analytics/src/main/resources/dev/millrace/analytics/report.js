// Draws every .chart from the JSON embedded in the page: line charts over windows, bar charts of
// labelled totals, as inline SVG with labelled axes. No network, no library.
(function () {
  var data = JSON.parse(document.getElementById('millrace-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  function el(name, attrs, parent, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function fmt(v) {
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return +(v / 1e3).toFixed(1) + 'k';
    return Math.round(v * 100) / 100 + '';
  }
  function niceMax(v) {
    if (v <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var n = v / p;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
  }
  var PALETTE = ['#2f6fb3', '#d9822b', '#3c9a5f', '#b83b5e', '#7a5cb8', '#8c6d3f', '#c9519c', '#5b7083', '#a6a23a',
    '#2aa3a3'];
  function shortTime(s) { return s.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*$/, '$1 $2'); }
  document.querySelectorAll('.chart').forEach(function (div) {
    var d = data[div.dataset.key];
    var bar = div.dataset.chart === 'bar';
    var W = 960, H = bar ? 60 + 26 * d.x.length : 320, L = bar ? 260 : 70, R = 20, T = 20, B = 50;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-rendered': 'true',
      'data-points': d.x.length, 'aria-label': div.parentNode.querySelector('h2').textContent }, div);
    var max = niceMax(Math.max.apply(null, d.y.concat([0])));
    var axis = el('g', { 'class': 'axis' }, svg);
    if (bar) {
      var bw = W - L - R;
      for (var t = 0; t <= 4; t++) {
        var x = L + bw * t / 4;
        el('line', { x1: x, x2: x, y1: T, y2: H - B, 'class': 'grid' }, svg);
        el('text', { x: x, y: H - B + 16, 'text-anchor': 'middle' }, axis, fmt(max * t / 4));
      }
      el('text', { x: L + bw / 2, y: H - 8, 'text-anchor': 'middle' }, axis, div.dataset.y);
      d.x.forEach(function (label, i) {
        var y = T + i * 26, w = bw * d.y[i] / max;
        el('text', { x: L - 8, y: y + 15, 'text-anchor': 'end', 'class': 'bar-label' }, svg,
          label.length > 38 ? label.slice(0, 37) + '\u2026' : label);
        el('rect', { x: L, y: y + 3, width: Math.max(1, w), height: 18, 'class': 'bar', 'data-value': d.y[i] }, svg);
        el('text', { x: L + w + 4, y: y + 16, 'class': 'value' }, svg, fmt(d.y[i]));
      });
    } else {
      var pw = W - L - R, ph = H - T - B, n = d.x.length;
      for (var u = 0; u <= 4; u++) {
        var yy = T + ph - ph * u / 4;
        el('line', { x1: L, x2: W - R, y1: yy, y2: yy, 'class': 'grid' }, svg);
        el('text', { x: L - 6, y: yy + 4, 'text-anchor': 'end' }, axis, fmt(max * u / 4));
      }
      var px = function (i) { return L + (n === 1 ? pw / 2 : pw * i / (n - 1)); };
      var py = function (v) { return T + ph - ph * v / max; };
      if (d.series) {
        // One line per named series (a campaign), each in its own colour, with a legend.
        var names = Object.keys(d.series);
        var smax = niceMax(Math.max.apply(null, [0].concat.apply([0], names.map(function (k) { return d.series[k]; }))));
        max = smax;
        py = function (v) { return T + ph - ph * v / max; };
        axis.querySelectorAll('text').forEach(function (t) { t.remove(); });
        for (var v2 = 0; v2 <= 4; v2++) {
          el('text', { x: L - 6, y: T + ph - ph * v2 / 4 + 4, 'text-anchor': 'end' }, axis, fmt(max * v2 / 4));
        }
        names.forEach(function (name, k) {
          var colour = PALETTE[k % PALETTE.length];
          el('polyline', { points: d.series[name].map(function (v, i) { return px(i) + ',' + py(v); }).join(' '),
            'class': 'series', style: 'stroke:' + colour, 'data-series': name }, svg);
          el('rect', { x: W - R - 150, y: T + 4 + 14 * k, width: 10, height: 10, fill: colour }, svg);
          el('text', { x: W - R - 136, y: T + 13 + 14 * k, 'class': 'legend' }, svg, name);
        });
      } else {
        el('polyline', { points: d.y.map(function (v, i) { return px(i) + ',' + py(v); }).join(' '), 'class': 'series' }, svg);
        if (n <= 60) d.y.forEach(function (v, i) { el('circle', { cx: px(i), cy: py(v), r: 2.5, fill: '#2f6fb3', 'data-value': v }, svg); });
      }
      [0, Math.floor((n - 1) / 2), n - 1].filter(function (v, i, a) { return a.indexOf(v) === i; }).forEach(function (i) {
        var anchor = n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
        el('text', { x: px(i), y: T + ph + 16, 'text-anchor': anchor }, axis, shortTime(d.x[i]));
      });
      el('text', { x: L + pw / 2, y: H - 8, 'text-anchor': 'middle' }, axis, div.dataset.x);
      el('text', { x: 14, y: T + ph / 2, 'text-anchor': 'middle', transform: 'rotate(-90 14 ' + (T + ph / 2) + ')' }, axis, div.dataset.y);
    }
  });
})();
