// Bar charts of the district and field pages (Plotly, served from the installed package).
(function () {
  "use strict";
  const node = document.getElementById("chart");
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!node || typeof Plotly === "undefined") return;
  const rows = (data.fields || data.units || []).filter((r) => r.count > 0);
  const font = { family: "Noto Sans CJK SC, Noto Sans SC, sans-serif" };
  Plotly.newPlot(node, [{
    type: "bar", orientation: "h",
    x: rows.map((r) => r.count).reverse(), y: rows.map((r) => r.name).reverse(),
    marker: { color: "#3182bd" }, text: rows.map((r) => String(r.count)).reverse(), textposition: "auto",
  }], { margin: { l: 220, r: 20, t: 10, b: 30 }, font, height: Math.max(260, rows.length * 28 + 60) },
  { displayModeBar: false, responsive: true });
})();
