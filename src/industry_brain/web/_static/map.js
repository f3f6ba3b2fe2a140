// The Future Industry Map: an SVG choropleth drawn from the package's own GeoJSON (no tiles, no CDN).
(function () {
  "use strict";
  const UI = JSON.parse(document.getElementById("ui-strings").textContent);
  const lang = document.body.dataset.lang;
  const PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  const EMPTY = "#eef1f4";
  const state = { vintage: "2019", layer: "all", selected: null, geo: {}, data: null };

  function el(tag, attrs, text) {
    const ns = ["svg", "path", "g", "text", "tspan", "title", "rect"].includes(tag) ? "http://www.w3.org/2000/svg" : null;
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function getJSON(url) {
    const res = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error ? body.error.message : res.statusText);
    return body;
  }

  function projector(features) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    const visit = (coords) => {
      for (const [x, y] of coords) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
    };
    for (const f of features) {
      const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) for (const ring of poly) visit(ring);
    }
    const k = Math.cos(((minY + maxY) / 2) * Math.PI / 180);
    const w = (maxX - minX) * k, h = maxY - minY;
    const W = 1000, H = Math.round(1000 * h / w), pad = 10;
    const s = (W - 2 * pad) / w;
    return { W, H: H + 2 * pad, p: ([x, y]) => [pad + (x - minX) * k * s, pad + (maxY - y) * s] };
  }

  function pathOf(geometry, p) {
    const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    let d = "";
    for (const poly of polys) for (const ring of poly) {
      d += ring.map((pt, i) => (i ? "L" : "M") + p(pt).map((v) => v.toFixed(1)).join(",")).join("") + "Z";
    }
    return d;
  }

  function colour(value, breaks) {
    if (!value) return EMPTY;
    for (let i = 0; i < breaks.length; i++) if (value <= breaks[i]) return PALETTE[Math.min(i, PALETTE.length - 1)];
    return PALETTE[PALETTE.length - 1];
  }

  function bbox(geometry, p) {
    const polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const poly of polys) for (const ring of poly) for (const pt of ring) {
      const [x, y] = p(pt); x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    return [x0, y0, x1, y1];
  }

  function drawUnits(features, p, byCode, data, shapes, labels, withLabels) {
    for (const f of features) {
      const code = f.properties.code, u = byCode[code] || { count: 0 };
      const path = el("path", { d: pathOf(f.geometry, p), class: "unit", "data-code": code, fill: colour(u.count, data.breaks) });
      if (code === state.selected) path.classList.add("selected");
      path.appendChild(el("title", {}, `${u.name || f.properties.name_zh}: ${u.count}`));
      path.addEventListener("click", () => select(code));
      shapes.appendChild(path);
      if (!withLabels(code)) continue;
      const [lx, ly] = p(f.properties.label_point);
      const label = el("text", { x: lx.toFixed(1), y: ly.toFixed(1), class: "label" });
      label.appendChild(el("tspan", { x: lx.toFixed(1) }, lang === "en" ? f.properties.name_en : f.properties.short_zh));
      label.appendChild(el("tspan", { x: lx.toFixed(1), dy: "1.2em", class: "n" }, String(u.count)));
      labels.appendChild(label);
    }
  }

  function draw() {
    const geo = state.geo[state.vintage], data = state.data;
    if (!geo || !data) return;
    const byCode = Object.fromEntries(data.units.map((u) => [u.code, u]));
    const proj = projector(geo.features);
    const svg = el("svg", { viewBox: `0 0 ${proj.W} ${proj.H}`, role: "img", "aria-label": data.title });
    const shapes = el("g"), labels = el("g");
    // The urban core's districts are small at city scale: they are labelled in an enlarged inset instead.
    const area = proj.W * proj.H;
    const core = geo.features.filter((f) => { const [a, b, c, d] = bbox(f.geometry, proj.p); return (c - a) * (d - b) < area * 0.012; });
    const coreCodes = new Set(core.map((f) => f.properties.code));
    drawUnits(geo.features, proj.p, byCode, data, shapes, labels, (code) => !coreCodes.has(code));
    svg.append(shapes, labels);
    if (core.length) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const f of core) { const b = bbox(f.geometry, proj.p); x0 = Math.min(x0, b[0]); y0 = Math.min(y0, b[1]); x1 = Math.max(x1, b[2]); y1 = Math.max(y1, b[3]); }
      const box = { x: proj.W * 0.66, y: proj.H * 0.56, w: proj.W * 0.32, h: proj.H * 0.42 };
      const k = Math.min((box.w - 20) / (x1 - x0), (box.h - 40) / (y1 - y0));
      const ox = box.x + (box.w - (x1 - x0) * k) / 2, oy = box.y + 30 + (box.h - 30 - (y1 - y0) * k) / 2;
      const q = (pt) => { const [x, y] = proj.p(pt); return [ox + (x - x0) * k, oy + (y - y0) * k]; };
      const frame = el("g", { class: "inset" });
      frame.appendChild(el("rect", { x: box.x, y: box.y, width: box.w, height: box.h, fill: "#fff", stroke: "#b8c2cc", rx: 6 }));
      frame.appendChild(el("text", { x: box.x + 10, y: box.y + 20, class: "inset-title" }, UI.inset));
      frame.appendChild(el("rect", { x: x0, y: y0, width: x1 - x0, height: y1 - y0, fill: "none", stroke: "#8795a1", "stroke-dasharray": "4 3" }));
      const s2 = el("g"), l2 = el("g");
      drawUnits(core, q, byCode, data, s2, l2, () => true);
      frame.append(s2, l2);
      svg.appendChild(frame);
    }
    const holder = document.getElementById("map");
    holder.replaceChildren(svg);
    document.getElementById("map-title").textContent = data.title;
    document.getElementById("map-note").textContent = data.note;
    const legend = document.getElementById("legend");
    legend.replaceChildren();
    let lo = 1;
    data.breaks.forEach((b, i) => {
      const item = el("span");
      item.append(el("span", { class: "sw", style: `background:${PALETTE[Math.min(i, PALETTE.length - 1)]}` }), `${lo}–${b}`);
      legend.appendChild(item);
      lo = b + 1;
    });
    const zero = el("span");
    zero.append(el("span", { class: "sw", style: `background:${EMPTY}` }), "0");
    legend.appendChild(zero);
  }

  async function refresh() {
    if (!state.geo[state.vintage]) state.geo[state.vintage] = await getJSON(`/api/v1/geo/${state.vintage}`);
    const params = new URLSearchParams({ vintage: state.vintage, layer: state.layer });
    state.data = await getJSON(`/api/v1/map?${params}`);
    draw();
    if (state.selected) select(state.selected);
  }

  function fmtPct(x) { return (x * 100).toFixed(2) + "%"; }

  async function select(code) {
    state.selected = code;
    document.querySelectorAll("path.unit").forEach((p) => p.classList.toggle("selected", p.dataset.code === code));
    const panel = document.getElementById("panel");
    let u;
    try { u = await getJSON(`/api/v1/units/${encodeURIComponent(code)}?vintage=${state.vintage}`); }
    catch (e) { panel.replaceChildren(el("p", { class: "error-message" }, e.message)); return; }
    panel.replaceChildren();
    panel.appendChild(el("h2", { id: "panel-title" }, u.name));
    if (u.blurb) panel.appendChild(el("p", { class: "blurb", id: "panel-blurb" }, u.blurb));
    const kv = el("dl", { class: "kv" });
    const add = (k, v) => { kv.append(el("dt", {}, k), el("dd", {}, v)); };
    add(UI.count, String(u.total));
    if (u.rank_label) add(UI.rank, u.rank_label);
    if (u.share !== null && u.share !== undefined) add(UI.share, fmtPct(u.share));
    if (u.hhi !== null && u.hhi !== undefined) add(UI.hhi, u.hhi.toFixed(3));
    if (u.change) add(UI.change, u.change.label);
    if (u.apportioned) add("", u.apportioned_note);
    panel.appendChild(kv);
    const table = el("table");
    const head = el("tr");
    [UI.field, UI.count, UI.share, UI.lq].forEach((h, i) => head.appendChild(el("th", i ? { class: "num" } : {}, h)));
    table.appendChild(head);
    for (const f of u.fields) {
      const tr = el("tr");
      tr.append(el("td", {}, f.name), el("td", { class: "num" }, String(f.count)),
        el("td", { class: "num" }, fmtPct(f.share)), el("td", { class: "num" }, f.lq === null ? "–" : f.lq.toFixed(2)));
      table.appendChild(tr);
    }
    panel.appendChild(table);
    const link = el("a", { href: `/units/${encodeURIComponent(code)}?vintage=${state.vintage}`, id: "panel-link" }, UI.open_page + " →");
    panel.appendChild(el("p")).appendChild(link);
  }

  document.getElementById("layer").addEventListener("change", (e) => { state.layer = e.target.value; refresh(); });
  document.querySelectorAll(".vintage-switch button").forEach((b) => b.addEventListener("click", () => {
    document.querySelectorAll(".vintage-switch button").forEach((x) => x.classList.toggle("on", x === b));
    state.vintage = b.dataset.vintage; state.selected = null;
    document.getElementById("panel").replaceChildren(el("p", { class: "muted" }, UI.click_unit));
    refresh();
  }));
  refresh().catch((e) => { document.getElementById("map").replaceChildren(el("p", { class: "error-message" }, e.message)); });
})();
