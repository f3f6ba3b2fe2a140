"""The shipped survey data: the definition is data, rebuilt by its script; the synthetic set by its generator.

A survey other than the shipped one is a YAML file; a malformed one is refused with the place it is wrong.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import ipaddress
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import open_store
from industry_brain.talent import available_surveys, import_responses, load_survey, synthetic_file

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "src" / "industry_brain" / "talent" / "_data"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_definition(shared: Path) -> None:
    build = _script("build_talent_survey")
    src = yaml.safe_load((shared / "reference" / "hangzhou-2019" / "talent_survey.yaml").read_text("utf-8"))
    shipped = yaml.safe_load((DATA / "hangzhou-2018.yaml").read_text("utf-8"))
    published = yaml.safe_load((DATA / "hangzhou-2018-published.yaml").read_text("utf-8"))
    assert shipped["questions"] == build.build_questions(src)  # the committed file is what the script writes
    assert published["figures"] == build.build_published(src)


def test_definition_is_well_formed() -> None:
    assert "hangzhou-2018" in available_surveys()
    sv = load_survey("hangzhou-2018")
    assert sv.role("sector") is not None and sv.role("outlook") is not None
    numbers = [q.number for q in sv.questions]
    assert len(numbers) == len(set(numbers))
    for q in sv.questions:
        assert q.zh and q.en, q.id
        for o in [*q.options, *q.rows]:
            assert o.zh and o.en, (q.id, o.key)
    outlook = sv.role("outlook")
    assert outlook is not None and [(o.code, o.key) for o in outlook.options] == [
        (1, "increase"), (2, "same"), (3, "decrease"),
    ]  # fmt: skip  # the 1/2/3 coding of Table 1
    assert len(sv.question("ai_subfields").rows) == 14  # figure 8
    assert len(sv.question("bio_subfields").rows) == 23  # figure 9


def test_the_shipped_synthetic_set_is_what_the_generator_writes() -> None:
    from industry_brain.talent._synthetic import generate, wjx_table

    sv = load_survey("hangzhou-2018")
    rows = wjx_table(sv, generate(sv, seed=2018), mode="text", multiple="joined")
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    assert ("\ufeff" + buf.getvalue()).encode("utf-8") == synthetic_file().read_bytes()
    assert len(rows) == 1 + 587 + 110
    header = rows[0]
    assert header[:6] == ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    # the IP column (dropped on import) holds only documentation addresses, 192.0.2.0/24 of RFC 5737
    for r in rows[1:]:
        assert ipaddress.ip_address(r[5].split("(")[0]) in ipaddress.ip_network("192.0.2.0/24"), r[5]


def test_a_custom_survey_yaml(tmp_path: Path, ib_home: Path) -> None:
    definition = {
        "id": "pilot-2025",
        "year": 2025,
        "zh": "试点调查",
        "en": "Pilot survey",
        "questions": [
            {"id": "sector", "number": 1, "type": "single", "zh": "领域", "en": "Sector", "role": "sector",
             "options": [{"code": 1, "key": "ai", "zh": "人工智能", "en": "AI"},
                         {"code": 2, "key": "bio", "zh": "生物", "en": "Bio"}]},
            {"id": "demand", "number": 2, "type": "single", "zh": "需求", "en": "Demand", "role": "outlook",
             "options": [{"code": 1, "key": "up", "zh": "增加", "en": "up"},
                         {"code": 2, "key": "flat", "zh": "不变", "en": "flat"},
                         {"code": 3, "key": "down", "zh": "减少", "en": "down"}]},
        ],
    }  # fmt: skip
    path = tmp_path / "pilot.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    sv = load_survey(path)
    assert sv.id == "pilot-2025" and sv.by_number(2).id == "demand"  # type: ignore[union-attr]
    export = tmp_path / "pilot.csv"
    export.write_text("序号,1、领域,2、需求\n1,1,1\n2,2,3\n3,1,2\n", encoding="utf-8")
    with open_store() as store:
        result = import_responses(store, export, sv)
    assert result["answer_mode"] == "number" and result["respondents_loaded"] == 3


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- just a list\n", "mapping"),
        (
            "id: x\nyear: 2020\nzh: x\nen: x\nquestions:\n- {id: a, number: 1, type: single, zh: a, en: a}\n",
            "options",
        ),
        (
            "id: x\nyear: 2020\nzh: x\nen: x\nquestions: [{id: a, number: 1, type: text, zh: a, en: a}]\n",
            "sector",
        ),
        ("id: [unclosed\n", "YAML"),
    ],
)
def test_a_malformed_survey_yaml_is_refused(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=fragment):
        load_survey(path)


def test_an_unknown_survey_is_not_found() -> None:
    with pytest.raises(NotFoundError, match="hangzhou-2018"):
        load_survey("hangzhou-1999")
