"""``ib atlas`` over the real CLI in a subprocess: published, check, reconstruct, measures, blurbs.

The register of the check test is written here: one synthetic row per enterprise of the reconstructed 14 × 8
table (declared district, a street address in the right unit, declared field, certificate year), imported with
``ib registry import``. ``ib atlas check`` must then match every printed figure; moving one enterprise to another
field must make it report the two cells that moved, by exactly one enterprise each, and exit non-zero.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from industry_brain.registry import make_uscc
from industry_brain.taxonomy import fields

Run = Callable[..., Any]

# A declared district and a street of each 2019 map unit (streets place records of split districts exactly).
PLACES = {
    "330102": ("上城区", "湖滨街道"),
    "330103": ("下城区", "武林街道"),
    "330104": ("江干区", "凯旋街道"),
    "330105": ("拱墅区", "米市巷街道"),
    "330106": ("西湖区", "文新街道"),
    "330108": ("滨江区", "西兴街道"),
    "330109": ("萧山区", "城厢街道"),
    "330110": ("余杭区", "五常街道"),
    "330111": ("富阳区", "富春街道"),
    "330112": ("临安区", "锦城街道"),
    "330122": ("桐庐县", "桐君街道"),
    "330127": ("淳安县", "千岛湖镇"),
    "330182": ("建德市", "新安江街道"),
    "QTXQ": ("钱塘新区", "下沙街道"),
}
FIELD_NAMES = {f.code: f.name_zh for f in fields(1)}
HEADER = ["企业名称", "统一社会信用代码", "所属区县", "注册地址", "技术领域", "认定年份"]


def _rows(table: dict[str, dict[str, int]]) -> list[list[str]]:
    rows: list[list[str]] = []
    serial = 0
    for unit, by_field in table.items():
        district, street = PLACES[unit]
        authority = "330101" if unit == "QTXQ" else unit
        for field, n in by_field.items():
            for _ in range(n):
                serial += 1
                body = f"T{serial:07d}"
                rows.append(
                    [
                        f"杭州测试{serial:04d}科技有限公司",
                        make_uscc("9", "1", authority, body),
                        district,
                        f"浙江省杭州市{district}{street}测试路{serial}号",
                        FIELD_NAMES[field],
                        "2018",
                    ]
                )
    return rows


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def test_published_lists_every_printed_figure(run_ib: Run) -> None:
    res = run_ib("atlas", "published", "--json")
    assert res.returncode == 0, res.stderr
    data = res.json()
    assert data["count"] == len(data["figures"]) == 93
    ranks = run_ib("atlas", "published", "--measure", "unit_rank", "--json").json()
    assert {f["unit_code"] for f in ranks["figures"] if f["value"] == 7} == {"330104", "330105", "330112"}
    assert all(f["sentence_zh"] for f in ranks["figures"])
    human = run_ib("atlas", "published", "--measure", "unit_rank")
    assert human.returncode == 0 and "江干区" in human.stdout
    bad = run_ib("atlas", "published", "--measure", "guess", "--json")
    assert bad.returncode == 2
    assert bad.json()["error"]["code"] == "invalid_input"


def test_check_on_an_empty_register_is_not_computable(run_ib: Run) -> None:
    res = run_ib("atlas", "check", "--json")
    assert res.returncode == 5, res.stderr
    data = res.json()
    assert data["summary"] == {"matched": 0, "differs": 0, "not_computable": 93}
    assert run_ib("atlas", "check", "--vintage", "2020").returncode == 2


@pytest.mark.slow
def test_check_passes_on_a_register_of_the_reconstructed_table_and_fails_on_one_change(
    run_ib: Run, tmp_path: Path
) -> None:
    rec = run_ib("atlas", "reconstruct", "--json")
    assert rec.returncode == 0, rec.stderr
    reconstruction = rec.json()
    assert not reconstruction["cached"]
    assert {r["figure_id"] for r in reconstruction["relaxation"]} == {
        "unit.unit_rank.330104",
        "unit.unit_rank.330105",
        "unit.unit_rank.330112",
    }
    again = run_ib("atlas", "reconstruct", "--json").json()
    assert again["cached"] and again["table"] == reconstruction["table"]
    table = reconstruction["table"]
    assert sum(sum(row.values()) for row in table.values()) == 3785

    rows = _rows(table)
    imported = run_ib(
        "registry", "import", _write(tmp_path / "v1.csv", rows), "--source", "测试名录", "--json"
    )
    assert imported.returncode == 0, imported.stderr

    measures = run_ib("atlas", "measures", "--json").json()
    assert measures["total"] == 3785
    assert measures["basis"]["apportioned"] == 0 and measures["basis"]["unlocated"] == 0
    check = run_ib("atlas", "check", "--json")
    data = check.json()
    assert [r["id"] for r in data["rows"] if r["status"] != "matched"] == []
    assert check.returncode == 0, check.stderr
    assert data["summary"] == {"matched": 93, "differs": 0, "not_computable": 0}
    # certificates of 2018 are valid at the end of 2018 (the magazine's basis) but no longer at the end of 2021
    assert run_ib("atlas", "check", "--year", "2018", "--json").returncode == 0
    expired = run_ib("atlas", "check", "--year", "2021", "--json")
    assert expired.returncode == 5
    assert expired.json()["summary"]["not_computable"] == 93

    # one enterprise of 萧山区 moves from 先进制造与自动化 (printed 165) to 新能源与节能 (printed 16)
    moved = next(i for i, r in enumerate(rows) if r[2] == "萧山区" and r[4] == FIELD_NAMES["80"])
    rows[moved][4] = FIELD_NAMES["60"]
    imported = run_ib(
        "registry", "import", _write(tmp_path / "v2.csv", rows), "--source", "测试名录", "--json"
    )
    assert imported.returncode == 0, imported.stderr
    check = run_ib("atlas", "check", "--json")
    assert check.returncode == 3
    report = {r["id"]: r for r in check.json()["rows"]}
    down, up = report["field.cell_count.330109.80"], report["field.cell_count.330109.60"]
    assert (down["status"], down["printed"], down["computed"], down["delta"]) == ("differs", 165, 164, -1)
    assert (up["status"], up["printed"], up["computed"], up["delta"]) == ("differs", 16, 17, 1)
    assert "少 1 家" in down["detail"]["zh"] and "1 more" in up["detail"]["en"]
    assert report["intro.city_total.330100"]["status"] == "matched"
    human = run_ib("atlas", "check")
    assert human.returncode == 3
    assert "不一致 " in human.stdout

    blurbs = run_ib("atlas", "blurbs", "--unit", "330108", "--json").json()
    (binjiang,) = blurbs["units"]
    assert binjiang["rank"] == 1 and binjiang["top_fields"] == ["10", "50", "80"]
    assert blurbs["fields"] == []
    english = run_ib("--lang", "en", "atlas", "blurbs", "--field", "10")
    assert english.returncode == 0 and "Electronic" in english.stdout
    assert run_ib("atlas", "blurbs", "--unit", "999999").returncode == 2
    level2 = run_ib("atlas", "measures", "--level", "2", "--json")
    assert level2.returncode == 0 and level2.json()["level"] == 2
