"""Build the 2018 Hangzhou talent-survey definition and its published figures from ../shared.

Reads ``../shared/reference/hangzhou-2019/talent_survey.yaml`` (every figure of the article
杭州未来产业紧缺人才研究及展望 with the sentence it came from) and writes two files into the package:

``src/industry_brain/talent/_data/hangzhou-2018.yaml``
    the questionnaire reconstructed from the article: each question's number, type, zh/en wording, options
    with codes and labels. The article prints the answers, not the questionnaire, so the wording is ours; the
    options are the categories the article reports (firm profile, figures 1-9, Table 1, the catalogue's
    requirement splits, channels, policy help, urgency). Where the article prints a misspelt label the
    option keeps the corrected label as ``zh`` and the printed one as an alias (``printed_zh``).
``src/industry_brain/talent/_data/hangzhou-2018-published.yaml``
    every figure of the article the survey can reproduce, as a measure the report recomputes, with the printed
    value, its sentence (``quote_zh``) and source line.

Run: ``.venv/bin/python scripts/build_talent_survey.py`` (idempotent; commit both outputs).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO.parent / "shared" / "reference" / "hangzhou-2019" / "talent_survey.yaml"
OUT = REPO / "src" / "industry_brain" / "talent" / "_data"

SURVEY_ID = "hangzhou-2018"


def opts(*pairs: tuple[str, str, str] | tuple[str, str, str, str]) -> list[dict[str, Any]]:
    """Options numbered 1..n from (key, zh, en[, printed_zh]) tuples."""
    out = []
    for code, pair in enumerate(pairs, start=1):
        item: dict[str, Any] = {"code": code, "key": pair[0], "zh": pair[1], "en": pair[2]}
        if len(pair) == 4:
            item["printed_zh"] = pair[3]
        out.append(item)
    return out


URGENCY = opts(
    ("not_urgent", "不紧迫", "not urgent"),
    ("moderate", "一般", "moderate"),
    ("fairly_urgent", "较为紧迫", "fairly urgent"),
    ("extremely_urgent", "刻不容缓", "cannot wait"),
)
SKILL = opts(
    ("proficient", "精通", "proficient"),
    ("skilled", "熟练掌握", "skilled"),
    ("basic", "一般掌握", "basic"),
)
HORIZON_SUBFIELD = opts(
    ("y1_3", "未来1-3年", "in 1-3 years"),
    ("y3_5", "未来3-5年", "in 3-5 years"),
    ("y5_plus", "未来5年以上", "in 5+ years", "未来5年"),
)
MAJORS = opts(
    ("cs", "计算机科学与技术", "computer science and technology"),
    ("se", "软件工程", "software engineering"),
    ("info_comp", "信息与计算科学", "information and computing science"),
    ("math", "数学与应用数学", "mathematics and applied mathematics"),
    ("electronic_info", "电子信息化", "electronic information"),
    ("info_mgmt", "信息管理与信息系统", "information management and information systems", "信息管理与信息新系统"),
    ("bioeng", "生物工程", "bioengineering"),
    ("biopharma", "生物制药", "biopharmaceutics"),
    ("biotech", "生物技术", "biotechnology"),
    ("biomed_eng", "生物医学工程", "biomedical engineering"),
    ("chem_bio", "化学生物学", "chemical biology"),
    ("automation", "自动化", "automation"),
    ("statistics", "统计学", "statistics"),
    ("other", "其他", "other"),
)


def build_questions(src: dict[str, Any]) -> list[dict[str, Any]]:
    fig8 = src["figure8_ai_subfield_demand_by_horizon"]["subfields"]
    fig9 = src["figure9_bio_subfield_demand_by_horizon"]["subfields"]
    corrections = {"推荐引擎和协助过滤算法": "推荐引擎和协同过滤算法", "表现遗传学": "表观遗传学", "休外诊新技术": "体外诊断技术"}

    def rows(subfields: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
        out = []
        for sf in subfields:
            printed = sf["label_zh"]
            row: dict[str, Any] = {"code": sf["position"], "key": f"{prefix}{sf['position']:02d}",
                                   "zh": corrections.get(printed, printed), "en": sf["label_en"].split(" (")[0]}
            if printed in corrections:
                row["printed_zh"] = printed
            out.append(row)
        return out

    q: list[dict[str, Any]] = [
        {"id": "firm_name", "type": "text", "zh": "企业名称", "en": "Firm name", "role": "firm_name"},
        {"id": "uscc", "type": "text", "zh": "统一社会信用代码", "en": "Unified social credit code", "role": "uscc",
         "required": False},
        {"id": "sector", "type": "single", "zh": "企业所属未来产业领域", "en": "Future-industry sector", "role": "sector",
         "options": opts(("ai", "人工智能", "Artificial intelligence"),
                         ("bio", "生物技术和生命科学", "Biotechnology and life science"))},
        {"id": "headcount", "type": "single", "zh": "企业人员规模", "en": "Headcount", "role": "size",
         "options": opts(("lt100", "100人以下", "under 100"), ("h100_499", "100-499人", "100-499"),
                         ("h500_999", "500-999人", "500-999"), ("ge1000", "1000人及以上", "1000 and more"))},
        {"id": "stage", "type": "single", "zh": "企业发展阶段", "en": "Development stage",
         "options": opts(("startup", "初创期", "start-up"), ("growth", "成长期", "growth"),
                         ("mature", "成熟期", "mature"), ("transition", "转型期", "transition"))},
        {"id": "ownership", "type": "single", "zh": "企业性质", "en": "Ownership", "role": "ownership",
         "options": opts(("state", "国有及国有控股企业", "state-owned or state-controlled"),
                         ("private", "民营企业", "private"), ("foreign", "外资企业", "foreign-owned"),
                         ("joint", "中外合资企业", "Sino-foreign joint venture"), ("other", "其他", "other"))},
        {"id": "years_in_industry", "type": "single", "zh": "企业在行业内发展年限", "en": "Years in the industry",
         "options": opts(("lt3", "3年以下", "under 3 years"), ("y3_5", "3-5年", "3-5 years"),
                         ("gt5", "5年以上", "over 5 years"))},
        {"id": "sales", "type": "single", "zh": "上年度销售收入", "en": "Sales last year",
         "options": opts(("lt10m", "1000万元以下", "under 10 m yuan"), ("s10m_50m", "1000万-5000万元", "10-50 m yuan"),
                         ("s50m_100m", "5000万-1亿元", "50-100 m yuan"), ("gt100m", "1亿元以上", "over 100 m yuan"))},
        {"id": "listed", "type": "single", "zh": "企业是否已上市", "en": "Listed on a stock exchange",
         "options": opts(("yes", "是", "yes"), ("no", "否", "no"))},
        {"id": "staff_total", "type": "numeric", "zh": "员工总数（人）", "en": "Total staff", "min": 1},
        {"id": "staff_professional", "type": "numeric", "zh": "其中相关专业人才人数（人）",
         "en": "Professional talent among them", "min": 0, "not_above": "staff_total"},
        {"id": "age_counts", "type": "matrix", "cell": "numeric", "zh": "专业人才年龄结构（人）",
         "en": "Professional talent by age (persons)", "min": 0, "sum_equals": "staff_professional",
         "rows": opts(("le25", "25周岁及以下", "25 and under"), ("a26_35", "26-35周岁", "26-35"),
                      ("a36_45", "36-45周岁", "36-45"), ("gt45", "45周岁以上", "over 45"))},
        {"id": "education_counts", "type": "matrix", "cell": "numeric", "zh": "专业人才学历结构（人）",
         "en": "Professional talent by education (persons)", "min": 0, "sum_equals": "staff_professional",
         "rows": opts(("phd", "博士", "doctorate"), ("master", "硕士", "master"), ("bachelor", "本科", "bachelor"),
                      ("dazhuan", "大专", "junior college"), ("hs_or_below", "高中及以下", "high school or below"))},
        {"id": "training", "type": "multiple", "zh": "企业专业人才培养方式（多选）", "en": "How the firm trains talent",
         "options": opts(("short_course", "开展相关课程短期培训（三个月以内）", "short courses (under 3 months)"),
                         ("long_course", "开展相关课程长期培训（三个月以上）", "long courses (over 3 months)"),
                         ("lectures", "举办相关专业讲座", "professional lectures"),
                         ("industry_exchange", "参与行业内交流活动", "industry exchange events"),
                         ("degree", "攻读学历学位", "degree study"),
                         ("rotation", "内部轮岗交流", "internal rotation"),
                         ("branch_posting", "派分支机构任职锻炼", "postings to branches"),
                         ("corporate_university", "企业大学内部培养", "corporate university"),
                         ("other", "其他", "other"))},
        {"id": "demand_change", "type": "single", "zh": "未来一年内企业对紧缺专业人才的需求量将",
         "en": "Next year, the firm's demand for scarce professionals will", "role": "outlook",
         "options": opts(("increase", "增加", "increase"), ("same", "不变", "stay the same"),
                         ("decrease", "减少", "decrease")),
         "coding_zh": "1=紧缺专业人才需求增加，2=紧缺专业人才需求不变，3=紧缺专业人才需求减少"},
        {"id": "ai_subfields", "type": "matrix", "cell": "multiple", "when": {"sector": "ai"},
         "zh": "企业未来所需紧缺专业人才的人工智能细分领域（每行可多选）",
         "en": "AI sub-fields the firm will need scarce talent in, by horizon", "role": "subfields",
         "rows": rows(fig8, "ai"), "options": HORIZON_SUBFIELD},
        {"id": "bio_subfields", "type": "matrix", "cell": "multiple", "when": {"sector": "bio"},
         "zh": "企业未来所需紧缺专业人才的生物技术和生命科学细分领域（每行可多选）",
         "en": "Biotech and life-science sub-fields the firm will need scarce talent in, by horizon",
         "role": "subfields", "rows": rows(fig9, "bio"), "options": HORIZON_SUBFIELD},
        {"id": "channels", "type": "multiple", "zh": "企业招聘专业人才的渠道（多选）", "en": "Recruiting channels",
         "options": opts(("online", "网络招聘", "online job sites"), ("referral", "内部员工推荐", "employee referral"),
                         ("social", "社会招聘", "open recruitment"), ("headhunter", "人才猎头", "headhunters"),
                         ("campus", "校园招聘", "campus recruitment"),
                         ("international", "国际人才交流与项目", "international talent exchange and projects"),
                         ("media_ads", "媒体广告招聘", "media advertising"), ("other", "其他", "other"))},
        {"id": "gov_help", "type": "multiple", "zh": "专业人才工作中亟待政府提供的帮助（多选）",
         "en": "Help the firm wants from government",
         "options": opts(("publicity", "加强人才政策宣传力度", "more publicity for talent policy"),
                         ("simplify_redemption", "精简人才制度兑现程序", "simpler procedures to redeem talent benefits"),
                         ("wider_coverage", "扩大人才政策覆盖范围（落户、住房、子女教育）",
                          "wider policy coverage (residence, housing, schooling)"),
                         ("fit_criteria", "人才评定条件贴合企业实际需求", "talent criteria that fit firms' needs"),
                         ("recruiting_platforms", "搭建人才交流与招聘平台", "talent exchange and recruiting platforms"),
                         ("other", "其他", "other"))},
        {"id": "publicity_channels", "type": "multiple", "zh": "希望政府通过哪些平台宣传专业人才政策（多选）",
         "en": "Where the firm wants talent policy publicised",
         "options": opts(("wechat", "公众号", "WeChat official accounts"),
                         ("portal", "政府门户网站", "government portal"), ("app", "APP", "mobile app"),
                         ("documents", "政府相关部门的文件传达", "documents from government departments"),
                         ("peers", "同业交流", "peer exchange"), ("media", "媒体报道", "media reports"),
                         ("training_meetings", "政策培训会议", "policy training meetings"))},
        {"id": "need_association", "type": "scale", "zh": "促进协会发展与产学研合作新模式的紧迫程度",
         "en": "Urgency: industry associations and new industry-university-research cooperation",
         "options": URGENCY},
        {"id": "need_benchmark_exchange", "type": "scale", "zh": "以标杆企业为首加强业内技术交流的紧迫程度",
         "en": "Urgency: technical exchange led by benchmark firms", "options": URGENCY},
        {"id": "need_joint_training", "type": "scale", "zh": "联合高校培养专业人才、建立人才储备的紧迫程度",
         "en": "Urgency: joint training with universities and a talent reserve", "options": URGENCY},
    ]
    post_fields: list[dict[str, Any]] = [
        {"field": "title", "type": "text", "zh": "紧缺岗位名称", "en": "Scarce post title"},
        {"field": "level", "type": "single", "zh": "紧缺程度", "en": "Shortage level",
         "options": opts(("general", "一般紧缺", "generally short"), ("short", "紧缺", "short"),
                         ("extreme", "十分紧缺", "extremely short"))},
        {"field": "headcount", "type": "numeric", "zh": "需求人数（人）", "en": "Persons wanted", "min": 1},
        {"field": "education", "type": "single", "zh": "学历要求", "en": "Education required",
         "options": opts(("dazhuan_plus", "大专及以上", "junior college or above"),
                         ("bachelor_plus", "本科及以上", "bachelor or above"),
                         ("master_plus", "硕士及以上", "master or above"), ("phd", "博士", "doctorate"))},
        {"field": "experience_required", "type": "single", "zh": "是否要求从业经验", "en": "Experience required",
         "options": opts(("required", "要求", "required"), ("none", "无要求", "not required"))},
        {"field": "experience", "type": "multiple", "zh": "可接受的从业经验（多选）", "en": "Experience accepted",
         "options": opts(("fresh", "应届毕业生", "fresh graduates", "应届"), ("y1_3", "1-3年", "1-3 years", "1-3年以上"),
                         ("y3_5", "3-5年", "3-5 years"), ("y5_plus", "5年以上", "over 5 years"))},
        {"field": "language", "type": "single", "zh": "外语要求", "en": "Foreign language", "options": SKILL},
        {"field": "computer", "type": "single", "zh": "计算机要求", "en": "Computer skills", "options": SKILL},
        {"field": "majors", "type": "multiple", "zh": "专业要求（多选）", "en": "Majors wanted", "options": MAJORS},
        {"field": "horizon", "type": "multiple", "zh": "需求时间（多选）", "en": "When the post is needed",
         "options": opts(("within_1y", "未来1年内", "within 1 year"), ("y1_3", "未来1-3年", "in 1-3 years"),
                         ("y3_5", "未来3-5年", "in 3-5 years"), ("y5_plus", "未来5年以上", "in 5+ years", "未来5年"))},
        {"field": "salary", "type": "single", "zh": "拟提供年薪", "en": "Annual salary offered",
         "options": opts(("lt100k", "10万元以下", "under 100k yuan"), ("s100_200k", "10-20万元", "100-200k yuan"),
                         ("s200_300k", "20-30万元", "200-300k yuan"), ("s300_500k", "30-50万元", "300-500k yuan"),
                         ("gt500k", "50万元以上", "over 500k yuan"))},
    ]
    for k in (1, 2, 3):
        for f in post_fields:
            item = {key: value for key, value in f.items() if key != "field"}
            item["id"] = f"post{k}_{f['field']}"
            item["zh"] = f"紧缺岗位{k}：{f['zh']}"
            item["en"] = f"Scarce post {k}: {f['en']}"
            item["block"] = {"name": "post", "instance": k, "field": f["field"]}
            item["required"] = False
            q.append(item)
    for number, item in enumerate(q, start=1):
        item["number"] = number
    return q


def fig(measure: str, value: Any, quote: dict[str, Any] | str, **spec: Any) -> dict[str, Any]:
    if isinstance(quote, dict):
        text, line = quote.get("quote_zh") or quote.get("text_quote_zh"), quote.get("source_line")
    else:
        text, line = quote, None
    return {"measure": measure, "printed": value, **spec, "quote_zh": text, "source_line": line}


def build_published(src: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    samples = src["survey"]["sample_sizes"]
    out.append(fig("respondents", samples["value"]["ai_firms"], samples, sector="ai", id="n_ai"))
    out.append(fig("respondents", samples["value"]["bio_firms"], samples, sector="bio", id="n_bio"))
    prof = src["firm_profile_pct"]
    for key, question, options in (
        ("headcount_under_500", "headcount", ["lt100", "h100_499"]), ("growth_stage", "stage", ["growth"]),
        ("private_enterprise", "ownership", ["private"]), ("in_industry_5y_plus", "years_in_industry", ["gt5"]),
        ("sales_over_100m_yuan", "sales", ["gt100m"]), ("listed", "listed", ["yes"]),
    ):
        out.append(fig("share_pct", prof["value"][key], prof, id=f"profile_{key}", question=question, options=options))
    f1 = src["figure1_professional_talent_share_of_staff_pct"]
    for sector in ("ai", "bio"):
        out.append(fig("ratio_pct", f1["value"][sector], f1, id=f"fig1_{sector}", sector=sector, figure=1,
                       numerator="staff_professional", denominator="staff_total"))
    for fig_no, key, question, mapping in (
        (2, "figure2_age_distribution_pct", "age_counts",
         {"age_25_and_under": "le25", "age_26_35": "a26_35", "age_36_45": "a36_45", "age_over_45": "gt45"}),
        (3, "figure3_education_distribution_pct", "education_counts",
         {"phd": "phd", "master": "master", "bachelor": "bachelor", "junior_college_dazhuan": "dazhuan",
          "high_school_or_below": "hs_or_below"}),
    ):
        block = src[key]
        for k, row in mapping.items():
            out.append(fig("matrix_sum_pct", block["value"][k], block, id=f"fig{fig_no}_{row}", figure=fig_no,
                           question=question, row=row))
    f5 = src["figure5_demand_change_next_year_pct"]
    for k in ("increase", "same", "decrease"):
        out.append(fig("share_pct", f5["value"][k], f5, id=f"fig5_{k}", figure=5, question="demand_change", options=[k]))
    neoi = src["net_employment_outlook_index"]
    out.append(fig("neoi_pct", 78, neoi, id="neoi_all", question="demand_change"))
    t1 = src["table1_demand_descriptives"]
    for row, sector in zip(t1["rows"], ("ai", "bio", None), strict=True):
        for stat in ("mean", "sd", "se", "ci95_low", "ci95_high", "min", "max"):
            printed = row[stat]
            decimals = 0 if stat in ("min", "max") else len(str(printed).split(".")[1])
            out.append(fig("table1", float(printed), {"quote_zh": t1["text_quote_zh"], "source_line": 5366},
                           id=f"table1_{sector or 'all'}_{stat}", sector=sector, stat=stat, decimals=decimals,
                           question="demand_change"))
    for fig_no, key, question in ((8, "figure8_ai_subfield_demand_by_horizon", "ai_subfields"),
                                  (9, "figure9_bio_subfield_demand_by_horizon", "bio_subfields")):
        block = src[key]
        prefix = "ai" if fig_no == 8 else "bio"
        for sf in block["subfields"]:
            for col, horizon in (("y1_3_pct", "y1_3"), ("y3_5_pct", "y3_5"), ("y5_plus_pct", "y5_plus")):
                quote = {"quote_zh": sf.get("quote_zh") or block["text_top3_quote_zh"], "source_line": None}
                out.append(fig("matrix_share_pct", sf[col], quote, id=f"fig{fig_no}_{prefix}{sf['position']:02d}_{horizon}",
                               figure=fig_no, question=question, row=f"{prefix}{sf['position']:02d}", option=horizon,
                               confidence=sf["confidence"].split(" ")[0]))
    f6 = src["figure6_post_demand_by_horizon"]
    for k, opt in (("within_1_year", "within_1y"), ("y1_3", "y1_3"), ("y3_5", "y3_5"), ("y5_plus", "y5_plus")):
        out.append(fig("post_share_pct", f6["reconstructed_pct"][k], {"quote_zh": f6["quote_zh"], "source_line": None},
                       id=f"fig6_{opt}", figure=6, field="horizon", options=[opt], confidence="medium"))
    f7 = src["figure7_experience_requirement_of_posts"]
    for k, opt in (("5y_plus", "y5_plus"), ("3_5y", "y3_5"), ("1_3y", "y1_3"), ("fresh_graduates", "fresh")):
        out.append(fig("post_share_pct", f7["value"][k], f7, id=f"fig7_{opt}", figure=7, field="experience", options=[opt]))
    cat = src["shortage_catalogue"]
    for sector in ("ai", "bio"):
        out.append(fig("catalogue_posts", cat["posts"]["value"][sector], cat["posts"], id=f"catalogue_{sector}",
                       sector=sector))
        req = cat[f"{sector}_requirements_pct"]
        splits = {
            "shortage_level": ("level", {"extremely_short_十分紧缺": ["extreme"], "short_紧缺": ["short"],
                                         "generally_short_一般紧缺": ["general"]}),
            "education": ("education", {"bachelor_or_above": ["bachelor_plus"], "master_or_above": ["master_plus"],
                                        "dazhuan_or_above": ["dazhuan_plus"], "phd": ["phd"]}),
            "experience": ("experience_required", {"required": ["required"], "no_requirement": ["none"]}),
            "foreign_language": ("language", {"proficient_精通": ["proficient"], "skilled_熟练掌握": ["skilled"],
                                              "basic_一般掌握": ["basic"]}),
            "computer": ("computer", {"proficient_精通": ["proficient"], "skilled_熟练掌握": ["skilled"],
                                      "basic_一般掌握": ["basic"]}),
        }
        for block_key, (field, mapping) in splits.items():
            block = req[block_key]
            for k, options in mapping.items():
                if k in block["value"]:
                    out.append(fig("post_share_pct", block["value"][k], block, id=f"req_{sector}_{field}_{options[0]}",
                                   sector=sector, field=field, options=options))
    majors = src["majors_in_demand"]
    key_of = {m["zh"]: m["key"] for m in MAJORS}
    key_of.update({m["printed_zh"]: m["key"] for m in MAJORS if "printed_zh" in m})
    for sector in ("ai", "bio"):
        block = majors[sector]
        out.append(fig("post_majors_over_half", [key_of[m] for m in block["value"]], block, id=f"majors_{sector}",
                       sector=sector, field="majors"))
    ch = src["recruiting_channels_pct"]
    for k, v in ch["value"].items():
        opt = {"online_recruitment_网络招聘": "online", "employee_referral_内部员工推荐": "referral",
               "social_recruitment_社会招聘": "social", "headhunters_人才猎头": "headhunter",
               "campus_recruitment_校园招聘": "campus",
               "international_talent_exchange_and_projects_国际人才交流与项目": "international",
               "media_advertising_媒体广告招聘": "media_ads"}[k]
        out.append(fig("share_pct", v, ch, id=f"channels_{opt}", question="channels", options=[opt]))
    pol = src["policy_findings"]
    out.append(fig("share_pct", pol["chose_strengthen_policy_publicity_pct"]["value"],
                   pol["chose_strengthen_policy_publicity_pct"], id="gov_help_publicity", question="gov_help",
                   options=["publicity"]))
    out.append(fig("share_pct", pol["want_simplified_redemption_pct"]["value"], pol["want_simplified_redemption_pct"],
                   id="gov_help_simplify", question="gov_help", options=["simplify_redemption"]))
    pub = pol["preferred_policy_publicity_channels_pct"]
    for k, v in pub["value"].items():
        opt = {"wechat_official_accounts_公众号": "wechat", "government_portal_政府门户网站": "portal", "app_APP": "app",
               "official_document_transmission_政府相关部门的文件传达": "documents", "peer_exchange_同业交流": "peers",
               "media_reports_媒体报道": "media", "policy_training_meetings_政策培训会议": "training_meetings"}[k]
        out.append(fig("share_pct", v, pub, id=f"publicity_{opt}", question="publicity_channels", options=[opt]))
    ex = src["exchange_and_cooperation_needs_pct"]
    for key, question, opt in (
        ("association_and_industry_university_research_urgent", "need_association", "fairly_urgent"),
        ("benchmark_led_technical_exchange_urgent", "need_benchmark_exchange", "fairly_urgent"),
        ("joint_training_with_universities_fairly_urgent", "need_joint_training", "fairly_urgent"),
        ("joint_training_with_universities_extremely_urgent", "need_joint_training", "extremely_urgent"),
    ):
        out.append(fig("share_pct", ex[key]["value"], ex[key], id=f"{question}_{opt}", question=question, options=[opt]))
    return out


def main() -> int:
    if not SOURCE.exists():
        print(f"error: {SOURCE} not found (run from the repository next to ../shared)", file=sys.stderr)
        return 2
    src = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    survey = {
        "id": SURVEY_ID,
        "year": 2018,
        "zh": "杭州市2018年度未来产业紧缺专业人才需求状况调查",
        "en": "Hangzhou 2018 survey of scarce professional talent in future industries",
        "organizer_zh": src["survey"]["organizer_zh"],
        "catalogue_zh": src["survey"]["catalogue_name_zh"],
        "source_zh": "据《杭州科技》2019年第5期《杭州未来产业紧缺人才研究及展望》重建：题目措辞为重建，选项为文中发表的类别",
        "source_en": "reconstructed from the article in Hangzhou Science & Technology 2019/5; wording is ours, "
                     "options are the categories the article reports",
        "questions": build_questions(src),
    }
    published = {
        "survey": SURVEY_ID,
        "document_zh": "《杭州科技》2019年第5期《杭州未来产业紧缺人才研究及展望》",
        "figures": build_published(src),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    header = "# Generated by scripts/build_talent_survey.py from ../shared/reference/hangzhou-2019/talent_survey.yaml\n"
    for name, data in ((f"{SURVEY_ID}.yaml", survey), (f"{SURVEY_ID}-published.yaml", published)):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        (OUT / name).write_text(header + text, encoding="utf-8")
        print(f"wrote {OUT / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
