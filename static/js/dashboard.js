// The dashboard's charts, drawn by Chart.js (static/vendor/chart.js, from npm) from the
// data tables the page already shows: the table stays the accessible source, the chart is
// its picture. No inline script or style (the Content-Security-Policy refuses them).
(function () {
  "use strict";
  // Neutral by default; a table that judges (on time/late, delivered/failed) names its own
  // colours in data-chart-colours so red always means "bad".
  var COLOURS = ["#0a6b3d", "#2f6fb0", "#9a5b00", "#5b645f", "#7a4fa0", "#b3261e"];

  function colours(table) {
    var named = table.getAttribute("data-chart-colours");
    return named ? named.split(",") : COLOURS;
  }

  // Long category names (services, steps) are shortened on the axis of a narrow chart;
  // the tooltip and the table keep them whole.
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    var max = this.chart.width < 560 ? 18 : 46;
    return label.length > max ? label.slice(0, max - 1) + "\u2026" : label;
  }

  function number(cell) {
    var raw = cell.getAttribute("data-value");
    if (raw === null || raw === "" || raw === "None") return null;
    var value = Number(raw);
    return isNaN(value) ? null : value;
  }

  function readTable(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var series = [];
    heads.forEach(function (th, index) {
      if (index > 0 && !th.hasAttribute("data-no-chart")) {
        series.push({ index: index, label: th.textContent.trim(), data: [] });
      }
    });
    var labels = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.children;
      if (cells.length < 2 || !cells[1].hasAttribute("data-value")) return;
      labels.push(cells[0].textContent.trim());
      series.forEach(function (s) { s.data.push(number(cells[s.index])); });
    });
    return { labels: labels, series: series };
  }

  function config(table, data) {
    var kind = table.getAttribute("data-chart");
    var horizontal = table.hasAttribute("data-chart-horizontal");
    var round = kind === "doughnut";
    var palette = colours(table);
    var datasets = data.series.map(function (s, i) {
      return {
        label: s.label,
        data: s.data,
        backgroundColor: round ? palette.slice(0, s.data.length) : palette[i % palette.length],
        borderColor: round ? "#fff" : palette[i % palette.length],
        spanGaps: true,
      };
    });
    var options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: round || datasets.length > 1, position: "bottom" } },
    };
    if (!round) {
      var value = { beginAtZero: true, ticks: { precision: 0 } };
      if (table.hasAttribute("data-chart-min")) value.min = Number(table.getAttribute("data-chart-min"));
      if (table.hasAttribute("data-chart-max")) value.max = Number(table.getAttribute("data-chart-max"));
      var category = { ticks: { callback: shortLabel, autoSkip: false } };
      options.indexAxis = horizontal ? "y" : "x";
      options.scales = horizontal ? { x: value, y: category } : { y: value, x: category };
    }
    return { type: kind, data: { labels: data.labels, datasets: datasets }, options: options };
  }

  function draw(table) {
    var data = readTable(table);
    if (!data.labels.length) return;
    var box = document.createElement("div");
    box.className = "chart-box" + (table.hasAttribute("data-chart-horizontal") ? " tall" : "");
    if (table.hasAttribute("data-chart-horizontal")) {
      box.style.height = Math.max(180, 34 * data.labels.length + 70) + "px";
    }
    var canvas = document.createElement("canvas");
    var caption = table.querySelector("caption");
    canvas.setAttribute("role", "img");
    var note = table.closest("[data-chart-note]");
    canvas.setAttribute("aria-label", (caption ? caption.textContent.trim() : "") +
      (note ? " (" + note.getAttribute("data-chart-note") + ")" : ""));
    box.appendChild(canvas);
    table.parentNode.insertBefore(box, table);
    var chart = new window.Chart(canvas, config(table, data));
    canvas.setAttribute("data-drawn", chart ? "1" : "0");
  }

  function start() {
    if (!window.Chart) return;
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    document.querySelectorAll("table[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
