"""``ib atlas map`` and ``ib atlas report`` through the real CLI, on a register imported by ``ib registry import``."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from industry_brain._core.errors import InputError

PLACES = [
    ("330106", "杭州市西湖区文三路{}号"),
    ("330108", "杭州市滨江区江南大道{}号"),
    ("330110", "杭州市余杭区五常街道文一西路{}号"),
    ("330109", "杭州市萧山区北干街道市心北路{}号"),
    ("330104", "杭州市江干区下沙街道6号大街{}号"),
    ("330122", "杭州市桐庐县城南街道{}号"),
    ("330183", "杭州市富阳区银湖街道{}号"),
]
FIELDS = ["电子信息", "生物与新医药", "新材料", "高技术服务", "先进制造与自动化", "资源与环境"]


def write_register(path: Path, n: int = 70) -> Path:
    from industry_brain.registry import make_uscc

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "注册地址", "技术领域", "认定年份", "经营范围"])
        for i in range(n):
            code, address = PLACES[i % len(PLACES)]
            scope = "人工智能软件开发" if i % 9 == 0 else "技术开发、技术服务"
            w.writerow(
                [
                    f"杭州示例科技{i:03d}有限公司",
                    make_uscc("9", "1", code, f"{20000000 + i * 41:08d}"),
                    address.format(i + 1),
                    FIELDS[(i * 5) % len(FIELDS)],
                    2017 + i % 2,
                    scope,
                ]
            )
    return path


@pytest.fixture
def imported(run_ib: Any, tmp_path: Path) -> Any:
    r = run_ib("registry", "import", write_register(tmp_path / "名录.csv"), "--json")
    assert r.returncode == 0, r.stderr
    return run_ib


def measured(vintage: int) -> Any:
    from industry_brain._core.store import open_store
    from industry_brain.atlas._tally import measure_register

    with open_store(read_only=True) as store:
        return measure_register(store, vintage=vintage)


@pytest.mark.slow
def test_map_both_vintages_every_format(imported: Any, tmp_path: Path) -> None:
    cases = [
        (2019, [], "png"),
        (2019, ["--field", "10"], "svg"),
        (2021, [], "html"),
        (2021, ["--field", "80"], "png"),
        (2021, ["--future", "ai"], "svg"),
    ]
    for vintage, layer, fmt in cases:
        out = tmp_path / f"map-{vintage}-{len(layer)}.{fmt}"
        r = imported("atlas", "map", "--vintage", vintage, *layer, "--out", out, "--json")
        assert r.returncode == 0, r.stderr
        payload = r.json()
        m = measured(vintage)
        if not layer:
            expected = m.unit_totals
        elif layer[0] == "--field":
            expected = m.counts[:, m.field_index(layer[1])]
        else:
            assert m.future is not None
            expected = m.future[:, m.future_codes.index(layer[1])]
        assert payload["values"] == {u: int(v) for u, v in zip(m.units, expected, strict=True)}
        assert payload["total"] == int(expected.sum()) and payload["vintage"] == vintage
        assert payload["format"] == fmt and Path(payload["path"]) == out
        data = out.read_bytes()
        if fmt == "png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n"
        elif fmt == "svg":
            text = data.decode("utf-8")
            assert "示意图" in text and f"{vintage} 年版" in text
        else:
            text = data.decode("utf-8")
            assert "Plotly.newPlot" in text and '<script src="http' not in text
    assert measured(2019).total > 0 and measured(2021).total == measured(2019).total


@pytest.mark.slow
def test_map_refuses_bad_requests(imported: Any, tmp_path: Path) -> None:
    for args in (
        ["--out", tmp_path / "m.pdf"],
        ["--out", tmp_path / "m.png", "--field", "10", "--future", "ai"],
        ["--out", tmp_path / "m.png", "--field", "99"],
        ["--out", tmp_path / "m.png", "--future", "warp"],
        ["--out", tmp_path / "m.png", "--vintage", "2020"],
    ):
        r = imported("atlas", "map", *args, "--json")
        assert r.returncode == InputError.exit_code, (args, r.stderr)
        assert r.json()["error"]["code"] == InputError.code
        assert "Traceback" not in r.stderr
    assert not list(tmp_path.glob("m.*"))


@pytest.mark.slow
def test_report_command(imported: Any, tmp_path: Path) -> None:
    out = tmp_path / "报告"
    r = imported("atlas", "report", "--out", out, "--no-pdf", "--no-reconstruction", "--json")
    assert r.returncode == 0, r.stderr
    payload = r.json()
    m = measured(2019)
    assert payload["sections"]["total"] == m.total and payload["sections"]["units"] == 14
    assert payload["pdf"] is None
    assert any("reconstruction" in note for note in payload["notes"])
    from industry_brain.atlas._published import published_figures

    assert payload["sections"]["check"] is True  # on this small register most printed figures differ
    assert sum(payload["sections"]["check_summary"].values()) == len(published_figures())
    assert payload["sections"]["sheets"]["check"] == len(published_figures())
    for rel in [payload["index"], *payload["pages"], *payload["maps"], payload["xlsx"]]:
        assert (out / rel).is_file(), rel
    assert {f"field-{f}.html" for f in m.fields} <= set(payload["pages"])
    # the 2021 report in English names the 13 districts
    r = imported(
        "--lang",
        "en",
        "atlas",
        "report",
        "--out",
        tmp_path / "en",
        "--vintage",
        "2021",
        "--no-pdf",
        "--no-reconstruction",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    assert r.json()["sections"]["units"] == 13 and r.json()["sections"]["lang"] == "en"
    assert "map-2021-all-en.png" in {Path(p).name for p in r.json()["maps"]}
