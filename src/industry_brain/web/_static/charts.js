// Bar charts of the district and field pages (Plotly, served from the installed package).
(function () {
  "use strict";
  const node = document.getElementById("chart");
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!node || typeof Plotly === "undefined") return;
  const rows = (data.fields || data.units || []).filter((r) => r.count > 0);
  const font = { family: "Noto Sans CJK SC, Noto Sans SC, sans-serif" };
  // long (English) names break at a space into lines of about 24 characters; the axis makes room for them
  const wrap = (name) => {
    const lines = [];
    let line = "";
    for (const word of String(name).split(" ")) {
      if (line && (line + " " + word).length > 24) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    }
    lines.push(line);
    return lines.join("<br>");
  };
  const tall = rows.some((r) => String(r.name).length > 24);
  Plotly.newPlot(node, [{
    type: "bar", orientation: "h",
    x: rows.map((r) => r.count).reverse(), y: rows.map((r) => wrap(r.name)).reverse(),
    marker: { color: "#3182bd" }, text: rows.map((r) => String(r.count)).reverse(), textposition: "auto",
  }], {
    margin: { l: 20, r: 20, t: 10, b: 30 }, font, yaxis: { automargin: true },
    height: Math.max(260, rows.length * (tall ? 36 : 28) + 60),
  },
  { displayModeBar: false, responsive: true });
})();
