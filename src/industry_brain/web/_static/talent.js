// Charts of the talent page: the article's figures 1–9 and the outlook index with its interval (Plotly, offline).
(function () {
  "use strict";
  if (typeof Plotly === "undefined") return;
  const charts = JSON.parse(document.getElementById("chart-data").textContent).charts || [];
  const font = { family: "Noto Sans CJK SC, Noto Sans SC, sans-serif", size: 12 };
  const palette = ["#3182bd", "#9ecae1", "#fd8d3c", "#74c476", "#9e9ac8", "#bdbdbd"];
  const pct = (v) => (v === null || v === undefined ? "" : v.toFixed(1));
  function errorBars(c) {
    if (!c.low || !c.high) return undefined;
    return { type: "data", symmetric: false, color: "#555",
      array: c.values.map((v, i) => c.high[i] - v), arrayminus: c.values.map((v, i) => v - c.low[i]) };
  }
  function traces(c) {
    switch (c.kind) {
      case "pie":
        return [{ type: "pie", labels: c.labels, values: c.values, sort: false, hole: 0.35,
          marker: { colors: palette }, texttemplate: "%{label}<br>%{value:.1f}%", textposition: "outside",
          // the first slices start at three o'clock, so small ones there do not run into the title above;
          // outside labels push the margins out
          rotation: 90, direction: "clockwise", automargin: true }];
      case "bar":
        return [{ type: "bar", x: c.labels, y: c.values, text: c.values.map(pct), textposition: "auto",
          marker: { color: palette[0] }, error_y: errorBars(c) }];
      case "barh":
        return [{ type: "bar", orientation: "h", y: c.labels.slice().reverse(), x: c.values.slice().reverse(),
          text: c.values.map(pct).reverse(), textposition: "auto", insidetextanchor: "start", marker: { color: palette[0] },
          error_x: c.low ? { type: "data", symmetric: false, color: "#555",
            array: c.values.map((v, i) => c.high[i] - v).reverse(),
            arrayminus: c.values.map((v, i) => v - c.low[i]).reverse() } : undefined }];
      case "grouped_barh":
        return (c.series || []).map((s, k) => ({ type: "bar", orientation: "h", name: s.name,
          y: c.labels.slice().reverse(), x: s.values.slice().reverse(), marker: { color: palette[k % palette.length] } }));
      case "interval":
        return [{ type: "scatter", mode: "markers+text", x: c.labels, y: c.values, text: c.values.map((v) => "+" + v.toFixed(0)),
          textposition: "middle right", marker: { size: 12, color: palette[2] }, error_y: errorBars(c) }];
      default:
        return [];
    }
  }
  charts.forEach((c, i) => {
    const node = document.querySelector('[data-chart="' + i + '"]');
    if (!node) return;
    const many = (c.labels || []).length;
    const horizontal = c.kind === "barh" || c.kind === "grouped_barh";
    const layout = { title: { text: c.title, font: { size: 14 } }, font, showlegend: c.kind === "grouped_barh" || c.kind === "pie",
      margin: { l: horizontal ? 250 : 50, r: 20, t: c.kind === "pie" ? 70 : 50, b: 40 }, barmode: "group",
      height: horizontal ? Math.max(280, many * (c.kind === "grouped_barh" ? 42 : 28) + 90) : c.kind === "pie" ? 360 : 320,
      legend: { orientation: "h" } };
    if (c.unit) layout[horizontal ? "xaxis" : "yaxis"] = { title: { text: c.unit } };
    Plotly.newPlot(node, traces(c), layout, { displayModeBar: false, responsive: true });
  });
})();
