// Upload a register, poll the import job, then show the validation report and the quarantine.
(function () {
  "use strict";
  const form = document.getElementById("import-form");
  const csrf = document.body.dataset.csrf;
  const lang = document.body.dataset.lang;
  const T = (zh, en) => (lang === "en" ? en : zh);
  const status = document.getElementById("job-status");
  const bar = document.getElementById("job-bar");
  const out = document.getElementById("job-report");

  function el(tag, attrs, text) {
    const n = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  }

  function showError(err) {
    out.replaceChildren(el("p", { class: "error-message", id: "import-error" }, err.message));
    const problems = (err.details && (err.details.problems || err.details.errors)) || [];
    if (problems.length) {
      const ul = el("ul", { id: "import-problems" });
      problems.forEach((p) => ul.appendChild(el("li", {}, typeof p === "string" ? p : JSON.stringify(p))));
      out.appendChild(ul);
    }
  }

  function showReport(report) {
    out.replaceChildren();
    out.appendChild(el("h2", { id: "import-done" }, T("导入完成", "Import finished") + ` · #${report.batch_id}`));
    const dl = el("dl", { class: "kv", id: "import-summary" });
    const add = (k, v) => dl.append(el("dt", {}, k), el("dd", {}, String(v)));
    add(T("读取行数", "Rows read"), report.rows_read);
    add(T("已导入", "Loaded"), report.rows_loaded);
    add(T("隔离", "Quarantined"), report.rows_quarantined);
    if (report.no_op) add(T("说明", "Note"), T("文件与已导入版本相同，名录未变。", "Identical to an imported version: nothing changed."));
    out.appendChild(dl);
    if (report.batch_id) {
      const p = el("p");
      p.appendChild(el("a", { href: `/import/${report.batch_id}`, id: "report-link" }, T("查看校验报告与隔离行 →", "Validation report and quarantine →")));
      if (report.rows_quarantined) {
        p.append(" · ");
        p.appendChild(el("a", { href: `/api/v1/imports/${report.batch_id}/quarantine.xlsx` }, T("下载 XLSX", "Download XLSX")));
      }
      out.appendChild(p);
    }
    const reasons = report.quarantine_reasons || {};
    if (Object.keys(reasons).length) {
      const table = el("table", { id: "import-reasons" });
      const head = el("tr"); head.append(el("th", {}, T("代码", "Code")), el("th", { class: "num" }, T("行数", "Rows")));
      table.appendChild(head);
      for (const [code, n] of Object.entries(reasons)) {
        const tr = el("tr"); tr.append(el("td", {}, code), el("td", { class: "num" }, String(n))); table.appendChild(tr);
      }
      out.appendChild(table);
    }
  }

  async function poll(jobId) {
    for (;;) {
      const res = await fetch(`/api/v1/imports/jobs/${jobId}`, { headers: { Accept: "application/json" } });
      const job = await res.json();
      if (!res.ok) { showError(job.error); return; }
      const p = job.progress || {};
      if (p.total) bar.style.width = `${Math.round((100 * p.done) / p.total)}%`;
      status.textContent = `${T("正在导入…", "Importing…")} ${p.done || 0}${p.total ? " / " + p.total : ""}`;
      if (job.status === "done") { bar.style.width = "100%"; status.textContent = T("导入完成", "Import finished"); showReport(job.report); return; }
      if (job.status === "failed") { status.textContent = T("无法导入", "Import failed"); showError(job.error); return; }
      await new Promise((r) => setTimeout(r, 400));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    document.getElementById("job").hidden = false;
    out.replaceChildren();
    bar.style.width = "0";
    status.textContent = T("正在上传…", "Uploading…");
    const res = await fetch("/api/v1/imports", { method: "POST", body: new FormData(form), headers: { "X-CSRF-Token": csrf, Accept: "application/json" } });
    const body = await res.json();
    if (!res.ok) { status.textContent = T("无法导入", "Import failed"); showError(body.error); return; }
    poll(body.job_id);
  });
})();
