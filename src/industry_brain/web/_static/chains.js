// Industry chains: the segment panel of a chain page, and the peer-city interval chart. No external requests.
(function () {
  "use strict";
  function esc(s) { return String(s == null ? "" : s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c])); }
  function fmt(template, values) { return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m)); }

  const diagram = document.getElementById("diagram");
  if (diagram) {
    const i18n = JSON.parse(document.getElementById("chain-i18n").textContent);
    const panel = document.getElementById("segment-panel");
    const title = document.getElementById("segment-title");
    const body = document.getElementById("segment-body");
    diagram.addEventListener("click", async (ev) => {
      const btn = ev.target.closest("button.segment");
      if (!btn) return;
      diagram.querySelectorAll("button.segment.on").forEach(b => b.classList.remove("on"));
      btn.classList.add("on");
      const params = new URLSearchParams({lang: i18n.lang === "en" ? "en" : "zh-CN"});
      if (diagram.dataset.district) params.set("district", diagram.dataset.district);
      const res = await fetch(`/api/v1/chains/${encodeURIComponent(diagram.dataset.chain)}/segments/${encodeURIComponent(btn.dataset.segment)}?${params}`, {credentials: "same-origin"});
      const d = await res.json();
      if (!res.ok) { body.textContent = (d.error && d.error.message) || res.statusText; panel.hidden = false; return; }
      title.textContent = `${d.segment.stage_name} · ${d.segment.name}（${d.firms_total}）`;
      let html = `<p class="small">${esc(i18n.suppliers)}：${d.suppliers.map(s => esc(s.name)).join("、") || "–"}　${esc(i18n.customers)}：${d.customers.map(s => esc(s.name)).join("、") || "–"}</p>`;
      html += `<p>${esc(fmt(i18n.patents, {n: d.patents.patents, f: d.patents.firms_with_patents}))}</p>`;
      html += `<h3>${esc(i18n.policies)}</h3>`;
      html += d.policies.length ? "<ul id='segment-policies'>" + d.policies.map(p => `<li>${esc(p.title)} <small class="muted">${esc(p.issuer)} · ${esc(p.issued_on)} · ${esc(p.policy_id)}</small></li>`).join("") + "</ul>" : `<p class="muted">${esc(i18n.no_policies)}</p>`;
      if (d.anchors) {
        html += `<h3>${esc(i18n.anchors)}</h3><ol id="segment-anchors">` + d.anchors.map(a => `<li><a href="/enterprises/${esc(a.uscc)}">${esc(a.name)}</a> <small class="muted">${a.hightech ? "高新 · " : ""}${a.capital_wan_cny != null ? esc(i18n.capital) + " " + Math.round(a.capital_wan_cny) : ""}${a.patents ? " · 专利 " + a.patents : ""}</small></li>`).join("") + "</ol>";
        html += `<h3>${esc(i18n.firms)}</h3><table class="data" id="segment-firms"><thead><tr><th>#</th><th></th><th>${esc(i18n.because)}</th></tr></thead><tbody>` +
          d.firms.map((f, i) => `<tr><td>${i + 1}</td><td><a href="/enterprises/${esc(f.uscc)}">${esc(f.name)}</a></td><td class="small">${f.phrases.map(esc).join("、")} <span class="muted">(${f.confidence.toFixed(2)})</span></td></tr>`).join("") + "</tbody></table>";
      } else {
        html += `<p class="muted">${esc(i18n.login)}</p>`;
      }
      body.innerHTML = html;
      panel.hidden = false;
      panel.scrollIntoView({behavior: "smooth", block: "nearest"});
    });
  }

  const peerData = document.getElementById("peer-data");
  if (peerData && window.Plotly) {
    const bench = JSON.parse(peerData.textContent);
    const lang = document.body.dataset.lang;
    const colours = {beijing: "#b91c1c", shanghai: "#1d4ed8", suzhou: "#047857"};
    const traces = [], seen = {};
    let cap = 1;
    bench.statements.forEach(s => s.peers.forEach(p => { if (p.interval && p.bounds === "value") cap = Math.max(cap, p.interval.lo || 0, p.interval.hi || 0); }));
    cap *= 1.6;
    bench.statements.forEach(s => {
      s.peers.forEach(p => {
        if (!p.interval || p.bounds !== "value") return;
        const y = `${s.name} · ${p.name}`;
        const hi = p.interval.hi == null ? cap : p.interval.hi;
        traces.push({type: "scatter", mode: "lines+markers", x: [p.interval.lo || 0.5, hi], y: [y, y], name: p.name,
          legendgroup: p.peer, showlegend: !seen[p.peer], line: {color: colours[p.peer], width: 6},
          marker: {symbol: ["line-ns", p.interval.hi == null ? "triangle-right" : "line-ns"], size: 12, color: colours[p.peer]},
          hovertext: `${p.phrase}: ${p.interval.text}`, hoverinfo: "text"});
        seen[p.peer] = true;
        if (s.hangzhou_interval) {
          traces.push({type: "scatter", mode: "markers", x: [s.hangzhou_interval.lo], y: [y], name: lang === "en" ? "Hangzhou" : "杭州",
            legendgroup: "hz", showlegend: !seen.hz, marker: {color: "#111827", size: 9, symbol: "diamond"},
            hovertext: `${lang === "en" ? "Hangzhou" : "杭州"} ${s.hangzhou}`, hoverinfo: "text"});
          seen.hz = true;
        }
        if (p.measured) {
          traces.push({type: "scatter", mode: "markers", x: [p.measured.value], y: [y], name: lang === "en" ? "measured" : "实测",
            legendgroup: "m", showlegend: !seen.m, marker: {color: "#f59e0b", size: 11, symbol: "star"}, hoverinfo: "x"});
          seen.m = true;
        }
      });
    });
    Plotly.newPlot("peer-chart", traces, {
      margin: {l: 300, r: 20, t: 30, b: 50}, xaxis: {type: "log", title: lang === "en" ? "implied value (log scale; ▶ no upper bound)" : "推算数值（对数坐标；▶ 表示无上限）"},
      yaxis: {automargin: true}, legend: {orientation: "h", y: 1.08}, font: {family: "Noto Sans CJK SC, sans-serif"}
    }, {displayModeBar: false, responsive: true});
  }
})();
