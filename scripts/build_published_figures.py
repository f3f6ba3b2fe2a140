"""Build the Hangzhou 2019 published figures that ship with ``atlas``.

Reads ``../shared/reference/hangzhou-2019/`` (the figures of the 杭州未来产业地图 in 《杭州科技》2019年第5期, each
with its Chinese sentence) and ``../shared/seed/`` (the magazine's text, to locate each sentence's line), and
writes ``src/industry_brain/atlas/_data/hangzhou_2019_published.json``: one record per printed statement, with
its measure, unit (2019 map-unit code), field (2016 level-1 code), value, qualifier, printed precision and
sentence.

It also writes ``hangzhou_2019_unit_prior.json``: the reconstruction's prior unit weights, the number of
enterprise registrations per 2019 map unit in the public registration sample ``../shared/data/real/`` (only the
14 aggregate counts are written, never a row). The district is read from the registered address by name, with
钱塘新区 recognised by its streets (下沙 白杨 河庄 义蓬 新湾 临江 前进) and its former names.

Run from the repository root: ``.venv/bin/python scripts/build_published_figures.py``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference" / "hangzhou-2019"
SEED = SHARED / "seed" / "000_934fe733c4218240.txt"
REGISTRATIONS = SHARED / "data" / "real" / "hangzhou_registrations.csv"
OUT = REPO / "src" / "industry_brain" / "atlas" / "_data"

DOCUMENT = "hangzhou-kj-2019-05"
CITY = "330100"

# The 14 units of the 2019 map as printed, to their codes (GB/T 2260 of 2019; 钱塘新区 has no code: QTXQ).
UNIT_CODES = {
    "上城区": "330102",
    "下城区": "330103",
    "江干区": "330104",
    "拱墅区": "330105",
    "西湖区": "330106",
    "滨江（高新）区": "330108",
    "萧山区": "330109",
    "余杭区": "330110",
    "富阳区": "330111",
    "临安区": "330112",
    "桐庐县": "330122",
    "淳安县": "330127",
    "建德市": "330182",
    "钱塘新区": "QTXQ",
}
# Field slugs of the reference files to the 2016 level-1 codes.
FIELD_CODES = {
    "electronic_info": "10",
    "biomed": "20",
    "aerospace": "30",
    "new_materials": "40",
    "high_tech_services": "50",
    "new_energy": "60",
    "resources_env": "70",
    "adv_manufacturing": "80",
}
FIELD_BY_NAME = {
    "电子信息": "10",
    "生物与新医药": "20",
    "航空航天": "30",
    "新材料": "40",
    "高技术服务": "50",
    "新能源与节能": "60",
    "资源与环境": "70",
    "先进制造与自动化": "80",
}
CITY_TOTAL_SENTENCE = "截至2018年底，全市有效“国高企”3785家"
FEW_MAX_SHARE_PCT = 1.0  # how ``unit_few`` (数量较少) is read: the unit holds at most 1 % of the city's total


def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class SeedIndex:
    """Find the line of the magazine where a sentence starts (whitespace-insensitive)."""

    def __init__(self, path: Path) -> None:
        chars: list[str] = []
        lines: list[int] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for ch in line:
                if not ch.isspace():
                    chars.append(ch)
                    lines.append(number)
        self.text = "".join(chars)
        self.lines = lines

    def line_of(self, sentence: str) -> int:
        probe = re.sub(r"\s+", "", sentence)[:40]
        at = self.text.find(probe)
        if at < 0:
            raise SystemExit(f"sentence not found in the magazine: {sentence[:40]!r}")
        return self.lines[at]


def _figure(
    seed: SeedIndex,
    section: str,
    measure: str,
    unit: str,
    field: str | None,
    value: object,
    sentence: str,
    *,
    qualifier: str | None = None,
    precision: int | None = None,
    note: str | None = None,
) -> dict[str, object]:
    figure_id = f"{section}.{measure}.{unit}" + (f".{field}" if field else "")
    return {
        "figure_id": figure_id,
        "document": DOCUMENT,
        "section": section,
        "measure": measure,
        "unit_vintage": 2019,
        "unit_code": unit,
        "field": field,
        "value": value,
        "qualifier": qualifier,
        "precision": precision,
        "sentence_zh": sentence.strip(),
        "source_line": seed.line_of(sentence),
        "note": note,
    }


def _ordered_units(text: str) -> list[str]:
    """``滨江（高新）区:466;西湖区:168`` → unit codes in printed order."""
    return [UNIT_CODES[part.split(":")[0]] for part in text.split(";")]


def build_figures() -> list[dict[str, object]]:
    seed = SeedIndex(SEED)
    figures: list[dict[str, object]] = [
        _figure(seed, "intro", "city_total", CITY, None, 3785, CITY_TOTAL_SENTENCE),
    ]
    domains = {row["code"]: row for row in _read_csv("hightech_domains.csv")}
    profiles = {row["code"]: row for row in _read_csv("domain_profiles.csv")}
    field_sentences = {row["quote_zh"].strip() for row in profiles.values()}
    for slug, code in FIELD_CODES.items():
        dom, prof = domains[slug], profiles[slug]
        sentence = prof["quote_zh"]
        printed_share = dom["share_pct"]
        figures.append(
            _figure(
                seed,
                "field",
                "field_share",
                CITY,
                code,
                float(printed_share),
                sentence,
                precision=len(printed_share.split(".")[1]) if "." in printed_share else 0,
            )
        )
        if prof["field_rank_printed"]:
            figures.append(
                _figure(seed, "field", "field_rank", CITY, code, int(prof["field_rank_printed"]), sentence)
            )
        if slug == "aerospace":
            figures.append(_figure(seed, "field", "field_total", CITY, code, 6, sentence))
            figures.append(
                _figure(
                    seed,
                    "field",
                    "field_rank",
                    CITY,
                    code,
                    8,
                    sentence,
                    note="printed as 最为薄弱的领域 (the weakest field): last of the 8 fields",
                )
            )
            figures.append(
                _figure(
                    seed,
                    "field",
                    "field_units_all",
                    CITY,
                    code,
                    _ordered_units(prof["top_districts"]),
                    sentence,
                    note="complete list (各拥有): every other unit has none",
                )
            )
        else:
            figures.append(
                _figure(seed, "field", "field_concentration", CITY, code, prof["concentration"], sentence)
            )
            figures.append(
                _figure(
                    seed,
                    "field",
                    "field_top_units",
                    CITY,
                    code,
                    _ordered_units(prof["top_districts"]),
                    sentence,
                )
            )
        if slug == "adv_manufacturing":
            figures.append(
                _figure(
                    seed,
                    "field",
                    "units_at_least",
                    CITY,
                    code,
                    {"threshold": 100, "count": 4, "units": _ordered_units(prof["top_districts"])},
                    sentence,
                    note="拥有100家以上的区域有四个: these four and no other unit have >= 100",
                )
            )
    for row in _read_csv("district_domain_published.csv"):
        unit, field = UNIT_CODES[row["district_zh"]], FIELD_CODES[row["domain_code"]]
        for quote in row["quote_zh"].split(" | "):
            section = "field" if quote.strip() in field_sentences else "unit"
            figures.append(_figure(seed, section, "cell_count", unit, field, int(row["count"]), quote))
    for row in _read_csv("district_profiles.csv"):
        unit, sentence = UNIT_CODES[row["district_zh"]], row["quote_zh"]
        fields = [FIELD_CODES[c] for c in row["top_codes"].split(";")]
        figures.append(_figure(seed, "unit", "unit_top_fields", unit, None, fields, sentence))
        if row["city_rank_printed"]:
            figures.append(
                _figure(
                    seed,
                    "unit",
                    "unit_rank",
                    unit,
                    None,
                    int(row["city_rank_printed"]),
                    sentence,
                    note="rank conflict: 第七位 is printed for three units" if row["rank_conflict"] else None,
                )
            )
        first = re.search(r"其中(.+?)领域的国高企数量，分别以.+?位列杭州市各区县第一位", sentence)
        if first:
            for name in re.split(r"[、和]", first.group(1)):
                figures.append(
                    _figure(seed, "unit", "unit_field_rank", unit, FIELD_BY_NAME[name], 1, sentence)
                )
        if "数量较少" in sentence:
            figures.append(
                _figure(
                    seed,
                    "unit",
                    "unit_few",
                    unit,
                    None,
                    {"label": "较少", "max_share_pct": FEW_MAX_SHARE_PCT},
                    sentence,
                    note="数量较少 read as: at most 1% of the city's total",
                )
            )
    ids = [str(f["figure_id"]) for f in figures]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    if duplicates:
        raise SystemExit(f"duplicate figure ids: {duplicates!r}")
    return figures


def _unit_of_address(address: str) -> str | None:
    if any(
        s in address
        for s in (
            "下沙",
            "白杨街道",
            "河庄",
            "义蓬",
            "新湾",
            "临江",
            "前进街道",
            "经济技术开发区",
            "大江东",
            "钱塘新区",
        )
    ):
        return "QTXQ"
    if "滨江区" in address or ("高新" in address and "滨江" in address):
        return "330108"
    for name, code in (
        ("上城区", "330102"),
        ("下城区", "330103"),
        ("江干区", "330104"),
        ("拱墅区", "330105"),
        ("西湖区", "330106"),
        ("萧山", "330109"),
        ("余杭", "330110"),
        ("富阳", "330111"),
        ("临安", "330112"),
        ("桐庐", "330122"),
        ("淳安", "330127"),
        ("建德", "330182"),
    ):
        if name in address:
            return code
    return None


def build_prior() -> dict[str, object]:
    counts: Counter[str] = Counter()
    unresolved = 0
    with REGISTRATIONS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            unit = _unit_of_address(row["注册地址"])
            if unit is None:
                unresolved += 1
            else:
                counts[unit] += 1
    return {
        "what": "prior unit weights of the reconstruction: enterprise registrations per 2019 map unit",
        "source": "../shared/data/real/hangzhou_registrations.csv (public registration sample, 1980 – April 2019)",
        "method": "unit read from the registered address by name; 钱塘新区 by its streets and former names",
        "unresolved": unresolved,
        "weights": {code: counts[code] for code in UNIT_CODES.values()},
    }


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    figures = build_figures()
    document = {
        "document": DOCUMENT,
        "title_zh": "《杭州科技》2019年第5期 · 杭州未来产业地图（区域高新技术企业集聚现状及优势）",
        "basis_zh": "杭州市科技局提供的国家高新技术企业统计数据（截至2018年底）",
        "unit_vintage": 2019,
        "source": "../shared/reference/hangzhou-2019/ (hightech_domains.csv, district_domain_published.csv, "
        "district_profiles.csv, domain_profiles.csv)",
        "units": {code: name for name, code in UNIT_CODES.items()},
        "fields": {code: name for name, code in FIELD_BY_NAME.items()},
        "figures": figures,
    }
    (OUT / "hangzhou_2019_published.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (OUT / "hangzhou_2019_unit_prior.json").write_text(
        json.dumps(build_prior(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(figures)} published figures and the unit prior to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
