"""Build the peer-city comparisons of the life-health chain that ship with ``chains``.

Reads ``../shared/reference/hangzhou-2019/life_health.yaml`` (section ``benchmark_vs_beijing_shanghai_suzhou``: the
magazine's comparison of Hangzhou with 北京, 上海 and 苏州 on four dimensions, each with its Chinese sentence and
line) and writes ``src/industry_brain/chains/_data/peer_statements.json``: one record per printed comparison — the
indicator, its dimension, Hangzhou's printed value (as printed), and for each peer the comparison phrase as printed
(「不及20%」「略低于」「仅为1/6」…), with the sentence and its line. Turning the phrases into intervals is the
product's rule (``chains/_peers.py``), not this script's.

Run from the repository root: ``.venv/bin/python scripts/build_peer_statements.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "reference" / "hangzhou-2019" / "life_health.yaml"
OUT = REPO / "src" / "industry_brain" / "chains" / "_data" / "peer_statements.json"

PEERS = {"北京": "beijing", "上海": "shanghai", "苏州": "suzhou"}
# indicator: (dimension, name_zh, name_en, unit, Hangzhou's printed value, {peer: phrase as printed})
# The phrases are cut from each sentence as printed; the sentence is checked to contain every one of them.
INDICATORS = {
    "carriers": ("carriers", "国家级重点实验室、工程中心数量", "national key labs and engineering centres", "个", None,
                 {"北京": "仅为北京的1/6", "上海": "上海的1/5"}),
    "listed_companies_2018": ("subjects", "生命健康产业上市企业数（2018）", "listed life-health companies (2018)", "家", None,
                              {"上海": "不足上海的1/2", "北京": "北京的1/3"}),
    "high_tech_enterprises": ("subjects", "生命健康产业高新技术企业数", "life-health high-tech enterprises", "家", "300余家",
                              {"苏州": "略低于苏州", "北京": "不及北京的20%", "上海": "上海的40%"}),
    "global_top20_pharma": ("subjects", "落地外资药企研发或生产基地数", "R&D or production bases of foreign pharma", "家", "三家",
                            {"上海": "低于上海、北京、苏州", "北京": "低于上海、北京、苏州", "苏州": "低于上海、北京、苏州"}),
    "guidance_funds": ("resources", "政府引导基金数量", "government guidance funds", "支", None,
                       {"苏州": "高于苏州市", "上海": "低于上海市和北京市", "北京": "低于上海市和北京市"}),
    "financing_events_2018": ("resources", "医药健康投融资事件数（2018）", "health financing events (2018)", "次", "60余次",
                              {"北京": "不足北京、上海的1/2", "上海": "不足北京、上海的1/2", "苏州": "接近苏州的2倍"}),
    "financing_over_100m_2018": ("resources", "亿元以上融资事件数（2018）", "financing events over 100 m yuan (2018)", "次", "7次",
                                 {"苏州": "不及苏州的一半", "北京": "仅为北京、上海的1/6", "上海": "仅为北京、上海的1/6"}),
    "financing_events_2019H1": ("resources", "投融资事件数（2019年上半年）", "financing events (2019 H1)", "次", "30余次",
                                {"北京": "已超百次", "上海": "已超百次", "苏州": "近40次"}),
}
DIMENSIONS = {"carriers": ("创新载体及平台", "innovation carriers and platforms"),
              "subjects": ("创新主体及成果", "innovators and their output"),
              "resources": ("创新资源", "innovation resources"),
              "services": ("创新服务", "innovation services")}


def main() -> int:
    data = yaml.safe_load(SOURCE.read_text("utf-8"))["benchmark_vs_beijing_shanghai_suzhou"]
    out = []
    for key, (dim, zh, en, unit, hz, phrases) in INDICATORS.items():
        entry = data[key]
        quote = str(entry["quote_zh"])
        for p in (*phrases.values(), *([hz] if hz else [])):
            if p not in quote:
                raise SystemExit(f"{key}: {p!r} is not in the printed sentence {quote!r}")
        out.append({"indicator": key, "dimension": dim, "name_zh": zh, "name_en": en, "unit": unit,
                    "hangzhou": hz, "peers": {PEERS[k]: v for k, v in phrases.items()},
                    "quote": quote, "line": int(entry.get("source_line") or 0)})
    doc = {"source": "《杭州科技》2019年第5期, 杭州生命健康产业发展的对策建议 (via ../shared/reference/hangzhou-2019/life_health.yaml)",
           "method": data["method"]["quote_zh"], "method_line": data["method"]["source_line"],
           "dimensions": {k: {"zh": z, "en": e} for k, (z, e) in DIMENSIONS.items()},
           "peers": {"beijing": {"zh": "北京", "en": "Beijing"}, "shanghai": {"zh": "上海", "en": "Shanghai"},
                     "suzhou": {"zh": "苏州", "en": "Suzhou"}},
           "statements": out}
    OUT.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}: {len(out)} statements")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
