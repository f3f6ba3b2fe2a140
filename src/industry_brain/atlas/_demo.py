"""The synthetic Hangzhou demo register: 3,785 national high-tech enterprises drawn from the reconstructed table.

The magazine printed only part of its 14 × 8 table; :mod:`._reconstruct` completes it. This module draws one
enterprise per count of that table — so that the register, measured on the 2019 map, gives the table back cell by
cell and ``ib atlas check`` matches every printed figure — and loads it through the real import path
(:func:`industry_brain.registry.import_file`) as two versions of one list, so that "change between versions" has
something to show:

* ``杭州市高新技术企业名单-2018（合成演示数据）.xlsx`` — the earlier list: the enterprises certified in 2017 and
  2018, those certified in 2016 that renew in 2019 (with their 2016 certificate), and about 2 % certified in 2016
  that do not renew; about 88 % of the later list.
* ``杭州市高新技术企业名单-2019（合成演示数据）.xlsx`` — the full list of 3,785 (certificates of 2017, 2018 and
  2019), imported second, so it is the current version and the one the atlas measures.

Every record is flagged ``synthetic`` (``import_file(..., synthetic=True)``); each file says so in its title rows.

**What a record carries, and how it is made** (deterministic for a seed; another seed gives another register
with the same table):

* 企业名称 — ``杭州`` (or ``浙江``) + a two-character 字号 from a list of characters common in trade names + an
  industry word that fits the record's field and business scope + ``有限公司`` / ``股份有限公司`` /
  ``有限责任公司``; no two records share a normalised name.
* 统一社会信用代码 — a GB 32100-2015 code with both check characters valid: registration authority ``9``
  (market regulation), entity type ``1`` (enterprise), the registering authority's division (the unit's county
  code; ``330101`` for 钱塘新区, ``330100`` for some firms registered with the city; the pre-2017 临安市 and
  pre-2015 富阳市 codes for older firms), and an organisation-code body of the **synthetic pattern**
  ``DM`` + six digits (then its GB 11714 check character). Real organisation-code bodies are numeric or begin
  with the letter blocks of their issuing systems (``MA…`` for market regulation since 2015; ``L``, ``X``, ``Y``,
  ``E``, ``B`` and ``K`` blocks also occur in the public registration sample); no code of the 30,426 in that
  sample has a body beginning with ``D``, so a demo code is recognisable (:func:`is_synthetic_uscc`) and does not
  coincide with the codes seen. The ``synthetic`` flag on every record, not the code, is what marks demo data.
* 注册地址 — ``浙江省杭州市`` + the county-level name + a township (街道/镇/乡) of the unit from the geo gazetteer +
  a road named in real registrations of that unit (``_data/demo_places.json``, road names only, built by
  ``scripts/build_demo_places.py``) + a house number. Every address is resolved with
  :func:`industry_brain.geo.resolve_many` while drawing: it must give back its 2019 unit and the 2021 district of
  its township, or it is drawn again.
* 经营范围 — clauses written for the field; every distinct scope is classified with
  :func:`industry_brain.taxonomy.classify_many` while drawing and must come out in the record's field (some
  name a future industry: 人工智能, 虚拟现实, 区块链, 量子, 增材制造, 航空航天, 生物技术). The declared 技术领域
  column is written too, so the register's counts equal the table exactly.
* 认定年份 / 证书编号 — ``GR`` + year + ``33`` (浙江) + a five-digit serial counted from 90001 within each year, in
  an order like a published batch (by unit); generated like the codes, and flagged synthetic with them.
* 注册资本（万元）, 成立日期 (at least a year before the first certificate), 企业类型, 是否上市.

:func:`build_demo` is idempotent: a second run with the same seed writes the same bytes and imports nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from industry_brain._core.cells import openpyxl_row
from industry_brain._core.errors import InternalError
from industry_brain._core.store import Store

__all__ = [
    "DEFAULT_SEED",
    "DEMO_SOURCE",
    "DemoBuild",
    "DemoFirm",
    "DemoLists",
    "build_demo",
    "demo_table",
    "draw_demo",
    "is_synthetic_uscc",
    "write_list",
]

DEFAULT_SEED = 2019
DEMO_SOURCE = "杭州市高新技术企业名单（合成演示数据）"
SYNTHETIC_ORG_PREFIX = "DM"
CERT_SERIAL_START = 90001
EXPIRED_SHARE = 0.02
# 2019 list: certificate years and the share of 2019 certificates that renew a 2016 one
CERT_YEAR_WEIGHTS = {2017: 0.30, 2018: 0.33, 2019: 0.37}
RENEWAL_SHARE_2019 = 0.68
FIXED_TIME = datetime(2019, 12, 31, 0, 0, 0)


HEADERS = (
    "序号",
    "企业名称",
    "统一社会信用代码",
    "所属区县",
    "技术领域",
    "认定年份",
    "证书编号",
    "注册地址",
    "经营范围",
    "注册资本（万元）",
    "成立日期",
    "企业类型",
    "是否上市",
)

# Characters common in Chinese trade names (字号); two are drawn for a name.
_TRADE_CHARS = (
    "安邦宝贝博泓昌晟辰驰创达鼎东方丰锋峰福富高冠光广海瀚航豪浩禾和恒弘宏鸿华辉汇慧佳嘉坚建捷金锦晶精"
    "景久聚骏凯康科可坤澜蓝朗力立利联良亮林霖领隆龙路伦铭明诺鹏品普启谦乾清擎睿瑞润森尚盛诗石世舜硕思"
    "泰腾天通同拓万维伟炜卫文沃希祥翔新鑫信星兴旭轩亚扬耀一屹亿益毅英盈永优友宇羽裕远跃云泽展兆哲臻正"
    "之志智中众卓子"
)

# Per field: (business-scope clause, name words that fit it). Every clause classifies into its field.
_SCOPES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "10": (
        (
            "计算机软件、网络技术的技术开发、技术服务、技术咨询、成果转让；计算机系统集成；数据处理技术服务",
            ("网络科技", "信息技术", "数据科技"),
        ),
        ("集成电路设计、技术开发；电子元器件、电子产品的研发、生产", ("微电子", "电子科技", "芯片科技")),
        ("计算机软件开发、嵌入式软件研发；信息系统集成服务；软件技术服务", ("软件", "软件技术", "信息技术")),
        (
            "通信设备、网络设备的研发、生产；物联网技术开发；通信工程设计、施工",
            ("通信技术", "物联网科技", "通讯科技"),
        ),
        (
            "人工智能软件开发；计算机视觉技术研发；机器学习算法技术服务",
            ("智能科技", "人工智能科技", "视觉科技"),
        ),
        (
            "虚拟现实设备、增强现实软件的研发；计算机软件开发；数字内容制作技术服务",
            ("数字科技", "虚拟现实科技"),
        ),
        ("区块链技术开发；计算机软件开发；信息系统集成服务", ("链科技", "区块链科技", "信息技术")),
        ("量子通信技术研发；光电子器件研发、生产；通信设备研发", ("光电科技", "量子科技")),
    ),
    "20": (
        ("生物技术开发；生物制品研发；诊断试剂的研发、生产", ("生物科技", "生物技术")),
        ("药品研发；化学原料药、化学药制剂的生产；医药技术开发、技术转让", ("医药科技", "药业", "制药")),
        ("医疗器械的研发、生产；第二类医疗器械经营；医疗设备技术服务", ("医疗器械", "医疗科技")),
        ("基因检测技术开发；生物医药技术研发；细胞治疗技术研究", ("基因科技", "生物医药")),
        ("中药饮片、中成药的研发、生产；天然药物提取技术开发", ("药业", "中药科技")),
    ),
    "30": (
        ("航空器零部件的研发、制造；航空电子设备研发；无人机技术开发", ("航空科技", "航空技术")),
        ("卫星导航定位系统研发；航天器零部件研发、生产；遥感技术服务", ("航天科技", "导航科技")),
        ("无人驾驶航空器的研发、生产；飞行控制系统技术开发", ("无人机技术", "飞行器科技")),
    ),
    "40": (
        ("高分子材料、复合材料的研发、生产；新材料技术开发", ("新材料", "高分子材料", "材料科技")),
        ("纳米材料研发、生产；功能涂层材料技术开发", ("纳米科技", "新材料")),
        ("特种合金材料、金属新材料的研发、生产；金属制品加工", ("合金材料", "金属材料")),
        ("新型陶瓷材料、电子陶瓷的研发、生产", ("陶瓷科技", "新材料")),
        ("精细化学品、电子化学品研发、生产；化工新材料技术开发", ("化工新材料", "化学科技")),
    ),
    "50": (
        ("检验检测服务；计量检测技术服务；质量检测技术研发", ("检测技术", "检测科技")),
        ("工业设计服务；工程技术研究和试验发展；研发服务", ("工业设计", "设计")),
        ("知识产权服务；科技中介服务；技术转移服务", ("知识产权服务", "科技服务")),
        ("电子商务平台技术服务；互联网信息服务；文化创意设计", ("网络技术", "电子商务")),
    ),
    "60": (
        ("太阳能光伏组件、逆变器的研发、生产；新能源技术开发", ("新能源科技", "光伏科技")),
        ("锂离子电池、储能系统的研发、生产；电池管理系统技术开发", ("储能科技", "电池科技")),
        ("节能技术开发、技术服务；合同能源管理；高效节能电机研发、生产", ("节能科技", "节能技术")),
        ("风力发电设备、生物质能技术的研发；新能源技术开发", ("新能源", "风电科技")),
    ),
    "70": (
        ("水污染治理、大气污染治理技术开发；环保设备的研发、生产；环境工程设计", ("环保科技", "环境工程")),
        ("固体废物处理技术研发；资源综合利用技术开发；环境监测服务", ("环境科技", "资源科技")),
        ("土壤修复技术开发；生态环境治理工程；污水处理设备研发", ("生态科技", "环境技术")),
        ("清洁生产技术开发；工业废水回用设备研发、生产；节水技术服务", ("水处理技术", "环保技术")),
    ),
    "80": (
        (
            "工业自动化控制系统、智能装备的研发、生产；机电一体化技术开发",
            ("自动化科技", "智能装备", "机电科技"),
        ),
        ("工业机器人及配件的研发、生产；数控机床研发、制造", ("机器人", "数控科技")),
        ("增材制造设备研发；三维打印技术开发；精密机械零部件加工", ("增材制造科技", "三维打印科技")),
        ("汽车零部件及配件的研发、制造；新能源汽车电机控制系统研发", ("汽车零部件", "汽车电子")),
        ("智能制造装备、自动化生产线的研发、生产、安装；工业控制系统技术开发", ("智能制造", "智能装备")),
        ("激光加工设备、智能焊接设备的研发、制造", ("激光科技", "机械")),
    ),
}
_TRADE_TAILS = (
    "；批发、零售：电子产品、计算机软硬件",
    "；批发、零售：仪器仪表、机械设备",
    "；销售：本公司生产的产品",
    "",
)
_LEGAL_TAILS = (
    "；货物进出口（法律、行政法规禁止经营的项目除外，法律、行政法规限制经营的项目取得许可后方可经营）。",
    "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
    "。",
)
_ENTITY_TYPES = (
    ("有限责任公司(自然人投资或控股)", 70),
    ("有限责任公司(法人独资)", 14),
    ("有限责任公司(自然人独资)", 8),
    ("有限责任公司(外商投资企业法人独资)", 4),
    ("有限责任公司(台港澳与境内合资)", 4),
)
_CAPITALS = (
    50,
    100,
    200,
    300,
    500,
    500,
    800,
    1000,
    1000,
    1000,
    1200,
    1500,
    2000,
    2000,
    3000,
    5000,
    6000,
    8000,
    10000,
    20000,
)


def is_synthetic_uscc(code: str) -> bool:
    """True for a credit code of the demo's synthetic pattern (organisation-code body ``DM`` + six digits)."""
    return (
        isinstance(code, str)
        and len(code) == 18
        and code[8:10] == SYNTHETIC_ORG_PREFIX
        and code[10:16].isdigit()
    )


# ------------------------------------------------------------------------------------------------ the table
def demo_table() -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    """The reconstructed Hangzhou 2019 table ``{unit: {field: count}}`` and where it came from."""
    from industry_brain import atlas

    reconstruct = getattr(atlas, "reconstruct", None)
    if reconstruct is None:
        from industry_brain.atlas import _reconstruct

        reconstruct = _reconstruct.reconstruct
    t0 = time.perf_counter()
    # with its cells' ranges: the same (cached) reconstruction then serves ib atlas reconstruct and the dashboard
    rec = reconstruct()
    table = rec.table()
    about = {
        "document": rec.document,
        "distance_to_prior": rec.distance_to_prior,
        "cached": bool(getattr(rec, "cached", False)),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    return {u: {f: int(n) for f, n in row.items()} for u, row in table.items()}, about


# ------------------------------------------------------------------------------------------------ drawing
@dataclass
class DemoFirm:
    """One synthetic enterprise (of the later list, or an expired one of the earlier list only)."""

    uscc: str
    name: str
    unit: str  # 2019 map unit
    district_2021: str
    field: str  # level-1 field code
    street: str
    address: str
    scope: str
    capital_wan: int
    registered_on: date
    entity_type: str
    listed: bool
    cert_year: int
    cert_no: str = ""
    earlier_cert_year: int | None = None  # the 2016 certificate a 2019 renewal replaced
    earlier_cert_no: str | None = None
    expired: bool = False  # on the earlier list only


@dataclass
class DemoLists:
    firms: list[DemoFirm]
    seed: int

    @property
    def later(self) -> list[DemoFirm]:
        return [f for f in self.firms if not f.expired]

    @property
    def earlier(self) -> list[DemoFirm]:
        return [f for f in self.firms if f.expired or f.cert_year < 2019 or f.earlier_cert_year is not None]


@cache
def _places() -> dict[str, Any]:
    text = (resources.files("industry_brain.atlas") / "_data" / "demo_places.json").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = json.loads(text)["units"]
    return data


@cache
def _townships() -> dict[str, tuple[tuple[str, str, str, float], ...]]:
    """Per 2019 unit: (township, its 2019 county code, its 2021 district, weight)."""
    weights = {"街道": 3.0, "镇": 1.0, "乡": 0.25}
    return {
        u: tuple((name, county, d21, weights[kind]) for name, kind, county, d21 in v["townships"])
        for u, v in _places().items()
    }


@cache
def _county_names() -> dict[str, str]:
    from industry_brain.geo import MAP_UNITS_2019

    return {u.code: u.name_zh for u in MAP_UNITS_2019}


def _address(rnd: random.Random, unit: str) -> tuple[str, str, str]:
    """(address, township, 2021 district) for a firm in ``unit``."""
    towns = _townships()[unit]
    name, county, d21, _w = rnd.choices(towns, weights=[t[3] for t in towns])[0]
    places = _places().get(unit, {})
    roads = places.get("street_roads", {}).get(name) if rnd.random() < 0.7 else None
    if not roads:
        by_d21 = places.get("roads", {})
        roads = by_d21.get(d21) or [r for rs in by_d21.values() for r in rs]
    road = rnd.choice(roads)
    county_name = _county_names()[county]
    if unit == "QTXQ" and rnd.random() < 0.3:
        county_name = "钱塘新区"
    prefix = "浙江省杭州市" if rnd.random() < 0.8 else "杭州市"
    number = rnd.choice((rnd.randint(1, 99), rnd.randint(1, 399), rnd.randint(100, 1999)))
    suffix = rnd.choice(
        (
            "",
            "",
            f"{rnd.randint(1, 12)}幢{rnd.randint(1, 20)}层",
            f"{rnd.randint(1, 9)}号楼{rnd.randint(101, 1520)}室",
            f"{rnd.randint(1, 6)}幢{rnd.randint(101, 2210)}室",
            f"{rnd.choice('ABCDE')}座{rnd.randint(2, 25)}楼",
        )
    )
    return f"{prefix}{county_name}{name}{road}{number}号{suffix}", name, d21


def _scope(rnd: random.Random, fld: str) -> tuple[str, tuple[str, ...]]:
    options = _SCOPES[fld]
    # the first clauses are the field's common trades; the later ones (future industries) are rarer
    main, words = rnd.choices(options, weights=[1.0 / (1 + 0.35 * k) for k in range(len(options))])[0]
    text = main
    if rnd.random() < 0.3 and len(options) > 1:
        other = rnd.choice([o for o in options if o[0] != main])[0]
        text += "；" + other
    text += rnd.choice(_TRADE_TAILS) + rnd.choice(_LEGAL_TAILS)
    return text, words


def _name(rnd: random.Random, words: tuple[str, ...], stock: bool) -> tuple[str, str]:
    """(name, key): the key is the name without place and legal form, unique in a register."""
    a, b = rnd.sample(_TRADE_CHARS, 2)
    place = "浙江" if (stock and rnd.random() < 0.5) or rnd.random() < 0.06 else "杭州"
    form = "股份有限公司" if stock else "有限责任公司" if rnd.random() < 0.03 else "有限公司"
    word = rnd.choice(words)
    return f"{place}{a}{b}{word}{form}", f"{a}{b}{word}"


def _authority(rnd: random.Random, unit: str, registered: date) -> str:
    if unit == "QTXQ":
        return "330101"
    if rnd.random() < 0.15:
        return "330100"
    if unit == "330112" and registered.year < 2017:
        return "330185"
    if unit == "330111" and registered.year < 2015:
        return "330183"
    return unit


def _cert_no(year: int, serial: int) -> str:
    return f"GR{year}33{serial:05d}"


def draw_demo(table: Mapping[str, Mapping[str, int]], seed: int = DEFAULT_SEED) -> DemoLists:
    """Draw the two lists from ``table``; every address and scope is checked with the geo resolver and the
    taxonomy classifier. Deterministic for ``seed``."""
    from industry_brain.registry import make_uscc

    rnd = random.Random(seed)
    cells = [(u, f, int(n)) for u, row in sorted(table.items()) for f, n in sorted(row.items()) if int(n) > 0]
    total = sum(n for _, _, n in cells)
    expired_n = round(EXPIRED_SHARE * total)
    picks: list[tuple[str, str, bool]] = [(u, f, False) for u, f, n in cells for _ in range(n)]
    picks += [
        (u, f, True)
        for u, f in rnd.choices([(u, f) for u, f, _ in cells], weights=[n for *_, n in cells], k=expired_n)
    ]
    bodies = rnd.sample(range(1_000_000), len(picks))
    names: set[str] = set()
    firms: list[DemoFirm] = []
    years = list(CERT_YEAR_WEIGHTS)
    year_weights = list(CERT_YEAR_WEIGHTS.values())
    for i, (unit, fld, expired) in enumerate(picks):
        address, street, d21 = _address(rnd, unit)
        scope, words = _scope(rnd, fld)
        stock = rnd.random() < 0.1
        listed = stock and rnd.random() < 0.3
        name, key = _name(rnd, words, stock)
        while key in names:
            name, key = _name(rnd, words, stock)
        names.add(key)
        if expired:
            cert_year, earlier = 2016, None
        else:
            cert_year = rnd.choices(years, weights=year_weights)[0]
            earlier = 2016 if cert_year == 2019 and rnd.random() < RENEWAL_SHARE_2019 else None
        first = earlier or cert_year
        founded = max(1993, first - 1 - min(int(rnd.expovariate(1 / 5.0)), 25))
        registered = date(founded, rnd.randint(1, 12), rnd.randint(1, 28))
        body = f"{SYNTHETIC_ORG_PREFIX}{bodies[i]:06d}"
        uscc = make_uscc("9", "1", _authority(rnd, unit, registered), body)
        capital = rnd.choice(_CAPITALS) * (5 if stock else 1)
        if listed:
            etype = "股份有限公司(上市、自然人投资或控股)"
        elif stock:
            etype = "股份有限公司(非上市、自然人投资或控股)"
        else:
            etype = rnd.choices([e for e, _ in _ENTITY_TYPES], weights=[w for _, w in _ENTITY_TYPES])[0]
        firms.append(
            DemoFirm(
                uscc,
                name,
                unit,
                d21,
                fld,
                street,
                address,
                scope,
                capital,
                registered,
                etype,
                listed,
                cert_year,
                earlier_cert_year=earlier,
                expired=expired,
            )
        )
    _check_places(rnd, firms)
    _check_scopes(firms)
    _number_certificates(rnd, firms)
    return DemoLists(firms, seed)


def _check_places(rnd: random.Random, firms: list[DemoFirm], rounds: int = 30) -> None:
    """Resolve every address; draw again the ones that do not come back to their unit and 2021 district."""
    from industry_brain.geo import resolve_many

    todo = list(range(len(firms)))
    for _ in range(rounds):
        placed = resolve_many([firms[i].address for i in todo])
        units = placed.column("map_unit_2019").to_pylist()
        d21s = placed.column("district_2021").to_pylist()
        bad = [
            i
            for i, u, d in zip(todo, units, d21s, strict=True)
            if u != firms[i].unit or d is None or d != firms[i].district_2021
        ]
        if not bad:
            return
        for i in bad:
            firms[i].address, firms[i].street, firms[i].district_2021 = _address(rnd, firms[i].unit)
        todo = bad
    raise InternalError(
        f"{len(todo)} demo addresses do not resolve to their unit, e.g. {firms[todo[0]].address!r}"
    )


def _check_scopes(firms: list[DemoFirm]) -> None:
    from industry_brain.taxonomy import classify_many

    scopes = sorted({f.scope for f in firms})
    got = {s: c.field_l1 for s, c in zip(scopes, classify_many(scopes), strict=True)}
    wrong = [f for f in firms if got[f.scope] != f.field]
    if wrong:
        raise InternalError(
            f"{len(wrong)} demo business scopes classify outside their field, e.g. "
            f"{wrong[0].scope!r} → {got[wrong[0].scope]!r}, expected {wrong[0].field!r}"
        )


def _number_certificates(rnd: random.Random, firms: list[DemoFirm]) -> None:
    """Serials per certificate year, in an order like a published batch (by unit, then at random)."""
    by_year: dict[int, list[tuple[str, float, DemoFirm, bool]]] = {}
    for f in firms:
        by_year.setdefault(f.cert_year, []).append((f.unit, rnd.random(), f, False))
        if f.earlier_cert_year is not None:
            by_year.setdefault(f.earlier_cert_year, []).append((f.unit, rnd.random(), f, True))
    for year, items in by_year.items():
        items.sort(key=lambda t: (t[0], t[1]))
        for k, (_u, _r, f, earlier) in enumerate(items):
            if earlier:
                f.earlier_cert_no = _cert_no(year, CERT_SERIAL_START + k)
            else:
                f.cert_no = _cert_no(year, CERT_SERIAL_START + k)


# ------------------------------------------------------------------------------------------------ files
def _rows(firms: Sequence[DemoFirm], earlier: bool) -> list[list[Any]]:
    from industry_brain.taxonomy import fields

    field_names = {f.code: f.name_zh for f in fields(1)}  # the list's 技术领域 column, as the bureau writes it
    ordered = sorted(firms, key=lambda f: (f.unit == "QTXQ", f.unit, f.field, f.uscc))
    rows = []
    for k, f in enumerate(ordered, start=1):
        year, cert = (
            (f.earlier_cert_year, f.earlier_cert_no)
            if earlier and f.earlier_cert_year
            else (f.cert_year, f.cert_no)
        )
        rows.append(
            [
                k,
                f.name,
                f.uscc,
                "钱塘新区" if f.unit == "QTXQ" else _county_names()[f.unit],
                field_names[f.field],
                year,
                cert,
                f.address,
                f.scope,
                f.capital_wan,
                f.registered_on.isoformat(),
                f.entity_type,
                "是" if f.listed else "否",
            ]
        )
    return rows


def write_list(path: Path, firms: Sequence[DemoFirm], *, year: int, earlier: bool) -> str:
    """Write one version as XLSX (title rows, then the header); the bytes depend only on the rows. Returns the
    sha256 of the file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{year}年名单")
    for col, width in zip("ABCDEFGHIJKLM", (6, 36, 22, 10, 16, 9, 16, 48, 60, 12, 12, 30, 8), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A5"
    title = WriteOnlyCell(ws, f"杭州市国家高新技术企业名单（{year}年，合成演示数据）")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append(
        [
            "说明：本表为 industry-brain 演示用合成数据。企业名称、统一社会信用代码（组织机构代码以 DM 开头）、"
            "地址、证书编号均为生成，不对应任何真实企业；各区县、各领域的数量取自《杭州科技》2019年第5期"
            "未来产业地图的重建表。"
        ]
    )
    ws.append([])
    bold = Font(bold=True)
    header = []
    for h in HEADERS:
        c = WriteOnlyCell(ws, h)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in _rows(firms, earlier):
        ws.append(openpyxl_row(ws, row))
    wb.properties.creator = "industry-brain"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    data = _fixed_zip(buf.getvalue())
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed member times (and document times), so equal rows give equal bytes."""
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<2>", body)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            dst.writestr(info, body)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ build
@dataclass
class DemoBuild:
    """What :func:`build_demo` did."""

    seed: int
    directory: str
    source: str
    files: list[dict[str, Any]]
    batches: list[dict[str, Any]]
    noop: bool
    total: int
    unit_totals: dict[str, int]
    table: dict[str, dict[str, int]]
    table_source: dict[str, Any]
    checks: dict[str, Any]
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "directory": self.directory,
            "source": self.source,
            "files": self.files,
            "batches": self.batches,
            "noop": self.noop,
            "total": self.total,
            "unit_totals": self.unit_totals,
            "table": self.table,
            "table_source": self.table_source,
            "checks": self.checks,
            "seconds": round(self.seconds, 3),
            "stage_seconds": self.stage_seconds,
        }


def build_demo(
    store: Store,
    directory: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    table: Mapping[str, Mapping[str, int]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoBuild:
    """Draw the demo register, write its two versions as XLSX into ``directory`` and import them (earlier first)
    as synthetic batches of :data:`DEMO_SOURCE`. ``table`` defaults to the reconstruction (:func:`demo_table`).
    ``progress(n)`` is called as rows are imported. Idempotent for a seed: nothing is imported when the newest
    version of the source already is this seed's later list."""
    from industry_brain.atlas._tally import measure_register
    from industry_brain.registry import check_uscc, import_file

    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    if table is None:
        tbl, about = demo_table()
    else:
        tbl, about = {u: {f: int(n) for f, n in row.items()} for u, row in table.items()}, {"given": True}
    stages["table"] = round(time.perf_counter() - t0, 3)
    t = time.perf_counter()
    lists = draw_demo(tbl, seed)
    stages["draw"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    folder = Path(directory)
    versions = (
        (2018, folder / "杭州市高新技术企业名单-2018（合成演示数据）.xlsx", lists.earlier, True),
        (2019, folder / "杭州市高新技术企业名单-2019（合成演示数据）.xlsx", lists.later, False),
    )
    files: list[dict[str, Any]] = []
    for year, path, firms, earlier in versions:
        sha = write_list(path, firms, year=year, earlier=earlier)
        files.append({"version": year, "path": str(path), "rows": len(firms), "sha256": sha})
    stages["write"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    seen = store.fetchall(
        "SELECT batch_id, sha256 FROM import_batch WHERE source = ? ORDER BY batch_id", [DEMO_SOURCE]
    )
    shas = [s for _, s in seen]
    batches: list[dict[str, Any]] = []
    if shas and shas[-1] == files[1]["sha256"]:
        todo: list[int] = []
    elif files[0]["sha256"] in shas:
        todo = [1]
    else:
        todo = [0, 1]
    for k in todo:
        report = import_file(
            files[k]["path"], store=store, source=DEMO_SOURCE, synthetic=True, progress=progress
        )
        batches.append(
            {
                "version": files[k]["version"],
                "batch_id": report.batch_id,
                "noop": report.noop,
                "rows_read": report.rows_read,
                "rows_loaded": report.rows_loaded,
                "rows_quarantined": report.rows_quarantined,
                "added": report.added,
                "changed": report.changed,
                "removed": report.removed,
                "unchanged": report.unchanged,
                "seconds": round(report.seconds, 3),
            }
        )
    stages["import"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    m = measure_register(store, vintage=2019, level=1)
    mismatched = [
        {"unit": u, "field": f, "expected": tbl.get(u, {}).get(f, 0), "counted": int(m.counts[i, j])}
        for i, u in enumerate(m.units)
        for j, f in enumerate(m.fields)
        if int(m.counts[i, j]) != tbl.get(u, {}).get(f, 0)
    ]
    row = store.fetchone(
        "SELECT count(*), count(*) FILTER (WHERE synthetic), count(*) FILTER (WHERE uscc_check_ok)"
        " FROM enterprise WHERE batch_id = (SELECT max(batch_id) FROM import_batch WHERE source = ?)",
        [DEMO_SOURCE],
    )
    n, n_synth, n_check = (int(x) for x in row) if row else (0, 0, 0)
    sample = store.fetchall("SELECT uscc FROM enterprise WHERE synthetic USING SAMPLE 50 ROWS")
    checks = {
        "counts_match_table": not mismatched,
        "mismatched_cells": mismatched,
        "records": n,
        "synthetic": n_synth,
        "uscc_check_ok": n_check,
        "uscc_sample_valid": all(check_uscc(c).valid for (c,) in sample),
        "addresses_resolved": len(lists.firms),
        "scopes_classified": len(lists.firms),
    }
    stages["verify"] = round(time.perf_counter() - t, 3)
    return DemoBuild(
        seed=seed,
        directory=str(folder),
        source=DEMO_SOURCE,
        files=files,
        batches=batches,
        noop=not batches or all(b["noop"] for b in batches),
        total=int(m.total),
        unit_totals={u: int(v) for u, v in zip(m.units, m.unit_totals, strict=True)},
        table=tbl,
        table_source=about,
        checks=checks,
        seconds=time.perf_counter() - t0,
        stage_seconds=stages,
    )
