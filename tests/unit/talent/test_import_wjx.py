"""问卷星 exports and tidy CSV written here by hand, with broken rows, each with its asserted outcome.

One export of the 2018 Hangzhou survey is written in both of 问卷星's modes (按选项文本 / 按选项序号) and both file
types (CSV with a BOM / XLSX): the metadata columns (序号, 提交答卷时间, 所用时间, 来源, 来源详情, 来自IP), multiple choice
as ``┋``-joined cells, a matrix (sub-fields by horizon), ``(跳过)`` / ``(空)`` (and ``-3`` in number mode), an
"other" option with its 〖text〗, and rows that must be quarantined or warned about. A second export carries a
multiple-choice question as one 0/1 column per option. Every row is synthetic.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import Store, open_store
from industry_brain.registry import import_file as import_register
from industry_brain.registry import make_uscc
from industry_brain.talent import batch_problems, import_responses, list_batches, load_survey, read_responses
from industry_brain.talent._responses import tidy_rows

IP = "115.236.12.34(浙江-杭州)"
USCC_A = make_uscc("9", "1", "330106", "MA000001")  # 杭州智元科技有限公司, in the register
USCC_B = make_uscc("9", "1", "330108", "MA000002")  # well-formed, not in the register
TRAINING_SHORT = "开展相关课程短期培训（三个月以内）"
TRAINING_LECTURES = "举办相关专业讲座"


@dataclass(frozen=True)
class C:
    """A cell that differs between the two export modes."""

    text: str
    number: str | int


HEADER = [
    "序号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来源详情",
    "来自IP",
    "1、企业名称",
    "2、统一社会信用代码",
    "3、企业所属未来产业领域",
    "4、企业人员规模",
    "6、企业性质",
    "10、员工总数（人）",
    "11、其中相关专业人才人数（人）",
    "14、企业专业人才培养方式（多选）",
    "15、未来一年内企业对紧缺专业人才的需求量将",
    "16(语音识别)",
    "16(自然语言处理)",
    "19、希望政府在人才工作方面提供的帮助（多选）",
    "21、成立行业人才协会的需求",
]
AI, BIO = C("人工智能", 1), C("生物技术和生命科学", 2)
LT100, H100 = C("100人以下", 1), C("100-499人", 2)
PRIVATE, STATE = C("民营企业", 2), C("国有及国有控股企业", 1)
INCREASE, SAME = C("增加", 1), C("不变", 2)
URGENT, MODERATE = C("较为紧迫", 3), C("一般", 2)
TRAINING = C(f"{TRAINING_SHORT}┋{TRAINING_LECTURES}", "1┋3")
Y1_3 = C("未来1-3年", 1)
Y1_5 = C("未来1-3年┋未来3-5年", "1┋2")
SKIP = C("(跳过)", "-3")
PUBLICITY = C("加强人才政策宣传力度", 1)


def meta(rid: str, minute: int) -> list[Any]:
    return [rid, f"2018/9/3 10:{minute:02d}:13", f"{100 + minute}秒", "微信", "N/A", IP]


def answers(
    name: str,
    uscc: str = "",
    sector: C = AI,
    size: C | str = LT100,
    ownership: C = PRIVATE,
    staff: str | int = 50,
    professional: str | int = 20,
    training: C | str = TRAINING,
    demand: C = INCREASE,
    speech: C | str = Y1_5,
    nlp: C | str = "(空)",
    help_: C | str = PUBLICITY,
    association: C = URGENT,
) -> list[Any]:
    return [name, uscc, sector, size, ownership, staff, professional, training, demand, speech, nlp, help_,
            association]  # fmt: skip


# (row cells, expected outcome): None = loaded without problems; otherwise the problems of that row as
# {(question_id, code, severity)} and whether the respondent is loaded. ``mode`` picks outcomes that differ.
ROWS: list[tuple[list[Any], dict[str, Any]]] = [
    (meta("1", 1) + answers("杭州智元科技有限公司", USCC_A, help_=C("其他〖人才公寓〗", "6〖人才公寓〗")),
     {"loaded": True, "problems": set()}),
    (meta("2", 2) + answers("杭州生源生物技术有限公司", "", BIO, H100, STATE, 300, 120, "(空)", SAME, SKIP, SKIP,
                            association=MODERATE),
     {"loaded": True, "problems": {("training", "required_missing", "warning")}}),
    (meta("3", 3) + answers("杭州三号智能有限公司", ownership=C("集体企业", 9)),
     {"loaded": True, "problems": {"text": {("ownership", "option_unknown", "error")},
                                   "number": {("ownership", "option_out_of_range", "error")}}}),
    (meta("4", 4) + answers("杭州四号智能有限公司", association=C("非常紧迫", 5)),
     {"loaded": True, "problems": {"text": {("need_association", "option_unknown", "error")},
                                   "number": {("need_association", "option_out_of_range", "error")}}}),
    (meta("5", 5) + answers("杭州五号智能有限公司", size="(空)"),
     {"loaded": True, "problems": {("headcount", "required_missing", "warning")}}),
    (meta("6", 6) + answers("杭州六号智能有限公司", staff="五十人"),
     {"loaded": True, "problems": {("staff_total", "number_malformed", "error")}}),
    (meta("7", 7) + answers("杭州七号链科有限公司", sector=C("区块链", 3)),
     {"loaded": False, "problems": {"text": {("sector", "option_unknown", "error"), ("sector", "sector_missing", "error")},
                                    "number": {("sector", "option_out_of_range", "error"),
                                               ("sector", "sector_missing", "error")}}}),
    (meta("1", 8) + answers("杭州重复科技有限公司"),
     {"loaded": False, "problems": {(None, "respondent_duplicate", "error")}}),
    (meta("", 9) + answers("杭州无序号科技有限公司"),
     {"loaded": False, "problems": {(None, "respondent_id_missing", "error")}}),
    (meta("10", 10) + answers("杭州十号智能有限公司", staff=30, professional=45),
     {"loaded": True, "problems": {("staff_professional", "number_exceeds", "error")}}),
    (meta("11", 11) + answers("杭州十一号生物有限公司", sector=BIO, speech=Y1_3, nlp=SKIP),
     {"loaded": True, "problems": {("ai_subfields", "answer_not_applicable", "error")}}),
    (meta("12", 12) + answers("杭州十二号智能有限公司", "91330106MA2XXXXXX0"),
     {"loaded": True, "problems": {("uscc", "uscc_malformed", "warning")}}),
    (meta("13", 13) + ["(空)", "(空)", AI] + ["(空)"] * 10,
     {"loaded": False, "problems": {(None, "row_empty", "error")}}),
    (meta("14", 14) + answers("杭州十四号智能有限公司", USCC_B, staff=0, professional=0),
     {"loaded": True, "problems": {("staff_total", "number_out_of_range", "error")}}),
]  # fmt: skip
ROW_IDS = ["1", "2", "3", "4", "5", "6", "7", "1", "", "10", "11", "12", "13", "14"]


def expected(i: int, mode: str) -> tuple[bool, set[tuple[str | None, str, str]]]:
    outcome = ROWS[i][1]
    problems = outcome["problems"]
    return outcome["loaded"], problems[mode] if isinstance(problems, dict) else problems


def cell(value: Any, mode: str, kind: str) -> Any:
    if isinstance(value, C):
        value = value.text if mode == "text" else value.number
    if kind == "xlsx" and isinstance(value, str) and value.isdigit():
        return int(value)  # 问卷星's xlsx holds numbers as numbers
    return str(value) if kind == "csv" else value


def write_export(
    path: Path, mode: str, rows: list[list[Any]] | None = None, header: list[str] | None = None
) -> Path:
    rows = [r for r, _ in ROWS] if rows is None else rows
    header = header or HEADER
    kind = path.suffix.lstrip(".")
    if kind == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for r in rows:
                w.writerow([cell(v, mode, kind) for v in r])
    else:
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "Sheet1"
        ws.append(header)
        for r in rows:
            out = [cell(v, mode, kind) for v in r]
            out[1] = datetime.strptime(str(out[1]), "%Y/%m/%d %H:%M:%S")  # a real date cell
            ws.append(out)
        wb.save(path)
    return path


@pytest.fixture
def store(ib_home: Path) -> Store:
    s = open_store()
    yield s  # type: ignore[misc]
    s.close()


def _problem_set(problems: list[dict[str, Any]], rid: str | None, source_row: int) -> set[tuple[Any, ...]]:
    return {
        (p["question_id"], p["code"], p["severity"])
        for p in problems
        if p["source_row"] == source_row and (p["respondent_id"] or "") == (rid or "")
    }


# ------------------------------------------------------------------------------------------------ outcomes
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("mode", ["text", "number"])
def test_every_row_has_its_asserted_outcome(store: Store, tmp_path: Path, mode: str, kind: str) -> None:
    path = write_export(tmp_path / f"导出_{mode}.{kind}", mode)
    result = import_responses(store, path, "hangzhou-2018")
    assert result["already_imported"] is False
    assert result["layout"] == "wjx" and result["answer_mode"] == mode and result["file_format"] == kind
    assert result["multiple_layout"] == "joined"
    bid = result["batch_id"]
    loaded_ids = {
        r[0] for r in store.fetchall("SELECT respondent_id FROM talent_respondent WHERE batch_id = ?", [bid])
    }
    for i, rid in enumerate(ROW_IDS):
        source_row = i + 2
        loaded, problems = expected(i, mode)
        got = _problem_set(result["problems"], rid, source_row)
        assert got == problems, f"row {source_row} (序号 {rid!r})"
        if loaded:
            assert rid in loaded_ids, f"row {source_row} should load"
        elif rid and rid != "1":
            assert rid not in loaded_ids, f"row {source_row} should be quarantined"
    # the stored quarantine is the same list, in both languages, by row and question
    with pytest.raises(NotFoundError):
        batch_problems(store, bid + 1)
    stored = batch_problems(store, bid)
    assert len(stored) == len(result["problems"])
    assert all(p["message_zh"] and p["message_en"] for p in stored)
    unknown = next(p for p in stored if p["question_id"] == "ownership")
    assert (
        unknown["respondent_id"] == "3"
        and unknown["source_row"] == 4
        and unknown["value"] in ("集体企业", "9")
    )


@pytest.mark.parametrize("mode", ["text", "number"])
def test_nothing_read_is_lost(store: Store, tmp_path: Path, mode: str) -> None:
    result = import_responses(store, write_export(tmp_path / "x.csv", mode), "hangzhou-2018")
    assert result["rows_read"] == len(ROWS)
    assert result["respondents_loaded"] == 10
    assert result["respondents_quarantined"] == 4
    assert result["respondents_loaded"] + result["respondents_quarantined"] == result["rows_read"]
    bid = result["batch_id"]
    stored = store.fetchone("SELECT count(*) FROM talent_respondent WHERE batch_id = ?", [bid])
    assert stored == (10,)
    quarantined_rows = store.fetchall(
        "SELECT source_row, raw FROM talent_quarantine WHERE batch_id = ? AND scope = 'respondent'", [bid]
    )
    assert sorted(r[0] for r in quarantined_rows) == [8, 9, 10, 14]
    for _, raw in quarantined_rows:  # the row as read is kept with its problem …
        assert json.loads(raw)["1、企业名称"]
    # … and every answer-level error belongs to a loaded respondent whose other answers are there
    for rid, qid in store.fetchall(
        "SELECT respondent_id, question_id FROM talent_quarantine WHERE batch_id = ? AND scope = 'answer' "
        "AND severity = 'error' AND respondent_id IN (SELECT respondent_id FROM talent_respondent WHERE batch_id = ?)",
        [bid, bid],
    ):
        got = store.fetchone(
            "SELECT count(*) FILTER (WHERE question_id = ?), count(*) FROM talent_answer "
            "WHERE batch_id = ? AND respondent_id = ?",
            [qid, bid, rid],
        )
        assert got is not None and got[0] == 0 and got[1] > 5, (rid, qid)


def test_the_ip_column_is_never_stored(store: Store, tmp_path: Path, ib_home: Path) -> None:
    result = import_responses(store, write_export(tmp_path / "x.xlsx", "text"), "hangzhou-2018")
    assert IP not in json.dumps(result, ensure_ascii=False, default=str)
    for table in ("talent_batch", "talent_respondent", "talent_answer", "talent_quarantine"):
        dump = json.dumps(store.records(f"SELECT * FROM {table}"), ensure_ascii=False, default=str)
        assert "115.236.12.34" not in dump, table
    store.execute("CHECKPOINT")
    assert b"115.236.12.34" not in Path(store.path).read_bytes()  # type: ignore[arg-type]


def test_metadata_columns_are_read(store: Store, tmp_path: Path) -> None:
    bid = import_responses(store, write_export(tmp_path / "x.xlsx", "number"), "hangzhou-2018")["batch_id"]
    r = store.records("SELECT * FROM talent_respondent WHERE batch_id = ? AND respondent_id = '2'", [bid])[0]
    assert r["submitted_at"] == datetime(2018, 9, 3, 10, 2, 13)
    assert r["duration_s"] == 102 and r["channel"] == "微信" and r["channel_detail"] == "N/A"
    assert r["sector"] == "bio" and r["firm_name"] == "杭州生源生物技术有限公司" and r["source_row"] == 3
    assert r["uscc"] is None


@pytest.mark.parametrize("mode", ["text", "number"])
def test_answers_are_stored_in_long_form(store: Store, tmp_path: Path, mode: str) -> None:
    bid = import_responses(store, write_export(tmp_path / "x.csv", mode), "hangzhou-2018")["batch_id"]

    def ans(rid: str, qid: str) -> list[tuple[Any, ...]]:
        return store.fetchall(
            "SELECT item, status, option_key, option_code, value_num, value_text FROM talent_answer "
            "WHERE batch_id = ? AND respondent_id = ? AND question_id = ? ORDER BY item, option_code",
            [bid, rid, qid],
        )

    assert ans("1", "training") == [
        ("", "answered", "short_course", 1, None, None),
        ("", "answered", "lectures", 3, None, None),
    ]
    assert ans("1", "ai_subfields") == [
        ("ai01", "answered", "y1_3", 1, None, None),
        ("ai01", "answered", "y3_5", 2, None, None),
        ("ai04", "empty", None, None, None, None),
    ]
    assert ans("1", "gov_help") == [("", "answered", "other", 6, None, "人才公寓")]
    assert ans("1", "need_association") == [("", "answered", "fairly_urgent", 3, 3.0, None)]
    assert ans("1", "staff_total") == [("", "answered", None, None, 50.0, None)]
    assert ans("2", "ai_subfields") == [("ai01", "skipped", None, None, None, None),
                                        ("ai04", "skipped", None, None, None, None)]  # fmt: skip
    assert ans("2", "training") == [("", "empty", None, None, None, None)]
    assert ans("10", "staff_professional") == []  # 45 > 30 staff: quarantined
    assert ans("10", "staff_total") == [("", "answered", None, None, 30.0, None)]


def test_both_modes_load_the_same_answers(store: Store, tmp_path: Path) -> None:
    text = import_responses(store, write_export(tmp_path / "t.csv", "text"), "hangzhou-2018")["batch_id"]
    number = import_responses(store, write_export(tmp_path / "n.xlsx", "number"), "hangzhou-2018")["batch_id"]
    sql = (
        "SELECT respondent_id, question_id, item, status, option_key, value_num, value_text FROM talent_answer "
        "WHERE batch_id = ? ORDER BY ALL"
    )
    assert store.fetchall(sql, [text]) == store.fetchall(sql, [number])


def test_reimport_is_a_no_op(store: Store, tmp_path: Path) -> None:
    path = write_export(tmp_path / "x.csv", "text")
    first = import_responses(store, path, "hangzhou-2018")
    counts = [
        store.fetchone(f"SELECT count(*) FROM {t}")
        for t in ("talent_batch", "talent_answer", "talent_quarantine")
    ]
    again = import_responses(store, path, "hangzhou-2018")
    assert again["already_imported"] is True and again["batch_id"] == first["batch_id"]
    assert again["problems"] == []
    assert [
        store.fetchone(f"SELECT count(*) FROM {t}")
        for t in ("talent_batch", "talent_answer", "talent_quarantine")
    ] == counts
    # the same bytes under another name are the same file
    copy = tmp_path / "copy.csv"
    copy.write_bytes(path.read_bytes())
    assert import_responses(store, copy, "hangzhou-2018")["already_imported"] is True
    assert len(list_batches(store, "hangzhou-2018")) == 1


def test_forced_mode_and_a_wrong_mode(store: Store, tmp_path: Path) -> None:
    path = write_export(tmp_path / "x.csv", "number")
    with pytest.raises(InputError, match="answer mode"):
        import_responses(store, path, "hangzhou-2018", mode="labels")
    # read as text, option numbers are unknown labels: every choice answer is quarantined, nothing is guessed
    result = import_responses(store, path, "hangzhou-2018", mode="text")
    assert result["answer_mode"] == "text"
    assert result["respondents_loaded"] == 0
    assert {p["code"] for p in result["problems"] if p["scope"] == "respondent"} >= {"sector_missing"}


# ------------------------------------------------------------------------------------- 0/1 option columns
OPTION_COLUMNS = [f"14({label})" for label in (
    TRAINING_SHORT, "开展相关课程长期培训（三个月以上）", TRAINING_LECTURES, "参与行业内交流活动", "攻读学历学位", "内部轮岗交流",
)]  # fmt: skip


def test_multiple_choice_as_0_1_columns(store: Store, tmp_path: Path) -> None:
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "3、企业所属未来产业领域", *OPTION_COLUMNS,
              "15、未来一年内企业对紧缺专业人才的需求量将"]  # fmt: skip
    rows = [
        [*meta("1", 1), "人工智能", 1, 0, 1, 0, 0, 0, "增加"],
        [*meta("2", 2), "人工智能", 0, 0, 0, 0, 0, 0, "增加"],  # shown, nothing ticked: required, warned
        [*meta("3", 3), "生物技术和生命科学", *["(跳过)"] * 6, "不变"],
        [*meta("4", 4), "人工智能", 1, 2, 0, 0, 0, 0, "减少"],  # 2 is not a 0/1 value
    ]
    result = import_responses(
        store, write_export(tmp_path / "cols.xlsx", "text", rows, header), "hangzhou-2018"
    )
    assert result["multiple_layout"] == "columns"
    assert result["respondents_loaded"] == 4
    assert [(p["respondent_id"], p["question_id"], p["code"], p["severity"]) for p in result["problems"]] == [
        ("2", "training", "required_missing", "warning"),
        ("4", "training", "binary_invalid", "error"),
    ]
    got = store.fetchall(
        "SELECT respondent_id, status, option_key FROM talent_answer WHERE question_id = 'training' ORDER BY ALL"
    )
    assert got == [("1", "answered", "lectures"), ("1", "answered", "short_course"), ("2", "empty", None),
                   ("3", "skipped", None)]  # fmt: skip


def test_unknown_and_duplicate_columns_refuse_the_file(store: Store, tmp_path: Path) -> None:
    bad = write_export(tmp_path / "bad.csv", "text", [], [*HEADER, "99、问卷里没有的题"])
    with pytest.raises(InputError, match="99、问卷里没有的题"):
        import_responses(store, bad, "hangzhou-2018")
    dup = write_export(tmp_path / "dup.csv", "text", [], [*HEADER, "15、需求量（重复）"])
    with pytest.raises(InputError, match="15、需求量"):
        import_responses(store, dup, "hangzhou-2018")
    assert list_batches(store) == []


def test_a_damaged_or_foreign_file_is_an_input_error(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match="xlsx"):
        import_responses(store, broken, "hangzhou-2018")
    other = tmp_path / "x.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=r"\.pdf"):
        import_responses(store, other, "hangzhou-2018")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        import_responses(store, empty, "hangzhou-2018")


def test_gb18030_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "序号",
                "来自IP",
                "1、企业名称",
                "3、企业所属未来产业领域",
                "15、未来一年内企业对紧缺专业人才的需求量将",
            ]
        )
        w.writerow(["1", IP, "杭州国标科技有限公司", "人工智能", "增加"])
    result = import_responses(store, path, "hangzhou-2018")
    assert result["encoding"] == "gb18030" and result["respondents_loaded"] == 1


# ---------------------------------------------------------------------------------------------- tidy CSV
def write_tidy(path: Path, lines: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["respondent_id", "question", "item", "value"])
        w.writerows(lines)
    return path


def test_tidy_csv(store: Store, tmp_path: Path) -> None:
    path = write_tidy(
        tmp_path / "tidy.csv",
        [
            ["a1", "firm_name", "", "杭州整洁科技有限公司"],
            ["a1", "sector", "", "ai"],  # option key
            ["a1", "headcount", "", "2"],  # option code
            ["a1", "training", "", "短期培训不是标签"],  # unknown label → quarantined
            ["a1", "channels", "", "online"],
            ["a1", "channels", "", "校园招聘"],  # one line per chosen option, labels allowed
            ["a1", "ai_subfields", "ai04", "y1_3┋y5_plus"],
            ["a1", "ai_subfields", "没有这个细分领域", "y1_3"],  # unknown matrix row → quarantined
            ["a1", "no_such_question", "", "1"],  # unknown question → quarantined
            ["a1", "demand_change", "", "增加"],
            ["b2", "sector", "", "bio"],
            ["b2", "demand_change", "", "decrease"],
            ["b2", "staff_total", "", "1,200人"],
            ["", "sector", "", "ai"],  # no respondent id → quarantined
            ["c3", "sector", "", "量子"],  # unknown sector → respondent quarantined
            ["c3", "demand_change", "", "same"],
        ],
    )
    result = import_responses(store, path, "hangzhou-2018")
    assert result["layout"] == "tidy" and result["answer_mode"] == "mixed"
    assert result["respondents_loaded"] == 2 and result["respondents_quarantined"] == 2
    got = {(p["respondent_id"], p["question_id"], p["code"], p["scope"]) for p in result["problems"]}
    assert got == {
        ("a1", "training", "option_unknown", "answer"),
        ("a1", "ai_subfields", "option_unknown", "answer"),
        ("a1", "no_such_question", "question_unknown", "answer"),
        (None, None, "respondent_id_missing", "respondent"),
        ("c3", "sector", "option_unknown", "answer"),
        ("c3", "sector", "sector_missing", "respondent"),
    }
    rows = store.fetchall(
        "SELECT respondent_id, question_id, item, option_key, value_num FROM talent_answer "
        "WHERE status = 'answered' AND question_id <> 'firm_name' ORDER BY ALL"
    )
    assert rows == [
        ("a1", "ai_subfields", "ai04", "y1_3", None),
        ("a1", "ai_subfields", "ai04", "y5_plus", None),
        ("a1", "channels", "", "campus", None),
        ("a1", "channels", "", "online", None),
        ("a1", "demand_change", "", "increase", None),
        ("a1", "headcount", "", "h100_499", None),
        ("a1", "sector", "", "ai", None),
        ("b2", "demand_change", "", "decrease", None),
        ("b2", "sector", "", "bio", None),
        ("b2", "staff_total", "", None, 1200.0),
    ]


def test_wjx_to_tidy_round_trip(store: Store, tmp_path: Path) -> None:
    sv = load_survey("hangzhou-2018")
    parsed = read_responses(sv, write_export(tmp_path / "x.csv", "text"))
    lines = [
        [r["respondent_id"], r["question"], r["item"], r["value"]] for r in tidy_rows(parsed.respondents)
    ]
    back = read_responses(sv, write_tidy(tmp_path / "tidy.csv", lines))
    assert {r.respondent_id for r in back.respondents} == {r.respondent_id for r in parsed.respondents}

    def key(rs: Any) -> list[tuple[Any, ...]]:
        return sorted(
            (
                r.respondent_id,
                a.question_id,
                a.item,
                a.status,
                a.option_key or "",
                a.value_num or 0,
                a.value_text or "",
            )
            for r in rs
            for a in r.answers
        )

    assert key(back.respondents) == key(parsed.respondents)


# ----------------------------------------------------------------------------------- linking to the register
def test_respondents_link_to_the_register_by_credit_code_or_name(store: Store, tmp_path: Path) -> None:
    register = tmp_path / "名录.csv"
    with register.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "注册日期", "注册资本", "经营范围", "注册地址"])
        w.writerow(
            [
                "杭州智元科技股份有限公司",
                USCC_A,
                "2015-03-12",
                "500万元人民币",
                "人工智能软件开发",
                "杭州市西湖区文三路1号",
            ]
        )
        w.writerow(
            [
                "杭州生源生物技术有限公司",
                make_uscc("9", "1", "330108", "MA000003"),
                "2016-05-01",
                "1000万元人民币",
                "生物制品研发",
                "杭州市滨江区江南大道2号",
            ]
        )
        w.writerow(
            [
                "杭州十号智能股份有限公司",
                make_uscc("9", "1", "330110", "MA000004"),
                "2017-01-09",
                "300万元人民币",
                "智能机器人研发",
                "杭州市余杭区文一西路3号",
            ]
        )
    import_register(register, store=store, classify=False)  # fmt: skip
    result = import_responses(store, write_export(tmp_path / "x.csv", "text"), "hangzhou-2018")
    links = dict(
        (rid, (method, code))
        for rid, method, code in store.fetchall(
            "SELECT respondent_id, link_method, enterprise_uscc FROM talent_respondent WHERE batch_id = ?",
            [result["batch_id"]],
        )
    )
    assert links["1"] == ("uscc", USCC_A)  # its credit code, although its name differs in legal form
    assert links["2"] == ("name", make_uscc("9", "1", "330108", "MA000003"))  # exact name, no code given
    assert links["10"] == ("name_norm", make_uscc("9", "1", "330110", "MA000004"))  # 有限公司 vs 股份有限公司
    assert links["14"] == ("none", None)  # a well-formed code that is not in the register
    assert links["12"] == ("none", None)  # malformed code (warned), unknown name
    assert (result["linked_uscc"], result["linked_name"]) == (1, 2)
    assert result["unlinked"] == result["respondents_loaded"] - 3
    reasons = {u["respondent_id"]: u["reason"] for u in result["unmatched"]}
    assert reasons["14"] == "code_not_in_register"
