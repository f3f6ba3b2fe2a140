// Attraction pages: the opportunity chart of the targets page, the watch buttons, the ROC curves of the backtest.
(function () {
  "use strict";
  const font = { family: "Noto Sans CJK SC, Noto Sans SC, sans-serif" };
  const csrf = document.body.dataset.csrf;

  const targets = document.getElementById("targets-data");
  const chart = document.getElementById("opportunity-chart");
  if (targets && chart && typeof Plotly !== "undefined") {
    const data = JSON.parse(targets.textContent);
    const rows = data.targets;
    const y = rows.map((r) => (data.has_pci && r.pci !== null ? r.pci : r.score));
    const maxScore = Math.max(...rows.map((r) => r.score), 0.01);
    const minScore = Math.min(...rows.map((r) => r.score), 0);
    Plotly.newPlot(chart, [{
      type: "scatter", mode: "markers+text",
      x: rows.map((r) => r.density), y,
      text: rows.map((r, i) => (i < 10 ? r.name : "")), textposition: "top center", textfont: { size: 11 },
      hovertext: rows.map((r) => `${r.field} ${r.name}<br>${data.labels.score} ${r.score.toFixed(2)}`), hoverinfo: "text",
      marker: {
        size: rows.map((r) => 10 + 26 * (r.score - minScore) / (maxScore - minScore || 1)),
        color: rows.map((r) => (r.gap.length ? "#e6550d" : "#3182bd")), opacity: 0.75,
        line: { width: 1, color: "#fff" },
      },
    }], {
      margin: { l: 50, r: 20, t: 10, b: 45 }, font,
      xaxis: { title: { text: data.labels.density }, zeroline: false },
      yaxis: { title: { text: data.has_pci ? data.labels.pci : data.labels.score }, zeroline: false },
    }, { displayModeBar: false, responsive: true });
  }

  for (const button of document.querySelectorAll("button.watch")) {
    button.addEventListener("click", async () => {
      const district = targets ? JSON.parse(targets.textContent).district : "";
      const label = targets ? JSON.parse(targets.textContent).watched : "✓";
      button.disabled = true;
      const res = await fetch("/api/v1/attract/watch", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ district, uscc: button.dataset.uscc, kind: "target" }),
      });
      if (res.ok || res.status === 409) { button.textContent = label; button.classList.add("done"); }
      else { button.disabled = false; const body = await res.json().catch(() => ({})); alert((body.error && body.error.message) || res.status); }
    });
  }

  const roc = document.getElementById("roc-data");
  const rocChart = document.getElementById("roc-chart");
  if (roc && rocChart && typeof Plotly !== "undefined") {
    const data = JSON.parse(roc.textContent);
    const colours = { density: "#3182bd", preset: "#31a354", field_growth: "#e6550d", random: "#969696" };
    const traces = Object.entries(data.roc).map(([name, c]) => ({
      type: "scatter", mode: "lines", name: data.names[name] || name, x: c.fpr, y: c.tpr,
      line: { color: colours[name] || "#333", dash: name === "random" ? "dash" : "solid", width: 2 },
    }));
    Plotly.newPlot(rocChart, traces, {
      margin: { l: 50, r: 10, t: 10, b: 45 }, font, legend: { orientation: "h", y: -0.2 },
      xaxis: { title: { text: data.auc.x }, range: [0, 1] }, yaxis: { title: { text: data.auc.y }, range: [0, 1] },
    }, { displayModeBar: false, responsive: true });
  }
})();
