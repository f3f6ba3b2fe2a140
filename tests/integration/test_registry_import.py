"""The register against a bad-input corpus written here (never real rows), with real DuckDB files and the real CLI.

Each case asserts its outcome: what is loaded, what is quarantined (row, field, stable code), what is reported.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import Store, open_store
from industry_brain.registry import (
    duplicates_for_review,
    export,
    export_quarantine,
    get_enterprise,
    import_file,
    list_batches,
    make_uscc,
    quarantine,
    search,
)
from industry_brain.registry._records import COMPARED

HEADER = ["企业名称", "统一社会信用代码", "注册日期", "注册资本", "经营范围", "注册地址"]
STREETS = [
    ("西湖区", "文三路"),
    ("滨江区", "江南大道"),
    ("余杭区", "文一西路"),
    ("萧山区", "市心中路"),
    ("上城区", "解放路"),
    ("拱墅区", "莫干山路"),
]
SCOPES = [
    "软件开发；信息技术咨询服务；计算机系统集成",
    "生物制品研发；医疗器械销售",
    "服装批发零售",
    "新材料技术开发；高分子材料销售",
    "智能机器人研发、制造",
]


def code(i: int, division: str = "330106") -> str:
    return make_uscc("9", "1", division, f"MA{i:06d}")


def row(i: int, **over: Any) -> list[str]:
    d, road = STREETS[i % len(STREETS)]
    base = {
        "企业名称": f"杭州测试{i}号科技有限公司",
        "统一社会信用代码": code(i),
        "注册日期": f"2015-0{1 + i % 9}-1{i % 10}",
        "注册资本": f"{100 + i}万元人民币",
        "经营范围": SCOPES[i % len(SCOPES)],
        "注册地址": f"杭州市{d}{road}{i + 1}号",
    }
    base.update(over)
    return [base[h] for h in HEADER]


def write_csv(
    path: Path,
    rows: list[list[str]],
    header: list[str] = HEADER,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture
def store(tmp_path: Path) -> Any:
    st = open_store(tmp_path / "reg.duckdb")
    yield st
    st.close()


def codes_in(st: Store, table: str = "enterprise") -> set[str]:
    return {r[0] for r in st.fetchall(f"SELECT uscc FROM {table}")}


def q(st: Store, batch: int) -> list[tuple[int, str | None, str, str]]:
    return [
        tuple(r)
        for r in st.fetchall(  # type: ignore[misc]
            "SELECT source_row, field, code, severity FROM quarantine WHERE batch_id = ? ORDER BY source_row, code",
            [batch],
        )
    ]


# ---- unusable input: exit 2, one line, nothing written ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\n\n  \n", "empty"),
        ("header_only.csv", "企业名称,统一社会信用代码\n".encode(), "no data rows"),
        ("garbage.csv", bytes(range(256)) * 8, "binary"),
        (
            "latin.csv",
            "name;city\nCaf\xe9 M\xfcller;K\xf6ln\n".encode("latin-1") * 3 + b"\xff\xfe\xfa" * 10,
            "unreadable bytes",
        ),
        ("notes.csv", "这是一份说明\n没有表头\n".encode(), "no recognisable header"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old binary Excel"),
        ("fake.parquet", b"not parquet at all", "not a valid Parquet"),
    ],
)
def test_unusable_input_exits_2_with_the_reason(
    run_ib: Any, tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    res = run_ib("registry", "import", p, "--json")
    assert res.returncode == 2, res.stderr
    assert needle in res.stderr and "Traceback" not in res.stderr
    assert name in res.stderr
    assert res.json()["error"]["code"] in ("invalid_input", "parse_error")


def test_missing_file_and_sheet(tmp_path: Path, store: Store) -> None:
    with pytest.raises(InputError, match="not found"):
        import_file(tmp_path / "absent.csv", store=store)
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(HEADER)  # type: ignore[union-attr]
    wb.save(tmp_path / "one.xlsx")
    with pytest.raises(InputError, match="no sheet 'Nope'"):
        import_file(tmp_path / "one.xlsx", sheet="Nope", store=store)
    assert list_batches(store) == []


# ---- encodings, delimiters --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "reported", "delimiter"),
    [
        ("utf-8", "utf-8", ","),
        ("utf-8-sig", "utf-8-sig", ","),
        ("gb18030", "gb18030", ","),
        ("utf-8", "utf-8", "\t"),
        ("gb18030", "gb18030", ";"),
        ("utf-16", "utf-16", ","),
    ],
)
def test_encodings_are_detected_and_reported(
    tmp_path: Path, store: Store, encoding: str, reported: str, delimiter: str
) -> None:
    p = write_csv(tmp_path / "list.csv", [row(i) for i in range(5)], encoding=encoding, delimiter=delimiter)
    r = import_file(p, store=store)
    assert (r.encoding, r.delimiter, r.rows_read, r.rows_loaded) == (reported, delimiter, 5, 5)
    names = {x[0] for x in store.fetchall("SELECT name FROM enterprise")}
    assert "杭州测试3号科技有限公司" in names


def test_title_rows_above_a_csv_header(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "titled.csv"
    p.write_text(
        "2019年度高新技术企业名单,,,\n制表单位：科技局,,,\n\n"
        + ",".join(HEADER)
        + "\n"
        + "\n".join(",".join(row(i)) for i in range(3))
        + "\n",
        encoding="utf-8",
    )
    r = import_file(p, store=store)
    assert r.header_row == 4 and r.rows_read == 3
    assert sorted(x[0] for x in store.fetchall("SELECT source_row FROM enterprise")) == [5, 6, 7]


# ---- XLSX: notes above the header, merged cells, typed cells ----------------------------------------------


def test_xlsx_with_notes_merged_cells_and_typed_cells(tmp_path: Path, store: Store) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名单"
    ws.append(["2019年杭州市高新技术企业认定名单"])
    ws.merge_cells("A1:G1")
    ws.append(["注：本表按所属区县排列，证书编号以证书为准"])
    ws.merge_cells("A2:G2")
    ws.append(["序号", "企业名称", "统一社会信用代码", "所属区县", "技术领域", "认定年份", "成立日期"])
    ws.append([1, "杭州甲科技有限公司", code(1), "西湖区", "电子信息", 2019, datetime(2015, 3, 4)])
    ws.append([2, "杭州乙科技有限公司", code(2), None, "生物与新医药", "2019", 42000])
    ws.append([3, "杭州丙科技有限公司", code(3), None, "新材料", 2019, "2016年5月6日"])
    ws.merge_cells("D4:D6")  # 西湖区 covers three rows
    ws.append([4, "杭州丁科技有限公司", 913301061234567890, "滨江区", "先进制造", 2019, "2017/1/2"])
    wb.create_sheet("说明").append(["无关的表"])
    p = tmp_path / "名单.xlsx"
    wb.save(p)
    r = import_file(p, store=store)
    assert (r.format, r.sheet, r.header_row, r.rows_read) == ("xlsx", "名单", 3, 4)
    assert r.column_map["序号"] is None and r.column_map["所属区县"] == "district"
    rows = store.records(
        "SELECT source_row, district_declared, registered_on, hightech_year, field_l1, geo_method,"
        " extra FROM enterprise ORDER BY source_row"
    )
    assert [x["source_row"] for x in rows] == [4, 5, 6]
    assert [x["district_declared"] for x in rows] == ["西湖区"] * 3
    assert [x["registered_on"].isoformat() for x in rows] == ["2015-03-04", "2014-12-27", "2016-05-06"]
    assert [x["hightech_year"] for x in rows] == [2019] * 3
    assert [x["field_l1"] for x in rows] == ["10", "20", "40"]
    assert json.loads(rows[0]["extra"]) == {"序号": "1"}
    assert q(store, r.batch_id) == [(7, "uscc", "uscc_numeric_cell", "error")]


# ---- rows that do not fit, codes, dates, duplicates -------------------------------------------------------


def test_wrong_column_counts_are_quarantined_with_their_row(tmp_path: Path, store: Store) -> None:
    p = tmp_path / "ragged.csv"
    lines = [
        ",".join(HEADER),
        ",".join(row(0)),
        ",".join(row(1)[:3]),
        ",".join(row(2)),
        ",".join([*row(3), "多余"]),
        ",".join(row(4)),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = import_file(p, store=store)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (5, 3, 2)
    assert q(store, r.batch_id) == [
        (3, None, "row_column_count", "error"),
        (5, None, "row_column_count", "error"),
    ]
    assert sorted(x[0] for x in store.fetchall("SELECT source_row FROM enterprise")) == [2, 4, 6]
    raw = quarantine(r.batch_id, store)[0]["raw"]
    assert raw["text"].startswith("杭州测试1号")


def test_codes_names_dates_and_capital(tmp_path: Path, store: Store) -> None:
    bad_check = code(5)[:-1] + ("0" if code(5)[-1] != "0" else "1")
    rows = [
        row(0),
        row(1, 统一社会信用代码="９１" + code(1)[2:]),  # full width: normalised, fine
        row(2, 统一社会信用代码=bad_check[:5] + " " + bad_check[5:]),  # placeholder, replaced below
        row(3, 统一社会信用代码="91330106MA2B00000"),  # 17 characters
        row(4, 统一社会信用代码=""),
        row(5, 企业名称=""),
        row(6, 注册日期="2019-02-30", 注册资本="很多钱"),
        row(7, 注册日期="2019年1月2日", 注册资本="N/A"),
        row(8, 统一社会信用代码="91330106MA2B0000OO"),  # O is not allowed
    ]
    rows[2] = row(2, 统一社会信用代码=bad_check)
    r = import_file(write_csv(tmp_path / "codes.csv", rows), store=store)
    assert r.rows_read == 9 and r.rows_loaded + r.rows_quarantined == 9
    assert q(store, r.batch_id) == [
        (4, "uscc", "uscc_check_char", "warning"),
        (5, "uscc", "uscc_malformed", "error"),
        (6, "uscc", "uscc_missing", "error"),
        (7, "name", "name_missing", "error"),
        (8, "capital", "capital_invalid", "warning"),
        (8, "registered_on", "date_invalid", "warning"),
        (10, "uscc", "uscc_malformed", "error"),
    ]
    assert r.quarantine_reasons == {"uscc_malformed": 2, "uscc_missing": 1, "name_missing": 1}
    assert r.rows_warned == 2
    ok = dict(store.fetchall("SELECT uscc, uscc_check_ok FROM enterprise"))
    assert ok[bad_check] is False and ok[code(1)] is True
    got = store.records(
        "SELECT registered_on, capital_wan, capital_raw FROM enterprise WHERE uscc = ?", [code(6)]
    )[0]
    assert got["registered_on"] is None and got["capital_wan"] is None and got["capital_raw"] == "很多钱"
    msgs = quarantine(r.batch_id, store)
    malformed = next(m for m in msgs if m["source_row"] == 5)
    assert "17" in malformed["message_en"] and "17" in malformed["message_zh"]
    assert malformed["raw"]["企业名称"] == "杭州测试3号科技有限公司"


def test_duplicates_collapse_conflict_and_review(tmp_path: Path, store: Store) -> None:
    rows = [
        row(0),
        row(0),  # identical: collapse
        row(1),
        row(1, 注册地址="杭州市滨江区江南大道999号"),  # same code, different data: conflict
        row(2, 企业名称="杭州同名科技有限公司"),
        row(3, 企业名称="同名科技（杭州）有限公司"),  # probable duplicate of row 2 by name
        row(4, 企业名称="同名科技有限公司", 统一社会信用代码=""),  # and one without a code
    ]
    r = import_file(write_csv(tmp_path / "dups.csv", rows), store=store)
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined, r.records_loaded) == (7, 4, 3, 3)
    assert (r.duplicates_collapsed, r.duplicate_conflicts) == (1, 1)
    assert ("uscc_conflict" in r.duplicate_review) and ("same_name_missing_code" in r.duplicate_review)
    assert [x for x in q(store, r.batch_id) if x[2].startswith("duplicate")] == [
        (3, "uscc", "duplicate_identical", "warning"),
        (4, "uscc", "duplicate_conflict", "error"),
        (5, "uscc", "duplicate_conflict", "error"),
    ]
    groups = duplicates_for_review(store, r.batch_id)
    conflict = next(g for g in groups if g["reason"] == "uscc_conflict")
    assert conflict["usccs"] == [code(1)] and conflict["source_rows"] == [4, 5]
    addresses = [m["raw"]["address"] for m in conflict["members"]]
    assert addresses[0] != addresses[1] and all(m["status"] == "quarantined" for m in conflict["members"])
    same = next(g for g in groups if g["name_norm"] == "同名科技")
    assert same["source_rows"] == [6, 7, 8] and sorted(same["usccs"]) == sorted([code(2), code(3)])
    assert [m["status"] for m in same["members"]] == ["loaded", "loaded", "quarantined"]
    assert codes_in(store) == {code(0), code(2), code(3)}


# ---- versions, no-op, current register, portrait, search ---------------------------------------------------


def test_versions_noop_history_and_portrait(tmp_path: Path, store: Store) -> None:
    v1 = write_csv(tmp_path / "v1.csv", [row(i) for i in range(6)])
    r1 = import_file(v1, store=store, source="hightech")
    again = import_file(v1, store=store, source="hightech")
    assert again.noop and again.batch_id == r1.batch_id and len(list_batches(store)) == 1
    v2_rows = [row(i) for i in range(1, 6)]
    v2_rows[0] = row(1, 注册地址="杭州市余杭区文一西路969号")
    v2_rows.append(row(9))
    r2 = import_file(write_csv(tmp_path / "v2.csv", v2_rows), store=store, source="hightech")
    assert (r2.added, r2.changed, r2.removed, r2.unchanged, r2.previous_batch_id) == (1, 1, 1, 4, r1.batch_id)
    assert codes_in(store) == {code(i) for i in (1, 2, 3, 4, 5, 9)}
    assert store.fetchone("SELECT count(*) FROM enterprise_record") == (12,)
    p = get_enterprise(code(1), store)
    assert p["current"] and p["source"]["batch_id"] == r2.batch_id and p["source"]["source_row"] == 2
    assert [h["batch_id"] for h in p["history"]] == [r1.batch_id, r2.batch_id]
    assert "address" in p["history"][1]["changed_fields"]
    assert p["geography"]["map_unit_2019"] == "330110" and p["geography"]["method"] in ("address", "street")
    assert p["registration"]["capital_wan"] == 101.0 and p["registration"]["uscc_verdict"]["valid"]
    gone = get_enterprise(code(0), store)
    assert gone["current"] is False
    with pytest.raises(NotFoundError):
        get_enterprise(code(77), store)
    # another list overlapping the first: the newest batch wins for shared codes, the rest stays
    r3 = import_file(
        write_csv(tmp_path / "other.csv", [row(9, 注册资本="999万元")]), store=store, source="other"
    )
    assert r3.added == 1 and codes_in(store) == {code(i) for i in (1, 2, 3, 4, 5, 9)}
    assert store.fetchone("SELECT capital_wan, batch_id FROM enterprise WHERE uscc = ?", [code(9)]) == (
        999.0,
        r3.batch_id,
    )
    # back to the previous list identical to its first version: not a no-op, a new version
    r4 = import_file(v1, store=store, source="hightech")
    assert not r4.noop and (r4.added, r4.removed, r4.changed) == (1, 1, 1)


def test_search_by_name_initials_and_code(tmp_path: Path, store: Store) -> None:
    rows = [row(i) for i in range(4)] + [row(4, 企业名称="杭州融达票证印刷有限公司")]
    import_file(write_csv(tmp_path / "s.csv", rows), store=store)
    assert [i["uscc"] for i in search("融达", store)["items"]] == [code(4)]
    assert [i["uscc"] for i in search("hzrd", store)["items"]] == [code(4)]
    assert [i["uscc"] for i in search(code(2)[:16], store)["items"]] == [code(2)]
    assert search(code(2).lower(), store)["items"][0]["uscc"] == code(2)
    page = search("测试", store, limit=2, offset=1)
    assert page["total"] == 4 and len(page["items"]) == 2
    assert search("测试", store, district="330108")["total"] == 1  # 滨江区
    assert search("%", store)["total"] == 0


# ---- mapping, Parquet, exports, quarantine export ---------------------------------------------------------


def test_mapping_file_parquet_and_exports(tmp_path: Path, store: Store) -> None:
    p = write_csv(
        tmp_path / "odd.csv",
        [row(i) for i in range(4)],
        header=["企业名字", "代码", "开业", "资本", "业务", "住址"],
    )
    with pytest.raises(InputError, match="no recognisable header"):
        import_file(p, store=store)
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {
                "企业名字": "name",
                "代码": "uscc",
                "开业": "registered_on",
                "资本": "capital",
                "业务": "business_scope",
                "住址": "address",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    r = import_file(p, store=store, mapping=mapping)
    assert r.rows_loaded == 4 and r.column_map["住址"] == "address"
    out = {fmt: export(tmp_path / f"reg.{fmt}", fmt, store) for fmt in ("csv", "parquet", "xlsx")}
    import openpyxl
    import pyarrow.parquet as pq

    assert pq.read_table(out["parquet"]).num_rows == 4
    wb = openpyxl.load_workbook(out["xlsx"], read_only=True)
    assert sum(1 for _ in wb.active.iter_rows()) == 5  # type: ignore[union-attr]
    with pytest.raises(InputError, match="not supported"):
        export(tmp_path / "reg.json", None, store)
    # the exported Parquet is itself an importable list
    back = import_file(out["parquet"], store=store, source="roundtrip")
    assert (back.format, back.rows_loaded) == ("parquet", 4)
    # … whose records compare equal to the ones it was exported from (the new list's rows are not changes)
    fields = ", ".join(c for c in COMPARED if c != "synthetic")
    same = f"SELECT uscc, row({fields}) FROM enterprise_record WHERE batch_id = ? ORDER BY uscc"
    assert store.fetchall(same, [back.batch_id]) == store.fetchall(same, [r.batch_id])


def test_quarantine_export_xlsx(tmp_path: Path, store: Store) -> None:
    rows = [row(0), row(1, 统一社会信用代码="bad"), row(2), row(2, 注册资本="1万元")]
    r = import_file(write_csv(tmp_path / "q.csv", rows), store=store)
    path = export_quarantine(r.batch_id, tmp_path / "q.xlsx", store)
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["隔离行 quarantined", "警告 warnings", "冲突重复 conflicts"]
    held = [list(x) for x in wb["隔离行 quarantined"].iter_rows(values_only=True)]
    assert [x[0] for x in held[1:]] == [3, 4, 5]
    assert held[1][2] == "uscc_malformed" and "企业名称" in held[0]
    side = [list(x) for x in wb["冲突重复 conflicts"].iter_rows(values_only=True)]
    assert side[0][0].startswith("统一社会信用代码 " + code(2)) and [x[0] for x in side[2:4]] == [4, 5]


# ---- the CLI end to end -----------------------------------------------------------------------------------


def test_cli_import_show_search_quarantine(run_ib: Any, tmp_path: Path) -> None:
    p = write_csv(
        tmp_path / "名单.csv",
        [row(i) for i in range(3)] + [row(3, 统一社会信用代码="123")],
        encoding="gb18030",
    )
    res = run_ib("registry", "import", p, "--source", "demo", "--json")
    assert res.returncode == 0, res.stderr
    rep = res.json()
    assert (rep["encoding"], rep["rows_read"], rep["rows_loaded"], rep["rows_quarantined"]) == (
        "gb18030",
        4,
        3,
        1,
    )
    assert rep["quarantine_reasons"] == {"uscc_malformed": 1}
    human = run_ib("registry", "import", p, "--source", "demo")
    assert human.returncode == 0 and "未做任何更改" in human.stdout
    show = run_ib("registry", "show", code(1), "--json")
    assert show.returncode == 0 and show.json()["name"] == "杭州测试1号科技有限公司"
    assert run_ib("registry", "show", code(1)).stdout.count("杭州测试1号科技有限公司") >= 1
    missing = run_ib("registry", "show", code(55))
    assert missing.returncode == 2 and "no enterprise" in missing.stderr
    assert run_ib("registry", "search", "csyh", "--json").json()["total"] == 0
    assert run_ib("registry", "search", "测试", "--json").json()["total"] == 3
    held = run_ib("registry", "quarantine", "--json").json()
    assert [(h["source_row"], h["code"]) for h in held] == [(5, "uscc_malformed")]
    assert "第5行" in run_ib("registry", "quarantine").stdout
    xlsx = tmp_path / "held.xlsx"
    assert run_ib("registry", "quarantine", "1", "--export", xlsx).returncode == 0 and xlsx.exists()
    verdicts = run_ib("registry", "uscc", "91350100M000100Y43", "91350100M000100Y44", "123", "--json").json()
    assert [v["valid"] for v in verdicts] == [True, False, False]
    assert [v["well_formed"] for v in verdicts] == [True, True, False]
    text = run_ib("--lang", "en", "registry", "uscc", "91350100M000100Y44").stdout
    assert "check character (position 18) is '4', GB 32100-2015 gives '3'" in text
    out = tmp_path / "all.csv"
    assert run_ib("registry", "export", "--format", "csv", "--out", out).returncode == 0
    assert out.read_text(encoding="utf-8").count("\n") == 4
    assert run_ib("registry", "batches", "--json").json()[0]["source"] == "demo"
    assert run_ib("registry", "duplicates", "--json").returncode == 0


# ---- an import scoped to some units (a district officer's upload) ------------------------------------------


def test_allowed_units_refuse_the_whole_file_when_a_row_lies_elsewhere(tmp_path: Path, store: Store) -> None:
    from industry_brain._core.errors import PermissionDeniedError

    own = write_csv(tmp_path / "binjiang.csv", [row(1), row(7)])  # both 滨江区
    first = import_file(own, store=store, source="bj", allowed_units=["330108"])
    assert first.rows_loaded == 2
    before = {
        t: store.fetchone(f"SELECT count(*) FROM {t}")
        for t in ("import_batch", "enterprise_record", "enterprise", "quarantine", "duplicate_review")
    }
    rows = [
        row(1),
        row(2),
        row(3, 统一社会信用代码="bad"),
        row(8),
        row(9),
        row(4, 注册地址="某某路1号", 统一社会信用代码=code(4, "330100")),
    ]
    mixed = write_csv(tmp_path / "mixed.csv", rows)
    with pytest.raises(PermissionDeniedError) as exc:
        import_file(mixed, store=store, source="bj", allowed_units=["330108"])
    err = exc.value
    assert (err.http_status, err.exit_code, err.code) == (403, 4, "permission_denied")
    msg = err.message
    # rows 3 and 5 (余杭区), 6 (萧山区), 7 (unplaced); row 4 (萧山区, malformed code) would not load: not counted
    assert "330110 余杭区: 2 rows (rows 3, 5)" in msg and "330109 萧山区: 1 row (row 6)" in msg
    assert "unplaced" in msg and "row 7" in msg and "330108" in msg and "Nothing was written" in msg
    assert err.details["rows"] == 4 and err.details["first_rows"] == [3, 5, 6, 7]
    assert {u["map_unit_2019"] for u in err.details["foreign_units"]} == {"330110", "330109", None}
    after = {t: store.fetchone(f"SELECT count(*) FROM {t}") for t in before}
    assert after == before and len(list_batches(store)) == 1
    # the same file is accepted when every unit it touches is allowed; either map's codes are accepted
    ok = write_csv(tmp_path / "ok.csv", [row(1), row(2), row(3, 统一社会信用代码="bad"), row(8)])
    r = import_file(ok, store=store, source="bj", allowed_units=("330108", "330110"))
    assert (r.rows_loaded, r.rows_quarantined) == (3, 1)


def test_allowed_units_accept_codes_of_either_map(tmp_path: Path, store: Store) -> None:
    from industry_brain._core.errors import PermissionDeniedError

    rows = [row(0, 注册地址="杭州市江干区采荷路19号"), row(1, 注册地址="杭州市江干区下沙街道6号大街")]
    p = write_csv(tmp_path / "jianggan.csv", rows)
    # 2019: 江干区 and 钱塘新区 (QTXQ); 2021: 上城区 and 钱塘区
    for allowed in (["330104", "qtxq"], ["330102", "330114"], ["330104", "330114"]):
        r = import_file(p, store=store, source="-".join(allowed), allowed_units=allowed)
        assert r.rows_loaded == 2, allowed
    with pytest.raises(PermissionDeniedError, match="钱塘新区"):
        import_file(p, store=store, source="only-jianggan", allowed_units=["330104"])
    with pytest.raises(PermissionDeniedError, match="refused"):
        import_file(p, store=store, source="none", allowed_units=[])


# ---- classification as a later step ----------------------------------------------------------------------


def test_import_without_classification_then_classify_batch(tmp_path: Path, store: Store, run_ib: Any) -> None:
    from industry_brain.registry import classify_batch

    rows = [row(i) for i in range(10)]
    header = [*HEADER, "技术领域"]
    rows = [[*r, "电子信息" if i == 2 else ("火星技术" if i == 3 else "")] for i, r in enumerate(rows)]
    p = write_csv(tmp_path / "fields.csv", rows, header=header)
    at_once = open_store(tmp_path / "at_once.duckdb")
    want = import_file(p, store=at_once)
    cols = (
        "uscc, field_l1, field_l2, field_l3, field_method, field_confidence, field_phrases, future_industries"
    )
    expected = at_once.fetchall(f"SELECT {cols} FROM enterprise ORDER BY uscc")
    expected_warnings = q(at_once, want.batch_id)
    at_once.close()

    later = import_file(p, store=store, classify=False)
    assert not later.classified and later.fields["inferred_share"] == 0.0
    assert {r[0] for r in store.fetchall("SELECT DISTINCT field_method FROM enterprise")} == {"none"}
    done = classify_batch(store=store)
    assert [d["batch_id"] for d in done] == [later.batch_id] and done[0]["rows"] == 10
    assert store.fetchall(f"SELECT {cols} FROM enterprise ORDER BY uscc") == expected
    assert store.fetchall(f"SELECT {cols} FROM enterprise_record ORDER BY uscc") == expected
    assert q(store, later.batch_id) == expected_warnings
    assert (5, "field", "field_unknown", "warning") in expected_warnings  # row 3 → file row 5
    assert done[0]["fields"] == want.fields
    assert classify_batch(store=store) == []  # nothing left to do
    with pytest.raises(NotFoundError):
        classify_batch(99, store=store)
    # the CLI: import without classifying is not offered to users; the classify step reports its batches
    res = run_ib("registry", "classify", "--json")
    assert res.returncode == 0 and res.json() == []


# ---- large files, crashes, the real register ---------------------------------------------------------------

_MEASURE = """
import json, resource, sys
from pathlib import Path
import pyarrow as pa
import industry_brain.registry._readers as readers
readers.CSV_CHUNK_BYTES = 1 << 20  # many chunks: memory must not grow with their number
from industry_brain._core.store import open_store
from industry_brain.registry import import_file
with open_store(Path(sys.argv[2])) as st:
    st.execute("SET memory_limit = '256MB'")  # DuckDB's page cache, which would otherwise keep what it wrote
    r = import_file(Path(sys.argv[1]), store=st)
print(json.dumps({"read": r.rows_read, "loaded": r.rows_loaded, "quarantined": r.rows_quarantined,
                  "arrow_peak_mib": pa.default_memory_pool().max_memory() / 2**20,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _varied_rows(n: int) -> list[list[str]]:
    out = []
    for i in range(n):
        r = row(i, 注册地址=f"杭州市{STREETS[i % 6][0]}{STREETS[(i // 6) % 6][1]}{i % 977 + 1}号{i % 31}幢")
        if i % 1000 == 7:
            r = row(i, 统一社会信用代码="not-a-code")
        out.append(r)
    return out


def _import_in_child(csv_path: Path, db: Path) -> dict[str, Any]:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(csv_path), str(db)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.slow
def test_a_100k_row_file_imports_with_bounded_memory(tmp_path: Path) -> None:
    small = write_csv(tmp_path / "small.csv", _varied_rows(30_000))
    big = write_csv(tmp_path / "big.csv", _varied_rows(100_000))
    s = _import_in_child(small, tmp_path / "small.duckdb")
    b = _import_in_child(big, tmp_path / "big.duckdb")
    assert (b["read"], b["quarantined"]) == (100_000, 100) and b["loaded"] + b["quarantined"] == b["read"]
    # over three times the rows, 25 chunks of 1 MiB instead of 8: the columns in memory are the few chunks in
    # flight, whatever the file's size (the whole file as Arrow columns would be over 50 MiB)
    assert b["arrow_peak_mib"] < 24 and b["arrow_peak_mib"] < s["arrow_peak_mib"] + 6, (s, b)
    assert b["rss_mib"] < s["rss_mib"] + 256, (s, b)  # DuckDB's cache is held to its memory_limit
    with open_store(tmp_path / "big.duckdb") as st:
        assert st.fetchone("SELECT count(*), count(DISTINCT uscc) FROM enterprise") == (99_900, 99_900)
        assert st.fetchone("SELECT count(*) FROM quarantine WHERE code = 'uscc_malformed'") == (100,)


@pytest.mark.slow
def test_a_killed_import_leaves_the_register_as_it_was(tmp_path: Path, ib_home: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    first = write_csv(tmp_path / "first.csv", [row(i) for i in range(5)])
    env = {**os.environ, "IB_HOME": str(ib_home)}
    ib = [sys.executable, "-m", "industry_brain", "registry", "import"]
    assert (
        subprocess.run(
            [*ib, str(first), "--source", "list"], env=env, capture_output=True, check=False
        ).returncode
        == 0
    )
    db = ib_home / "industry_brain.duckdb"
    big = write_csv(tmp_path / "second.csv", _varied_rows(200_000))
    killed = False
    for _ in range(3):  # kill while rows are being written: the file or its log grows past the first import
        before = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
        proc = subprocess.Popen(
            [*ib, str(big), "--source", "list"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        while proc.poll() is None:
            if sum(p.stat().st_size for p in db.parent.glob(db.name + "*")) > before + (1 << 20):
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.01)
        proc.wait()
        if proc.returncode == -signal.SIGKILL:
            killed = True
            break
    assert killed, "the import finished before it could be killed"
    with open_store(db) as st:
        assert [b["source"] for b in list_batches(st)] == ["list"]
        assert st.fetchone("SELECT count(*) FROM enterprise") == (5,)
        assert st.fetchone("SELECT count(*) FROM enterprise_record") == (5,)
        assert st.fetchone("SELECT count(*) FROM quarantine") == (0,)
    # and the next import works
    again = subprocess.run(
        [*ib, str(first), "--source", "other", "--json"], env=env, capture_output=True, text=True, check=False
    )
    assert again.returncode == 0 and json.loads(again.stdout)["rows_loaded"] == 5


def test_a_failure_mid_import_rolls_everything_back(tmp_path: Path, store: Store) -> None:
    import_file(write_csv(tmp_path / "one.csv", [row(i) for i in range(3)]), store=store, source="s")
    counts = {
        t: store.fetchone(f"SELECT count(*) FROM {t}")
        for t in ("import_batch", "enterprise_record", "enterprise", "quarantine", "duplicate_review")
    }

    def boom(n: int) -> None:
        raise RuntimeError("disk full")

    rows = [*_varied_rows(40), row(0), row(0, 注册地址="别处")]
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(write_csv(tmp_path / "two.csv", rows), store=store, source="s", progress=boom)
    assert {t: store.fetchone(f"SELECT count(*) FROM {t}") for t in counts} == counts


def test_unreadable_bytes_deep_in_a_file_roll_back_with_the_row(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from industry_brain._core.errors import ParseError
    from industry_brain.registry import _readers

    import_file(write_csv(tmp_path / "one.csv", [row(i) for i in range(3)]), store=store, source="s")
    before = store.fetchall("SELECT batch_id, uscc, source_row FROM enterprise_record ORDER BY ALL")
    # the encoding is told from the file's start; the bad bytes come chunks after it
    monkeypatch.setattr(_readers, "CSV_CHUNK_BYTES", 4096)
    monkeypatch.setattr(_readers, "_HEAD_BYTES", 4096)
    p = write_csv(tmp_path / "gb.csv", [row(i) for i in range(400)], encoding="gb18030")
    p.write_bytes(p.read_bytes() + b"\x81\x30\xff\xff,not gb18030\n")
    with pytest.raises(ParseError, match="unreadable bytes near row") as err:
        import_file(p, store=store, source="s")
    assert err.value.details["row"] > 300 and err.value.details["file"] == str(p)
    assert store.fetchall("SELECT batch_id, uscc, source_row FROM enterprise_record ORDER BY ALL") == before
    assert store.fetchone("SELECT count(*) FROM import_batch") == (1,)
    assert store.fetchone("SELECT count(*) FROM quarantine") == (0,)


@pytest.mark.realdata
@pytest.mark.slow
def test_the_real_register(tmp_path: Path, store: Store) -> None:
    from tests.conftest import REAL_REGISTRATIONS

    r = import_file(REAL_REGISTRATIONS, store=store, source="hangzhou")
    assert r.rows_read == 30_426 and r.rows_loaded + r.rows_quarantined == r.rows_read
    assert r.geo["placed_share"] >= 0.98
    assert set(r.geo["methods"]) <= {"declared", "address", "street", "gazetteer", "authority-code", "none"}
    # most registered firms are ordinary trades: a high-tech field is inferred for a minority of them
    assert 0.1 < r.fields["inferred_share"] < 0.6 and r.fields["methods"]["inferred"]["rows"] > 3000
    held = store.fetchone("SELECT count(*) FROM enterprise")
    assert held is not None and held[0] == r.records_loaded
    # every capital is read, old currencies included (50(万法国法郎)); what still warns is not an amount at all
    # (two persons' names in Latin letters that landed in the capital column)
    bad = store.execute("SELECT value FROM quarantine WHERE field = 'capital'").fetchall()
    assert len(bad) == 2 and all(v.replace(" ", "").isalpha() and v.isascii() for (v,) in bad), bad
    frf = store.fetchone(
        "SELECT count(*), min(capital_wan_cny / capital_wan) FROM enterprise WHERE capital_currency = 'FRF'"
    )
    assert frf is not None and frf[0] == 1 and abs(frf[1] - 7.8205 / 6.55957) < 1e-6
    unconverted = store.fetchone(
        "SELECT count(*) FROM enterprise WHERE capital_wan IS NOT NULL AND capital_wan_cny IS NULL"
    )
    assert unconverted == (0,)
    again = import_file(REAL_REGISTRATIONS, store=store, source="hangzhou")
    assert again.noop and len(list_batches(store)) == 1


def test_many_small_chunks_give_the_same_register_and_the_first_foreign_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from industry_brain._core.errors import PermissionDeniedError
    from industry_brain.registry import _readers

    rows = [
        *_varied_rows(3000),
        row(5),
        row(5, 注册地址="杭州市西湖区文三路1号"),
    ]  # code 5 three times: conflict
    p = write_csv(tmp_path / "chunks.csv", rows)
    cols = "source_row, uscc, name, name_norm, name_initials, registered_on, map_unit_2019, geo_method"
    with open_store(tmp_path / "one.duckdb") as st:
        whole = import_file(p, store=st)
        want = st.fetchall(f"SELECT {cols} FROM enterprise ORDER BY source_row")
        want_q = q(st, whole.batch_id)
    monkeypatch.setattr(_readers, "CSV_CHUNK_BYTES", 4096)  # ~30 rows a chunk, validated by two workers
    with open_store(tmp_path / "many.duckdb") as st:
        split = import_file(p, store=st)
        assert st.fetchall(f"SELECT {cols} FROM enterprise ORDER BY source_row") == want
        assert q(st, split.batch_id) == want_q
        assert (split.rows_read, split.rows_loaded, split.duplicate_conflicts) == (3002, 2996, 1)
        with pytest.raises(PermissionDeniedError) as exc:
            import_file(p, store=st, source="scoped", allowed_units=["330106", "330108", "330110"])
    # the file's rows outside 西湖/滨江/余杭 start at row 5 (萧山区), 6 (上城区), 7 (拱墅区), 11, 12
    assert exc.value.details["first_rows"] == [5, 6, 7, 11, 12]
    assert {u["map_unit_2019"]: u["first_rows"][0] for u in exc.value.details["foreign_units"]} == {
        "330109": 5,
        "330102": 6,
        "330105": 7,
    }
