"""``ib taxonomy``: the 2016 high-tech fields, the seven future industries, and the business-scope classifier."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit

app = typer.Typer(no_args_is_help=True, help="高新技术领域与未来产业分类 (fields and future industries)")


def _en() -> bool:
    from industry_brain._core.i18n import current_lang

    return current_lang() == "en"


def _label(zh: str, en: str) -> str:
    return en if _en() else zh


def _field_label(code: str | None) -> str:
    if not code:
        return "—"
    from industry_brain.taxonomy import field

    f = field(code)
    return f"{code} {f.name_en if _en() else f.name_zh}"


@app.command("fields")
def fields_cmd(
    level: Annotated[
        int | None, typer.Option("--level", help="只列出某一级：1、2 或 3 (one level only)")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出《国家重点支持的高新技术领域》(2016)：8 个领域、52 个二级、254 个三级条目。"""
    from industry_brain.taxonomy import fields

    rows = fields(level)
    payload = [f.to_dict() for f in rows]

    def render(console: Any) -> None:
        title = _label(
            f"国家重点支持的高新技术领域（2016）：{len(rows)} 条",
            f"High-tech fields (2016 list): {len(rows)} entries",
        )
        t = Table(title=title)
        for h in (_label("代码", "code"), _label("级", "level"), _label("名称", "name"), "English", "slug"):
            t.add_column(h)
        for f in rows:
            indent = "  " * (f.level - 1)
            t.add_row(f.code, str(f.level), indent + f.name_zh, f.name_en, f.slug)
        console.print(t)

    emit(payload, as_json, render)


@app.command("field")
def field_cmd(
    name: Annotated[str, typer.Argument(help="名称、代码或 slug，如 高新技术改造传统产业、10101、biomed")],
    as_json: JsonOpt = False,
) -> None:
    """按名称（含各种写法）、代码或 slug 查找一个领域。"""
    from industry_brain.taxonomy import children, field, field_from_name

    f = field_from_name(name)
    path = []
    code: str | None = f.code
    while code:
        path.append(field(code))
        code = path[-1].parent
    path.reverse()
    payload = {
        "query": name,
        **f.to_dict(),
        "path": [p.code for p in path],
        "children": [c.code for c in children(f.code)],
    }

    def render(console: Any) -> None:
        t = Table(show_header=False, title=_label("高新技术领域", "high-tech field"))
        t.add_row(_label("查询", "query"), name)
        t.add_row(_label("领域", "field"), " / ".join(_field_label(p.code) for p in path))
        t.add_row("slug", f.slug)
        kids = children(f.code)
        if kids:
            t.add_row(_label("下级", "children"), "\n".join(_field_label(c.code) for c in kids))
        console.print(t)

    emit(payload, as_json, render)


@app.command("future")
def future_cmd(as_json: JsonOpt = False) -> None:
    """列出杭州七大未来产业及其与高新技术领域的对应关系。"""
    from industry_brain.taxonomy import future_industries

    rows = future_industries()
    payload = [i.to_dict() for i in rows]

    def render(console: Any) -> None:
        t = Table(title=_label("七大未来产业与高新技术领域", "Seven future industries and high-tech fields"))
        for h in (_label("代码", "code"), _label("名称", "name"), _label("对应领域", "linked fields")):
            t.add_column(h)
        for i in rows:
            links = "\n".join(
                f"{_field_label(k.field)}{'' if not k.implies else _label('（核心）', ' (core)')}"
                for k in i.links
            )
            t.add_row(i.code, f"{i.name_zh}\n{i.name_en}", links)
        console.print(t)
        console.print(
            _label(
                "（核心）= 该领域的企业即属于此未来产业；其余为相关领域，需经营范围中出现产业本身的表述。",
                "(core) = every firm in the field belongs to the industry; other links are related fields.",
            )
        )

    emit(payload, as_json, render)


@app.command("classify")
def classify_cmd(
    text: Annotated[
        str, typer.Argument(help="经营范围文本；'-' 从标准输入逐行读取 (business scope; '-' reads lines)")
    ],
    as_json: JsonOpt = False,
) -> None:
    """由经营范围推断高新技术领域（1–3 级）、未来产业、置信度及起决定作用的词。"""
    from industry_brain.taxonomy import classify_many, future_industry

    texts = [line.rstrip("\n") for line in sys.stdin] if text == "-" else [text]
    results = classify_many(texts)
    payload: Any = [{"text": t, **r.to_dict()} for t, r in zip(texts, results, strict=True)]
    if text != "-":
        payload = payload[0]

    def render(console: Any) -> None:
        for t_, r in zip(texts, results, strict=True):
            t = Table(show_header=False, title=_label("经营范围分类", "business scope classification"))
            t.add_row(_label("经营范围", "scope"), t_ if len(t_) <= 200 else t_[:200] + "…")
            if r.field_l1 is None:
                t.add_row(
                    _label("领域", "field"),
                    _label("无（未识别出高新技术领域）", "none (no high-tech field found)"),
                )
            else:
                t.add_row(_label("一级领域", "field (level 1)"), _field_label(r.field_l1))
                t.add_row(_label("二级领域", "field (level 2)"), _field_label(r.field_l2))
                t.add_row(_label("三级领域", "field (level 3)"), _field_label(r.field_l3))
            futures = [future_industry(c) for c in r.future_industries]
            t.add_row(
                _label("未来产业", "future industries"),
                "、".join(f"{i.name_en if _en() else i.name_zh} ({i.code})" for i in futures) or "—",
            )
            t.add_row(_label("置信度", "confidence"), f"{r.confidence:.2f}")
            t.add_row(_label("依据", "phrases"), "、".join(r.phrases) or "—")
            console.print(t)

    emit(payload, as_json, render)
