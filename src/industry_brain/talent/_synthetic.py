"""A synthetic response set for the 2018 Hangzhou survey, consistent with every marginal the article prints,
and a writer of 问卷星-shaped tables (either mode, either multiple-choice layout).

Counts are set exactly (``round(p·n)`` respondents per printed percentage, shuffled), so the report computed on
the set reproduces the article's figures at the article's precision. What the article does *not* print is an
assumption of this generator, listed in :data:`ASSUMPTIONS` and flagged in the report as synthetic:

* the categories the article leaves out (e.g. the split of the 17 % firms with 500+ staff, non-private ownership
  types, the other 5 training methods of figure 4 whose values were lost, the other policy-help options);
* the firm-level demand-change counts per sector: AI 469/103/15 and bio 94/12/4 are the integer counts closest to
  Table 1 (means 1.23/1.18/1.22, SDs .474/.481/.475) that also give 81/16/3 % overall; no integer counts with
  n = 587 and 110 reproduce all three printed SDs exactly (.476/.473/.476 here);
* the scarce posts: 47 AI and 22 bio post titles (invented, plausible), 1-3 posts per firm, majors' shares
  beyond their published order, salaries.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from industry_brain.talent._survey import Question, Survey

SKIP = "(跳过)"
EMPTY = "(空)"

ASSUMPTIONS = [
    "企业规模、性质、阶段、年限、销售额中文章未发表的类别占比为假设值",
    "图4培养方式：原文9项中仅5个数值可辨认且无法对应，合成数据按文字所述常用的4种方式取81/58/56/29%，其余为假设值",
    "需求变化按领域的计数（人工智能 469/103/15，生物 94/12/4）为同时满足表1均值与总体81/16/3%的最接近整数解",
    "紧缺岗位名称（人工智能47个、生物22个）、每家企业1-3个岗位、专业占比的具体数值（仅发表排序与超半数）和年薪为假设",
    "政府帮助选项中除“加强宣传”42%、“精简兑现程序”28%外的选项与占比为假设",
]

AI_POSTS = [
    "机器学习算法工程师",
    "深度学习算法工程师",
    "计算机视觉算法工程师",
    "图像识别工程师",
    "自然语言处理工程师",
    "语音识别算法工程师",
    "推荐算法工程师",
    "数据挖掘工程师",
    "大数据开发工程师",
    "数据科学家",
    "人工智能芯片设计工程师",
    "嵌入式AI工程师",
    "机器人控制算法工程师",
    "SLAM算法工程师",
    "自动驾驶感知工程师",
    "知识图谱工程师",
    "智能语音产品经理",
    "人工智能产品经理",
    "AI平台架构师",
    "分布式系统架构师",
    "云计算开发工程师",
    "算法研究员",
    "视频结构化算法工程师",
    "人脸识别算法工程师",
    "OCR算法工程师",
    "智能硬件工程师",
    "FPGA工程师",
    "AI解决方案专家",
    "模型部署优化工程师",
    "高性能计算工程师",
    "数据标注主管",
    "机器翻译工程师",
    "对话系统工程师",
    "搜索算法工程师",
    "风控模型工程师",
    "智能制造算法工程师",
    "三维视觉工程师",
    "传感器融合工程师",
    "人机交互设计师",
    "增强学习研究员",
    "智慧城市解决方案架构师",
    "医疗影像AI工程师",
    "AI测试工程师",
    "数据治理工程师",
    "边缘计算工程师",
    "GPU编程工程师",
    "智能客服算法工程师",
]
BIO_POSTS = [
    "新药研发科学家",
    "药物化学研究员",
    "药理毒理研究员",
    "制剂研发工程师",
    "生物工艺工程师",
    "细胞培养工程师",
    "抗体工程研究员",
    "蛋白纯化工程师",
    "分子生物学研究员",
    "体外诊断试剂研发工程师",
    "临床研究医学经理",
    "注册专员（医疗器械）",
    "质量保证专员（GMP）",
    "生物信息分析师",
    "医学统计师",
    "基因测序工程师",
    "免疫学研究员",
    "生物医用材料研发工程师",
    "数字诊疗设备研发工程师",
    "有机合成研究员",
    "生物样本库管理员",
    "再生医学研究员",
]
RARE_POSTS = [
    "量子机器学习研究员",
    "脑机接口工程师",
    "合成生物学设计师",
    "类器官培养研究员",
    "AI伦理顾问",
    "医学AI产品经理",
]

_SURNAMES = "华创智联云海德瑞恒信源泰康汇博达诚明远新星宇辰安和启鸿天睿灵晟泽睿芯"
_SUFFIX_AI = ["智能科技", "信息技术", "数据科技", "机器人", "网络科技", "视觉技术"]
_SUFFIX_BIO = ["生物科技", "医药科技", "生物医药", "基因科技", "诊断技术", "生物工程"]
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _exact(rng: random.Random, n: int, pct: Mapping[str, float]) -> list[str]:
    """n labels with counts round(p·n) (largest remainder to make them sum to n), shuffled."""
    raw = {k: v * n / 100 for k, v in pct.items()}
    counts = {k: round(v) for k, v in raw.items()}
    diff = n - sum(counts.values())
    order = sorted(raw, key=lambda k: raw[k] - counts[k], reverse=diff > 0)
    for k in order[: abs(diff)]:
        counts[k] += 1 if diff > 0 else -1
    out = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(out)
    return out


def _pick(rng: random.Random, n: int, pct: float) -> set[int]:
    return set(rng.sample(range(n), round(pct * n / 100)))


def _multi(rng: random.Random, n: int, pct: Mapping[str, float], at_least_one: bool = True) -> list[list[str]]:
    """Multiple choice: exactly round(p·n) holders per option; every unit ends with at least one option."""
    sets: list[list[str]] = [[] for _ in range(n)]
    for key, p in pct.items():
        for i in _pick(rng, n, p):
            sets[i].append(key)
    if at_least_one:
        for i in range(n):
            if sets[i]:
                continue
            donors = [j for j in range(n) if len(sets[j]) >= 2]
            if not donors:
                break
            j = rng.choice(donors)
            movable = [k for k in sets[j] if k not in sets[i]]
            k = rng.choice(movable)
            sets[j].remove(k)
            sets[i].append(k)
    order = list(pct)
    return [sorted(s, key=order.index) for s in sets]


def _uscc(rng: random.Random) -> str:
    body = "91330100" + "".join(rng.choice(_USCC) for _ in range(9))
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(_USCC.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + _USCC[(31 - total % 31) % 31]


def _firm_name(rng: random.Random, sector: str, used: set[str]) -> str:
    while True:
        stem = "".join(rng.sample(_SURNAMES, 2))
        suffix = rng.choice(_SUFFIX_AI if sector == "ai" else _SUFFIX_BIO)
        name = f"杭州{stem}{suffix}有限公司"
        if name not in used:
            used.add(name)
            return name


def generate(survey: Survey, seed: int = 2018, n_ai: int = 587, n_bio: int = 110) -> list[dict[str, Any]]:
    """Respondents as ``{"meta": {...}, "answers": {question_id: value}}`` (values: option key, list of keys,
    number, text, ``{row_key: value}`` for matrices, or :data:`SKIP`)."""
    rng = random.Random(seed)
    n = n_ai + n_bio
    sectors = ["ai"] * n_ai + ["bio"] * n_bio
    ans: list[dict[str, Any]] = [{"sector": s} for s in sectors]
    profile = {
        "headcount": {"lt100": 45, "h100_499": 38, "h500_999": 9, "ge1000": 8},
        "stage": {"startup": 14, "growth": 71, "mature": 12, "transition": 3},
        "ownership": {"state": 8, "private": 67, "foreign": 10, "joint": 9, "other": 6},
        "years_in_industry": {"lt3": 22, "y3_5": 28, "gt5": 50},
        "sales": {"lt10m": 18, "s10m_50m": 22, "s50m_100m": 16, "gt100m": 44},
        "listed": {"yes": 13, "no": 87},
    }
    for qid, pct in profile.items():
        for a, v in zip(ans, _exact(rng, n, pct), strict=True):
            a[qid] = v
    # demand change: exact counts per sector (see module docstring)
    for sector, counts in (("ai", (469, 103, 15)), ("bio", (94, 12, 4))):
        idx = [i for i, s in enumerate(sectors) if s == sector]
        values = ["increase"] * counts[0] + ["same"] * counts[1] + ["decrease"] * counts[2]
        rng.shuffle(values)
        for i, v in zip(idx, values, strict=True):
            ans[i]["demand_change"] = v
    _staff(rng, ans, sectors)
    for qid, pct in (
        (
            "training",
            {
                "short_course": 58,
                "long_course": 18,
                "lectures": 56,
                "industry_exchange": 81,
                "degree": 23,
                "rotation": 29,
                "branch_posting": 9,
                "corporate_university": 12,
                "other": 4,
            },
        ),
        (
            "channels",
            {
                "online": 86,
                "referral": 76,
                "social": 66,
                "headhunter": 62,
                "campus": 56,
                "international": 19,
                "media_ads": 10,
                "other": 3,
            },
        ),
        (
            "gov_help",
            {
                "publicity": 42,
                "simplify_redemption": 28,
                "wider_coverage": 35,
                "fit_criteria": 31,
                "recruiting_platforms": 38,
                "other": 4,
            },
        ),
        (
            "publicity_channels",
            {
                "wechat": 80,
                "portal": 72,
                "app": 65,
                "documents": 61,
                "peers": 61,
                "media": 58,
                "training_meetings": 58,
            },
        ),
    ):
        for a, keys in zip(ans, _multi(rng, n, pct), strict=True):
            a[qid] = keys
    for qid, pct in (
        ("need_association", {"not_urgent": 5, "moderate": 20, "fairly_urgent": 63, "extremely_urgent": 12}),
        (
            "need_benchmark_exchange",
            {"not_urgent": 6, "moderate": 25, "fairly_urgent": 59, "extremely_urgent": 10},
        ),
        (
            "need_joint_training",
            {"not_urgent": 2, "moderate": 9, "fairly_urgent": 68, "extremely_urgent": 21},
        ),
    ):
        for a, v in zip(ans, _exact(rng, n, pct), strict=True):
            a[qid] = v
    published = _published_subfields(survey)
    for sector, qid in (("ai", "ai_subfields"), ("bio", "bio_subfields")):
        idx = [i for i, s in enumerate(sectors) if s == sector]
        q = survey.question(qid)
        cells: list[dict[str, list[str]]] = [{r.key: [] for r in q.rows} for _ in idx]
        for r in q.rows:
            for h, p in published[qid][r.key].items():
                for j in _pick(rng, len(idx), p):
                    cells[j][r.key].append(h)
        # every firm names at least one sub-field: move a tick from a busy firm
        for cell in cells:
            if any(cell.values()):
                continue
            donors = [k for k, c in enumerate(cells) if sum(map(len, c.values())) >= 3]
            k = rng.choice(donors)
            row = rng.choice([rk for rk, v in cells[k].items() if v])
            h = cells[k][row].pop()
            cell[row].append(h)
        order = [o.key for o in q.options]
        for i, cell in zip(idx, cells, strict=True):
            ans[i][qid] = {rk: sorted(v, key=order.index) for rk, v in cell.items()}
            ans[i]["ai_subfields" if qid == "bio_subfields" else "bio_subfields"] = SKIP
    _posts(rng, ans, sectors)
    start = datetime(2018, 9, 3, 9, 0, 0)
    used: set[str] = set()
    out = []
    submission = list(range(n))
    rng.shuffle(submission)  # submission order mixes the sectors
    for number, i in enumerate(submission, start=1):
        a = ans[i]
        a["firm_name"] = _firm_name(rng, a["sector"], used)
        a["uscc"] = _uscc(rng) if rng.random() < 0.6 else ""
        meta = {
            "序号": number,
            "提交答卷时间": (start + timedelta(minutes=int(number * 85 + rng.randint(0, 60)))).strftime(
                "%Y/%m/%d %H:%M:%S"
            ),
            "所用时间": f"{rng.randint(240, 1800)}秒",
            "来源": rng.choice(["手机提交", "链接", "微信"]),
            "来源详情": "直接访问",
            "来自IP": f"192.0.2.{rng.randint(1, 254)}(浙江-杭州)",
        }
        out.append({"meta": meta, "answers": a})
    return out


def _published_subfields(survey: Survey) -> dict[str, dict[str, dict[str, float]]]:
    from industry_brain.talent._survey import published_figures

    out: dict[str, dict[str, dict[str, float]]] = {}
    for f in published_figures(survey.id)["figures"]:
        if f["measure"] == "matrix_share_pct":
            out.setdefault(f["question"], {}).setdefault(f["row"], {})[f["option"]] = float(f["printed"])
    return out


def _staff(rng: random.Random, ans: list[dict[str, Any]], sectors: Sequence[str]) -> None:
    ranges = {"lt100": (15, 99), "h100_499": (100, 499), "h500_999": (500, 999), "ge1000": (1000, 3000)}
    for sector, target in (("ai", 0.36), ("bio", 0.45)):
        idx = [i for i, s in enumerate(sectors) if s == sector]
        staff = {i: rng.randint(*ranges[ans[i]["headcount"]]) for i in idx}
        base = {i: min(0.95, max(0.05, rng.gauss(target, 0.12))) for i in idx}
        lo, hi = 0.2, 3.0
        for _ in range(60):  # bisection on a common factor so that the pooled share is the printed one
            k = (lo + hi) / 2
            prof = {i: min(staff[i], round(staff[i] * base[i] * k)) for i in idx}
            ratio = sum(prof.values()) / sum(staff.values())
            lo, hi = (k, hi) if ratio < target else (lo, k)
        for i in idx:
            ans[i]["staff_total"] = staff[i]
            ans[i]["staff_professional"] = prof[i]
    for qid, shares in (
        ("age_counts", {"le25": 18, "a26_35": 53, "a36_45": 21, "gt45": 8}),
        ("education_counts", {"phd": 1, "master": 7, "bachelor": 54, "dazhuan": 22, "hs_or_below": 16}),
    ):
        keys = list(shares)
        weights = [shares[k] for k in keys]
        for a in ans:
            counts = dict.fromkeys(keys, 0)
            for key in rng.choices(keys, weights=weights, k=int(a["staff_professional"])):
                counts[key] += 1
            a[qid] = counts


def _posts(rng: random.Random, ans: list[dict[str, Any]], sectors: Sequence[str]) -> None:
    spec = {
        "ai": {
            "level": {"general": 58, "short": 38, "extreme": 4},
            "education": {"dazhuan_plus": 6, "bachelor_plus": 72, "master_plus": 20, "phd": 2},
            "experience_required": {"required": 76, "none": 24},
            "language": {"proficient": 4, "skilled": 69, "basic": 27},
            "computer": {"proficient": 100, "skilled": 0, "basic": 0},
            "majors": {
                "cs": 78,
                "se": 72,
                "info_comp": 64,
                "math": 58,
                "electronic_info": 55,
                "info_mgmt": 52,
                "automation": 30,
                "statistics": 25,
                "biomed_eng": 4,
                "other": 6,
            },
        },
        "bio": {
            "level": {"general": 77, "short": 9, "extreme": 14},
            "education": {"dazhuan_plus": 0, "bachelor_plus": 44, "master_plus": 37, "phd": 19},
            "experience_required": {"required": 70, "none": 30},
            "language": {"proficient": 0, "skilled": 78, "basic": 22},
            "computer": {"proficient": 18, "skilled": 18, "basic": 64},
            "majors": {
                "bioeng": 76,
                "biopharma": 70,
                "biotech": 64,
                "biomed_eng": 58,
                "chem_bio": 53,
                "info_mgmt": 30,
                "se": 22,
                "electronic_info": 18,
                "automation": 16,
                "cs": 15,
                "statistics": 14,
                "other": 5,
            },
        },
    }
    titles_of = {"ai": AI_POSTS, "bio": BIO_POSTS}
    records: list[tuple[int, int, str]] = []  # (respondent, instance, sector)
    for i, s in enumerate(sectors):
        k = rng.choices([1, 2, 3], weights=[30, 40, 30])[0]
        records.extend((i, inst, s) for inst in range(1, k + 1))
    fields: dict[tuple[int, int], dict[str, Any]] = {(i, inst): {} for i, inst, _ in records}
    for sector, sp in spec.items():
        recs = [(i, inst) for i, inst, s in records if s == sector]
        for field in ("level", "education", "experience_required", "language", "computer"):
            for r, v in zip(recs, _exact(rng, len(recs), sp[field]), strict=True):
                fields[r][field] = v
        for r, majors in zip(recs, _multi(rng, len(recs), sp["majors"]), strict=True):
            fields[r]["majors"] = majors
        titles = titles_of[sector]
        weights = [1 / (1 + 0.08 * j) for j in range(len(titles))]
        by_firm: dict[int, list[tuple[int, int]]] = {}
        for r in recs:
            by_firm.setdefault(r[0], []).append(r)
        for firm_recs in by_firm.values():
            chosen: list[str] = []
            while len(chosen) < len(firm_recs):
                t = rng.choices(titles, weights=weights)[0]
                if t not in chosen:
                    chosen.append(t)
            for r, t in zip(firm_recs, chosen, strict=True):
                fields[r]["title"] = t
    rare = [r for r in fields if fields[r]["title"] in AI_POSTS[-10:] + BIO_POSTS[-5:]]
    for r, t in zip(rng.sample(rare, len(RARE_POSTS)), RARE_POSTS, strict=True):
        fields[r]["title"] = t
    allrecs = list(fields)
    rng.shuffle(allrecs)
    none_first = sorted(allrecs, key=lambda r: fields[r]["experience_required"] != "none")
    n_all = len(allrecs)
    fresh = set(none_first[: round(0.30 * n_all)])
    ranges = {"y1_3": 58, "y3_5": 44, "y5_plus": 38}
    exp: dict[tuple[int, int], list[str]] = {r: (["fresh"] if r in fresh else []) for r in allrecs}
    nonfresh = [r for r in allrecs if r not in fresh]
    fresh_list = [r for r in allrecs if r in fresh]
    for key, p in ranges.items():
        rng.shuffle(nonfresh)
        rng.shuffle(fresh_list)
        for r in (nonfresh + fresh_list)[: round(p * n_all / 100)]:
            exp[r].append(key)
    for r in allrecs:
        if not exp[r]:
            donor = next(d for d in allrecs if len(exp[d]) >= 2 and any(k != "fresh" for k in exp[d]))
            moved = next(k for k in exp[donor] if k != "fresh")
            exp[donor].remove(moved)
            exp[r].append(moved)
    horizons = _multi(rng, n_all, {"within_1y": 75, "y1_3": 43, "y3_5": 17, "y5_plus": 6})
    order = ["fresh", "y1_3", "y3_5", "y5_plus"]
    for r, h in zip(allrecs, horizons, strict=True):
        fields[r]["experience"] = sorted(exp[r], key=order.index)
        fields[r]["horizon"] = h
        edu = fields[r]["education"]
        base = {"dazhuan_plus": 0, "bachelor_plus": 1, "master_plus": 2, "phd": 3}[edu]
        band = ["lt100k", "s100_200k", "s200_300k", "s300_500k", "gt500k"]
        fields[r]["salary"] = band[min(4, max(0, base + rng.choice([0, 1, 1, 2]) - (1 if r[1] == 3 else 0)))]
        fields[r]["headcount"] = rng.choice([1, 1, 2, 2, 3, 5, 8, 10])
    for (i, inst), f in fields.items():
        for key, value in f.items():
            ans[i][f"post{inst}_{key}"] = value
    for i in range(len(ans)):
        for inst in (1, 2, 3):
            if f"post{inst}_title" not in ans[i]:
                for key in (
                    "title",
                    "level",
                    "headcount",
                    "education",
                    "experience_required",
                    "experience",
                    "language",
                    "computer",
                    "majors",
                    "horizon",
                    "salary",
                ):
                    ans[i][f"post{inst}_{key}"] = SKIP


def _cell(q: Question, value: Any, mode: str) -> str:
    if value is SKIP or value == SKIP:
        return SKIP
    if value is None or value == "" or value == []:
        return EMPTY
    kind = q.answer_type
    if kind in ("single", "scale"):
        opt = q.option(value)
        return str(opt.code) if mode == "number" else opt.zh
    if kind == "multiple":
        return "┋".join(str(q.option(k).code) if mode == "number" else q.option(k).zh for k in value)
    if kind == "numeric":
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value)


def wjx_table(
    survey: Survey, respondents: Sequence[dict[str, Any]], mode: str = "text", multiple: str = "joined"
) -> list[list[str]]:
    """Rows of a 问卷星-shaped export (header first): ``mode`` number|text, ``multiple`` joined|columns."""
    header = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"]
    cols: list[tuple[Question, str | None, str | None]] = []
    for q in survey.questions:
        if q.type == "matrix":
            for r in q.rows:
                header.append(f"{q.number}({r.zh})")
                cols.append((q, r.key, None))
        elif q.type == "multiple" and multiple == "columns":
            for o in q.options:
                header.append(f"{q.number}({o.zh})")
                cols.append((q, None, o.key))
        else:
            header.append(f"{q.number}、{q.zh}")
            cols.append((q, None, None))
    rows = [header]
    for resp in respondents:
        a = resp["answers"]
        row = [str(resp["meta"][h]) for h in header[:6]]
        for q, rkey, okey in cols:
            value = a.get(q.id, SKIP)
            if rkey is not None:
                value = SKIP if value == SKIP else value.get(rkey, [])
                if q.answer_type == "multiple" and value == []:
                    row.append(EMPTY)
                    continue
            if okey is not None:
                row.append(SKIP if value == SKIP else ("1" if okey in value else "0"))
                continue
            row.append(_cell(q, value, mode))
        rows.append(row)
    return rows
