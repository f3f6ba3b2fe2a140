"""Every CSV and XLSX the product writes is safe to open in Excel/WPS (OWASP "CSV injection"), and the product's
own exports import back as the same register: the real CLI in a subprocess, real DuckDB files, real workbooks."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl

from industry_brain._core.cells import TRIGGERS
from industry_brain.registry import make_uscc

HEADER = ["企业名称", "统一社会信用代码", "注册日期", "注册资本", "经营范围", "注册地址"]
NAMES = [
    '=HYPERLINK("http://example.invalid/","点击")',
    "+86杭州加号科技有限公司",
    "-杭州减号科技有限公司",
    "@杭州提及科技有限公司",
    "杭州普通科技有限公司",
]


def _rows() -> list[list[str]]:
    out = []
    for i, name in enumerate(NAMES):
        out.append(
            [
                name,
                make_uscc("9", "1", "330106", f"MA{i:06d}"),
                "2016-03-1" + str(i),
                f"{100 + i}万元人民币",
                "=1+1；软件开发" if i == 0 else "软件开发；信息技术咨询服务",
                "-杭州市西湖区文三路1号" if i == 1 else f"杭州市西湖区文三路{i + 1}号",
            ]
        )
    return out


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def _names(run_ib: Any, tmp_path: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    out = tmp_path / "names.parquet"
    res = run_ib("registry", "export", "--out", out)
    assert res.returncode == 0, res.stderr
    t = pq.read_table(out, columns=["uscc", "name"]).to_pylist()
    return {r["uscc"]: r["name"] for r in t}


def test_csv_and_xlsx_exports_are_safe_and_round_trip(run_ib: Any, tmp_path: Path) -> None:
    src = _write(tmp_path / "名单.csv", _rows())
    res = run_ib("registry", "import", src, "--json")
    assert res.returncode == 0, res.stderr
    before = _names(run_ib, tmp_path)
    assert sorted(before.values()) == sorted(NAMES)

    csv_out, xlsx_out = tmp_path / "out" / "reg.csv", tmp_path / "out" / "reg.xlsx"
    for out, fmt in ((csv_out, "csv"), (xlsx_out, "xlsx")):
        res = run_ib("registry", "export", "--out", out, "--format", fmt)
        assert res.returncode == 0, res.stderr

    # CSV: no cell begins with a formula trigger; the dangerous ones carry the quote; numbers stay bare numbers
    with csv_out.open(encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    head, body = table[0], table[1:]
    assert all(not cell.startswith(TRIGGERS) for line in table for cell in line)
    names = {line[head.index("name")] for line in body}
    assert '\'=HYPERLINK("http://example.invalid/","点击")' in names and "'+86杭州加号科技有限公司" in names
    assert "杭州普通科技有限公司" in names
    capital = [line[head.index("capital_wan")] for line in body]
    assert sorted(float(c) for c in capital) == [100.0, 101.0, 102.0, 103.0, 104.0]
    raw = csv_out.read_text(encoding="utf-8")
    assert ',100.0,' in raw or ',100,' in raw  # written unquoted, as a number

    # XLSX: the same text, stored as quote-prefixed text cells; not one formula; numbers as numbers
    ws = openpyxl.load_workbook(xlsx_out).worksheets[0]
    rows = list(ws.iter_rows())
    cols = [c.value for c in rows[0]]
    cells = [c for r in rows[1:] for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_name = {r[cols.index("name")].value: r[cols.index("name")] for r in rows[1:]}
    hyperlink = by_name['=HYPERLINK("http://example.invalid/","点击")']
    assert hyperlink.data_type == "s" and hyperlink.quotePrefix
    assert not by_name["杭州普通科技有限公司"].quotePrefix
    assert {r[cols.index("capital_wan")].data_type for r in rows[1:]} == {"n"}

    # re-importing either export gives back the same names, and the records count as unchanged
    for out in (csv_out, xlsx_out):
        res = run_ib("registry", "import", out, "--source", "名单", "--json")
        assert res.returncode == 0, res.stderr
        report = res.json()
        assert report["rows_loaded"] == len(NAMES), report
        assert _names(run_ib, tmp_path) == before
        assert (report["added"], report["changed"], report["removed"]) == (0, 0, 0), report


def test_quarantine_workbook_keeps_bad_values_as_text(run_ib: Any, tmp_path: Path) -> None:
    rows = _rows()
    rows[1][1] = "=1+1"  # a code that is a formula: quarantined, and shown to the office as text
    src = _write(tmp_path / "坏.csv", rows)
    res = run_ib("registry", "import", src, "--json")
    assert res.returncode == 0, res.stderr
    batch = res.json()["batch_id"]
    out = tmp_path / "q.xlsx"
    res = run_ib("registry", "quarantine", batch, "--export", out)
    assert res.returncode == 0, res.stderr
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    held = [c for c in cells if c.value == "=1+1"]
    assert held and all(c.data_type == "s" and c.quotePrefix for c in held)


def test_atlas_tables_and_talent_catalogue_write_text_not_formulas(tmp_path: Path) -> None:
    from industry_brain.atlas._report import Table, write_xlsx
    from industry_brain.talent._catalogue import COLUMNS
    from industry_brain.talent._catalogue import write_xlsx as catalogue_xlsx

    table = Table("t", "表", "table", [("name", "名称", "name"), ("n", "数量", "count")], [["=1+1", 3], ["-x", -2]])
    p = write_xlsx([table], tmp_path / "tables.xlsx", title="=title", basis="+basis")
    wb = openpyxl.load_workbook(p)
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.value for c in cells if c.quotePrefix} == {"=1+1", "-x", "=title", "+basis"}
    assert [c.value for c in wb["t"]["B"]][2:] == [3, -2]

    post = {key: "=岗位" if key == "title" else (0.5 if key == "score" else "x") for key, _ in COLUMNS}
    cat = {"posts": [post], "formula_zh": "=公式", "formula_en": "", "excluded": [], "min_firms": 3}
    p = catalogue_xlsx(cat, tmp_path / "catalogue.xlsx", "目录", "说明")
    wb = openpyxl.load_workbook(p)
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "=岗位" in {c.value for c in cells if c.quotePrefix}
    assert json.dumps([c.value for c in cells if c.data_type == "n"]) == "[0.5]"
