"""The talent survey through the real ``ib`` in a subprocess: the shipped synthetic set reproduces the article.

The synthetic 问卷星 export (697 firms, every row generated) is imported once per module; ``ib talent report``
must then give the article's figures — net employment outlook +78, Table 1's means 1.23 / 1.18 / 1.22, the
81 % / 16 % / 3 % split, the firm profile — and flag what the article contradicts itself in (Table 1's standard
errors imply about 287 and 74 respondents, not 587 and 110).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

REPORT_KEYS = {
    "survey", "batch", "synthetic", "generated_at", "lang", "respondents", "weights", "outlook", "table1", "shares",
    "shares_by_sector", "professional_share", "pooled", "subfields", "posts", "majors", "crosstabs", "catalogue",
    "checks", "checks_summary", "inconsistencies", "quarantine", "linking", "document_zh", "charts",
}  # fmt: skip
FIGURES = [f"fig{i}" for i in range(1, 10)]


@pytest.fixture(scope="module")
def talent_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("talent") / "home"
    proc = subprocess.run(
        [sys.executable, "-m", "industry_brain", "talent", "demo", "--json"],
        env={**os.environ, "IB_HOME": str(home)}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout)
    assert first["already_imported"] is False
    assert (first["rows_read"], first["respondents_loaded"], first["respondents_quarantined"]) == (
        697,
        697,
        0,
    )
    assert first["answers_quarantined"] == 0 and first["warnings"] == 0 and first["synthetic"] is True
    assert first["answer_mode"] == "text" and first["layout"] == "wjx"
    return home


@pytest.fixture(scope="module")
def report(talent_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("report")
    proc = subprocess.run(
        [sys.executable, "-m", "industry_brain", "talent", "report", "--out", str(out), "--json"],
        env={**os.environ, "IB_HOME": str(talent_home)}, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "missing from" not in proc.stderr  # matplotlib's "Glyph … missing from font" would mean tofu
    data: dict[str, Any] = json.loads(proc.stdout)
    data["_out"] = str(out)
    return data


def share(data: dict[str, Any], question: str, *keys: str) -> float:
    options = {o["key"]: o for o in data["shares"][question]["options"]}
    return sum(options[k]["pct"] for k in keys)


def test_demo_again_is_a_no_op_and_batches_list_it(run_ib: Any, talent_home: Path) -> None:
    env = {"IB_HOME": str(talent_home)}
    again = run_ib("talent", "demo", "--json", env=env)
    assert again.returncode == 0, again.stderr
    assert again.json()["already_imported"] is True and again.json()["batch_id"] == 1
    batches = run_ib("talent", "batches", "--json", env=env).json()
    assert [(b["batch_id"], b["respondents_loaded"], b["synthetic"]) for b in batches] == [(1, 697, True)]
    human = run_ib("talent", "demo", env=env)
    assert "已导入" in human.stdout and "未做任何更改" in human.stdout


def test_report_reproduces_the_articles_figures(report: dict[str, Any]) -> None:
    assert set(report) >= REPORT_KEYS
    assert report["synthetic"] is True
    assert report["respondents"] == {"total": 697, "by_sector": {"ai": 587, "bio": 110}}
    # net employment outlook: % increase − % decrease, with Newcombe's paired interval
    overall = report["outlook"][0]
    assert overall["group"] == "all" and overall["method"] == "newcombe10" and overall["n"] == 697
    assert round(overall["neoi"]) == 78
    assert overall["neoi"] == pytest.approx(overall["increase_pct"] - overall["decrease_pct"])
    assert overall["low"] < overall["neoi"] < overall["high"]
    assert {(o["group"], o["value"]) for o in report["outlook"]} >= {("sector", "ai"), ("sector", "bio")}
    # figure 5: 81 % / 16 % / 3 %
    assert [round(share(report, "demand_change", k)) for k in ("increase", "same", "decrease")] == [81, 16, 3]
    # Table 1: means on the 1/2/3 coding
    table1 = {r["sector"]: r for r in report["table1"]}
    assert [round(table1[k]["mean"], 2) for k in ("ai", "bio", None)] == [1.23, 1.18, 1.22]
    assert [table1[k]["n"] for k in ("ai", "bio", None)] == [587, 110, 697]
    for row in table1.values():
        assert (row["min"], row["max"]) == (1, 3)
        assert row["ci95_low"] < row["mean"] < row["ci95_high"]
        assert row["se"] == pytest.approx(row["sd"] / row["n"] ** 0.5)
    # the firm profile: 83 % under 500 staff, 71 % growth stage, 67 % private, 50 % 5+ years, 44 % over 1亿, 13 % listed
    assert round(share(report, "headcount", "lt100", "h100_499")) == 83
    assert round(share(report, "stage", "growth")) == 71
    assert round(share(report, "ownership", "private")) == 67
    assert round(share(report, "years_in_industry", "gt5")) == 50
    assert round(share(report, "sales", "gt100m")) == 44
    assert round(share(report, "listed", "yes")) == 13
    # the catalogue: 69 scarce posts, 47 AI and 22 bio
    by_sector = {k: v["posts"] for k, v in report["catalogue"]["by_sector"].items()}
    assert by_sector == {"ai": 47, "bio": 22}


def test_report_checks_every_published_figure_and_flags_the_inconsistency(report: dict[str, Any]) -> None:
    checks = {c["id"]: c for c in report["checks"]}
    # each with its sentence and its source line, or (figures 8 and 9, read off the charts) a reading confidence
    assert len(checks) > 200
    assert all(c["quote_zh"] and (c["source_line"] or c["confidence"]) for c in checks.values())
    for fid in ("n_ai", "n_bio", "neoi_all", "fig5_increase", "fig5_same", "fig5_decrease", "table1_ai_mean",
                "table1_bio_mean", "table1_all_mean", "profile_headcount_under_500", "profile_listed",
                "catalogue_ai", "catalogue_bio"):  # fmt: skip
        assert checks[fid]["status"] == "match", checks[fid]
    # what differs is only Table 1's spread, which its printed standard errors make impossible at n = 587 / 110
    differs = {c["id"] for c in report["checks"] if c["status"] != "match"}
    assert differs and all(d.startswith("table1_") and d.rsplit("_", 1)[-1] in ("sd", "se", "low", "high")
                           for d in differs)  # fmt: skip
    assert report["checks_summary"]["match"] == len(checks) - len(differs)
    conflicts = {i["id"]: i for i in report["inconsistencies"]}
    ai, bio = conflicts["table1_se_implies_n_ai"], conflicts["table1_se_implies_n_bio"]
    assert (round(ai["implied_n"]), ai["printed_n"]) == (287, 587)
    assert (round(bio["implied_n"]), bio["printed_n"]) == (74, 110)
    assert "287" in ai["zh"] and "587" in ai["zh"] and "287" in ai["en"]


def test_report_writes_the_magazines_figures_as_charts(report: dict[str, Any]) -> None:
    out = Path(report["_out"])
    specs = {c["id"]: c for c in report["charts"]}
    assert set(FIGURES) <= set(specs) and "neoi" in specs
    for fid in FIGURES:
        assert specs[fid]["title"].startswith(f"图{fid[3:]} "), specs[fid]["title"]
        png = out / f"{fid}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000
    assert {Path(p).name for p in report["files"]["charts"]} == {f"{f}.png" for f in [*FIGURES, "neoi"]}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "净雇佣前景指数" in html and "fig8.png" in html
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["outlook"][0][
        "neoi"
    ] == pytest.approx(report["outlook"][0]["neoi"])


def test_report_in_chinese_and_english(run_ib: Any, talent_home: Path) -> None:
    env = {"IB_HOME": str(talent_home)}
    zh = run_ib("talent", "report", env=env)
    assert zh.returncode == 0, zh.stderr
    assert "【合成数据，仅供演示】" in zh.stdout
    assert "净雇佣前景指数 +78.0%" in zh.stdout and "Newcombe" in zh.stdout
    assert "≈ 287" in zh.stdout and "587" in zh.stdout
    en = run_ib("--lang", "en", "talent", "report", env=env)
    assert en.returncode == 0, en.stderr
    assert "net employment outlook +78.0%" in en.stdout and "imply n = (SD/SE)² ≈ 287" in en.stdout


def test_catalogue_xlsx(run_ib: Any, talent_home: Path, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "目录.xlsx"
    result = run_ib("talent", "catalogue", "--format", "xlsx", "--out", target, "--json",
                    env={"IB_HOME": str(talent_home)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert data["format"] == "xlsx" and data["synthetic"] is True and len(data["posts"]) == 69
    wb = openpyxl.load_workbook(target, read_only=True)
    cells = [
        str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
    ]
    wb.close()
    text = "\n".join(cells)
    assert "紧缺专业人才需求目录" in text and "合成数据" in text
    for post in data["posts"][:5] + data["posts"][-5:]:
        assert post["title"] in text
        assert post["band_zh"] in ("一般紧缺", "紧缺", "十分紧缺") and 0 <= post["score"] <= 1


def test_catalogue_pdf_renders_chinese(
    run_ib: Any, talent_home: Path, tmp_path: Path, report: dict[str, Any]
) -> None:
    target = tmp_path / "目录.pdf"
    result = run_ib(
        "talent", "catalogue", "--format", "pdf", "--out", target, env={"IB_HOME": str(talent_home)}
    )
    assert result.returncode == 0, result.stderr
    assert "有效紧缺岗位 69 个（人工智能 47 个，生物技术和生命科学 22 个）" in result.stdout
    assert target.read_bytes()[:5] == b"%PDF-"
    posts = report["catalogue"]["posts"]
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        pytest.skip("poppler-utils (pdftotext, pdffonts) not installed")
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts  # a CJK font, embedded
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "杭州市2018年度未来产业" in text and "紧缺专业人才需求目录" in text
    flat = "".join(text.split())  # pdftotext drops the spaces between CJK characters
    assert posts[0]["title"] in flat and posts[-1]["title"] in flat and "第1页/共4页" in flat


def test_import_of_a_hand_written_export_and_its_problems(run_ib: Any, tmp_path: Path) -> None:
    path = tmp_path / "问卷导出.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、企业名称",
                    "3、企业所属未来产业领域", "15、未来一年内企业对紧缺专业人才的需求量将"])  # fmt: skip
        w.writerow(["1", "2018/9/3 10:01:13", "95秒", "微信", "N/A", "10.1.2.3(浙江-杭州)", "杭州一号科技有限公司", "人工智能", "增加"])  # fmt: skip
        w.writerow(["2", "2018/9/3 10:02:13", "80秒", "链接", "N/A", "10.1.2.4(浙江-杭州)", "杭州二号生物有限公司", "生物技术和生命科学", "大幅增加"])  # fmt: skip
        w.writerow(["3", "2018/9/3 10:03:13", "60秒", "链接", "N/A", "10.1.2.5(浙江-杭州)", "杭州三号科技有限公司", "元宇宙", "增加"])  # fmt: skip
    imported = run_ib("talent", "import", path, "--survey", "hangzhou-2018", "--json")
    assert imported.returncode == 0, imported.stderr
    result = imported.json()
    assert (result["rows_read"], result["respondents_loaded"], result["respondents_quarantined"]) == (3, 2, 1)
    assert "10.1.2.3" not in imported.stdout
    problems = run_ib("talent", "problems", str(result["batch_id"]), "--json").json()
    assert [(p["source_row"], p["respondent_id"], p["question_id"], p["code"]) for p in problems] == [
        (3, "2", "demand_change", "option_unknown"),
        (4, "3", "sector", "option_unknown"),
        (4, "3", "sector", "sector_missing"),
    ]
    human = run_ib("talent", "problems", str(result["batch_id"]))
    assert "大幅增加" in human.stdout and "元宇宙" in human.stdout
    # a report over so few answers still runs: what cannot be computed is shown as such, not a crash
    report = run_ib("talent", "report", "--json")
    assert report.returncode == 0, report.stderr
    data = report.json()
    assert data["synthetic"] is False and data["respondents"]["total"] == 2
    assert data["outlook"][0]["n"] == 1 and data["checks_summary"]["not_computable"] > 100
    human = run_ib("talent", "report", "--out", tmp_path / "out")
    assert human.returncode == 0, human.stderr
    assert "—" in human.stdout and (tmp_path / "out" / "fig5.png").exists()


def test_bad_input_is_an_error_message_not_a_traceback(run_ib: Any, tmp_path: Path) -> None:
    nothing = run_ib("talent", "report")
    assert nothing.returncode == 2 and "Traceback" not in nothing.stderr
    assert "ib talent import" in nothing.stderr and "nothing imported yet" in nothing.stderr
    missing = run_ib("talent", "import", tmp_path / "none.xlsx", "--json")
    assert missing.returncode == 2 and missing.json()["error"]["code"] == "invalid_input"
    bad_format = run_ib("talent", "catalogue", "--format", "docx")
    assert bad_format.returncode == 2 and "Traceback" not in bad_format.stderr
    unknown = run_ib("talent", "import", tmp_path / "none.csv", "--survey", "no-such-survey")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_weights_report_their_design_effect(run_ib: Any, talent_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(talent_home, home)  # the module's home stays unweighted for the other tests
    env = {"IB_HOME": str(home)}
    partial = run_ib("talent", "weights", "--by", "sector", "--population", "ai=1200", "--json", env=env)
    assert partial.returncode == 2 and "bio" in partial.json()["error"]["message"]
    made = run_ib("talent", "weights", "--by", "sector", "--population", "ai=1200", "--population", "bio=800",
                  "--json", env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    w = made.json()
    # w_h = (N_h/N)/(n_h/n): ai 0.6/(587/697), bio 0.4/(110/697); deff = n Σw² / (Σw)²
    assert w["weights"]["ai"] == pytest.approx(0.6 / (587 / 697))
    assert w["weights"]["bio"] == pytest.approx(0.4 / (110 / 697))
    wa, wb = w["weights"]["ai"], w["weights"]["bio"]
    assert w["design_effect"] == pytest.approx(697 * (587 * wa**2 + 110 * wb**2) / (587 * wa + 110 * wb) ** 2)
    weighted = run_ib("talent", "report", "--weights", "poststrat", "--json", env=env).json()
    assert weighted["weights"]["design_effect"] == pytest.approx(w["design_effect"])
    overall = weighted["outlook"][0]
    # the weighted outlook is 0.6 × AI + 0.4 × bio, and its interval is wider than the unweighted one
    by = {o["value"]: o for o in weighted["outlook"] if o["group"] == "sector"}
    assert overall["neoi"] == pytest.approx(0.6 * by["ai"]["neoi"] + 0.4 * by["bio"]["neoi"])
    assert overall["design_effect"] == pytest.approx(w["design_effect"], abs=1e-4)
