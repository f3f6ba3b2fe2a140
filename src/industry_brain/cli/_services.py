"""``ib services``: the innovation-service platform — providers, needs, matching, ratings, credit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit
from industry_brain.cli._output import store as _store
from industry_brain.cli._output import ui_lang as _lang
from industry_brain.cli._output import zh_en as _l

app = typer.Typer(no_args_is_help=True, help="创新服务平台：服务机构、需求、精准匹配、评价与信用 (innovation services)")
providers_app = typer.Typer(no_args_is_help=True, help="服务机构 (providers)")
needs_app = typer.Typer(no_args_is_help=True, help="需求 (needs)")
credit_app = typer.Typer(no_args_is_help=True, help="信用记录 (credit)")
app.add_typer(providers_app, name="providers")
app.add_typer(needs_app, name="needs")
app.add_typer(credit_app, name="credit")

TopOpt = Annotated[int, typer.Option("--top", "-k", min=1, max=100, help="结果数 (how many)")]


def _import_render(res: dict[str, Any]) -> Any:
    def render(console: Any) -> None:
        if res["noop"]:
            console.print(_l(f"该文件已导入（批次 {res['batch_id']}），未做任何更改。",
                             f"file already imported (batch {res['batch_id']}); nothing changed."))
            return
        console.print(_l(f"批次 {res['batch_id']}：读取 {res['rows_read']} 行，载入 {res['rows_loaded']}，"
                         f"隔离 {res['rows_quarantined']}，警告 {res['warnings']}",
                         f"batch {res['batch_id']}: {res['rows_read']} rows read, {res['rows_loaded']} loaded, "
                         f"{res['rows_quarantined']} quarantined, {res['warnings']} warnings"))
        for p in res["problems"]:
            console.print(f"  · [{p['severity']}] {p['code']}: {p['message_zh'] if _lang() == 'zh' else p['message_en']}")

    return render


@app.command("demo")
def demo(as_json: JsonOpt = False) -> None:
    """载入示例服务机构名录（180 家，合成数据）与示例需求。"""
    from industry_brain.services import load_demo

    with _store() as store:
        res = {k: v.to_dict() for k, v in load_demo(store).items()}

    def render(console: Any) -> None:
        for k, r in res.items():
            console.print(f"{k}: " + _l(f"载入 {r['rows_loaded']} 行" if not r["noop"] else "已存在，未更改",
                                        f"{r['rows_loaded']} loaded" if not r["noop"] else "already there"))

    emit(res, as_json, render)


@providers_app.command("import")
def providers_import(
    file: Annotated[Path, typer.Argument(help="XLSX / CSV 服务机构名录（中文表头）")], as_json: JsonOpt = False
) -> None:
    """导入服务机构名录：整批原子导入，问题行隔离，重复导入不改变任何内容。"""
    from industry_brain.services import import_providers

    with _store() as store:
        res = import_providers(store, file).to_dict()
    emit(res, as_json, _import_render(res))


@providers_app.command("list")
def providers_list(
    kind: Annotated[str | None, typer.Option("--kind", help="机构类型代码，如 testing")] = None,
    district: Annotated[str | None, typer.Option("--district", help="区县代码或名称")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出服务机构。"""
    from industry_brain.services import district_code, kinds, providers

    with _store() as store:
        rows = [p.to_dict() for p in providers(store, kind=kind, district=district_code(district) if district else None)]

    def render(console: Any) -> None:
        t = Table(title=_l(f"服务机构 {len(rows)} 家", f"{len(rows)} providers"), title_justify="left")
        for h in (_l("编号", "id"), _l("名称", "name"), _l("类型", "kind"), _l("区县", "district"), _l("领域", "fields")):
            t.add_column(h)
        for r in rows:
            k = kinds().get(r["kind"])
            t.add_row(r["provider_id"], r["name"], k.name(_lang()) if k else r["kind"], r["district"] or "–",
                      "、".join(r["fields"]))
        console.print(t)

    emit(rows, as_json, render)


@providers_app.command("show")
def providers_show(provider_id: Annotated[str, typer.Argument(help="机构编号")], as_json: JsonOpt = False) -> None:
    """机构档案：基本信息、评价（贝叶斯平均）与信用等级及其规则。"""
    from industry_brain.services import credit, get_provider, shown_rating

    lang = _lang()
    with _store() as store:
        p = get_provider(store, provider_id).to_dict()
        payload = {"provider": p, "rating": shown_rating(store, provider_id).to_dict(lang),
                   "credit": credit(store, provider_id).to_dict(lang)}

    def render(console: Any) -> None:
        console.print(f"[bold]{p['name']}[/bold]  {p['provider_id']}  {p['kind']}")
        console.print(p["description"])
        r, c = payload["rating"], payload["credit"]
        console.print(_l(f"评价：{r['shown']:.2f}（{r['ratings']} 条）", f"rating: {r['shown']:.2f} ({r['ratings']})")
                      + f"  — {r['rule']}")
        console.print(_l(f"信用：{c['grade']} 级，{c['score']} 分", f"credit: grade {c['grade']}, score {c['score']}"))
        for line in c["rule"]:
            console.print(f"  {line}")

    emit(payload, as_json, render)


@needs_app.command("import")
def needs_import(file: Annotated[Path, typer.Argument(help="XLSX / CSV 需求清单（中文表头）")], as_json: JsonOpt = False) -> None:
    """导入需求清单。"""
    from industry_brain.services import import_needs

    with _store() as store:
        res = import_needs(store, file).to_dict()
    emit(res, as_json, _import_render(res))


@needs_app.command("add")
def needs_add(
    text: Annotated[str, typer.Argument(help="需求描述，如「需要GMP车间共享和注射剂中试」")],
    field: Annotated[str | None, typer.Option("--field", help="高新技术领域代码或名称")] = None,
    district: Annotated[str | None, typer.Option("--district", help="区县代码或名称")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="截止日期 YYYY-MM-DD")] = None,
    budget: Annotated[float | None, typer.Option("--budget", min=0, help="预算（万元）")] = None,
    uscc: Annotated[str | None, typer.Option("--uscc", help="提出需求的企业信用代码")] = None,
    as_json: JsonOpt = False,
) -> None:
    """登记一条需求。"""
    from industry_brain.registry import parse_date
    from industry_brain.services import add_need

    with _store() as store:
        need = add_need(store, text, field_code=field, district=district,
                        deadline=parse_date(deadline) if deadline else None, budget_wan=budget, uscc=uscc).to_dict()
    emit(need, as_json, lambda c: c.print(_l(f"已登记需求 {need['need_id']}", f"need {need['need_id']} recorded")))


@needs_app.command("list")
def needs_list(
    status: Annotated[str | None, typer.Option("--status", help="open | engaged | closed")] = None,
    as_json: JsonOpt = False,
) -> None:
    """列出需求。"""
    from industry_brain.services import needs

    with _store() as store:
        rows = [n.to_dict() for n in needs(store, status=status)]

    def render(console: Any) -> None:
        t = Table(title=_l(f"需求 {len(rows)} 条", f"{len(rows)} needs"), title_justify="left")
        for h in (_l("编号", "id"), _l("需求", "request"), _l("领域", "field"), _l("区县", "district"), _l("状态", "status")):
            t.add_column(h)
        for r in rows:
            t.add_row(r["need_id"], r["text"], r["field"] or "–", r["district"] or "–", r["status"])
        console.print(t)

    emit(rows, as_json, render)


def _matches_render(title: str, hits: list[dict[str, Any]], key: str) -> Any:
    def render(console: Any) -> None:
        console.print(f"[bold]{title}[/bold]")
        for h in hits:
            other = h[key]
            label = other.get("name") or other.get("text")
            console.print(f"{h['rank']:>2}. {h.get(key + '_id', '')} {label}  "
                          f"[bold]{h['score']:.3f}[/bold]")
            for w in h["why"]:
                console.print(f"      {w['component']:<10} {w['value']:.2f} × {w['weight']:.2f} = "
                              f"{w['contribution']:.3f}  {w['reason']}")

    return render


@app.command("match")
def match(
    need_id: Annotated[str, typer.Argument(help="需求编号")],
    top: TopOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """为一条需求推荐服务机构：每个结果列出得分的各项构成与理由。"""
    from industry_brain.services import match_need

    with _store() as store:
        res = match_need(store, need_id, top, _lang()).to_dict()
    emit(res, as_json, _matches_render(res["need"]["text"], res["matches"], "provider"))


@app.command("fits")
def fits(
    provider_id: Annotated[str, typer.Argument(help="机构编号")],
    top: TopOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """反向匹配：与某服务机构最契合的开放需求。"""
    from industry_brain.services import get_provider, needs_for_provider

    with _store() as store:
        name = get_provider(store, provider_id).name
        hits = needs_for_provider(store, provider_id, top, _lang())
    emit(hits, as_json, _matches_render(name, hits, "need"))


@app.command("engage")
def engage_(
    need_id: Annotated[str, typer.Argument(help="需求编号")],
    provider_id: Annotated[str, typer.Argument(help="机构编号")],
    as_json: JsonOpt = False,
) -> None:
    """记录企业选定某机构为某需求提供服务（之后可评价）。"""
    from industry_brain.services import engage, engagement, match_need

    with _store() as store:
        ranked = {m["provider_id"]: m for m in match_need(store, need_id, 100).matches}
        hit = ranked.get(provider_id)
        eid = engage(store, need_id, provider_id, rank=hit["rank"] if hit else None, score=hit["score"] if hit else None)
        res = engagement(store, eid)
    emit(res, as_json, lambda c: c.print(_l(f"已建立服务关系 {eid}", f"engagement {eid} recorded")))


@app.command("rate")
def rate_(
    engagement_id: Annotated[int, typer.Argument(help="服务关系编号")],
    rater: Annotated[str, typer.Option("--rater", help="评价人（企业账户或信用代码）")],
    quality: Annotated[int, typer.Option("--quality", min=1, max=5, help="专业能力 1–5")],
    timeliness: Annotated[int, typer.Option("--timeliness", min=1, max=5, help="响应与时效 1–5")],
    value: Annotated[int, typer.Option("--value", min=1, max=5, help="价格合理 1–5")],
    communication: Annotated[int, typer.Option("--communication", min=1, max=5, help="服务态度与沟通 1–5")],
    comment: Annotated[str | None, typer.Option("--comment", help="评语")] = None,
    as_json: JsonOpt = False,
) -> None:
    """评价一次服务（每次服务只能评价一次），评价同时记入信用记录。"""
    from industry_brain.services import rate

    stars = {"quality": quality, "timeliness": timeliness, "value_for_money": value, "communication": communication}
    with _store() as store:
        res = rate(store, engagement_id, rater, stars, comment=comment)
    emit(res, as_json, lambda c: c.print(_l(f"已评价：总评 {res['overall']:.2f}", f"rated: overall {res['overall']:.2f}")))


@credit_app.command("show")
def credit_show(
    provider_id: Annotated[str, typer.Argument(help="机构编号")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="计算日期 YYYY-MM-DD（默认今天）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """信用等级、分数、计入的事件、历史与规则。"""
    from industry_brain.registry import parse_date
    from industry_brain.services import credit

    with _store() as store:
        rep = credit(store, provider_id, parse_date(as_of) if as_of else None).to_dict(_lang())

    def render(console: Any) -> None:
        console.print(_l(f"{provider_id} 信用 {rep['grade']} 级（{rep['score']} 分，{rep['as_of']}）",
                         f"{provider_id} credit grade {rep['grade']} (score {rep['score']}, {rep['as_of']})"))
        for h in rep["history"]:
            console.print(f"  {h['occurred_on']}  {h['kind']:<17} {h['points']:+g} → {h['score']:g} {h['grade']}")
        for line in rep["rule"]:
            console.print(f"  {line}")

    emit(rep, as_json, render)


@credit_app.command("event")
def credit_event(
    provider_id: Annotated[str, typer.Argument(help="机构编号")],
    kind: Annotated[str, typer.Option("--kind", help="complaint_upheld | contract_broken | award | penalty")],
    on: Annotated[str, typer.Option("--on", help="发生日期 YYYY-MM-DD")],
    detail: Annotated[str | None, typer.Option("--detail", help="说明")] = None,
    source: Annotated[str | None, typer.Option("--source", help="来源（如处罚决定书文号）")] = None,
    as_json: JsonOpt = False,
) -> None:
    """记录一条信用事件（同时写入防篡改的信用日志）。"""
    from industry_brain._core.errors import InputError
    from industry_brain.registry import parse_date
    from industry_brain.services import record_event

    if kind == "rating":
        raise InputError("rating events come from `ib services rate`, not by hand", field="--kind")
    day = parse_date(on)
    if day is None:
        raise InputError(f"--on {on!r}: expected a date YYYY-MM-DD", field="--on")
    with _store() as store:
        eid = record_event(store, provider_id, kind, day, detail=detail, source=source)
    emit({"event_id": eid}, as_json, lambda c: c.print(_l(f"已记录信用事件 {eid}", f"credit event {eid} recorded")))


@credit_app.command("import")
def credit_import(
    file: Annotated[Path, typer.Argument(help="XLSX / CSV 信用事件清单，如行政处罚公示（中文表头）")], as_json: JsonOpt = False
) -> None:
    """导入信用事件清单（默认行政处罚）：整批原子导入并写入信用日志，无法对应机构的行隔离，重复导入不重复计入。"""
    from industry_brain.services import import_credit_events

    with _store() as store:
        res = import_credit_events(store, file).to_dict()
    emit(res, as_json, _import_render(res))


@credit_app.command("verify")
def credit_verify(as_json: JsonOpt = False) -> None:
    """校验整个信用日志（任何篡改都会被发现）。"""
    from industry_brain.services import verify_credit_log

    rep = verify_credit_log()
    emit(rep, as_json, lambda c: c.print(_l("信用日志校验通过", "credit log verifies") if rep["ok"] else
                                         _l("信用日志校验失败：", "credit log fails: ") + json.dumps(rep["problems"], ensure_ascii=False)))
    if not rep["ok"]:
        raise typer.Exit(3)


@credit_app.command("prove")
def credit_prove(
    provider_id: Annotated[str, typer.Argument(help="机构编号")],
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="证明文件夹中的 JSON 文件")],
    as_json: JsonOpt = False,
) -> None:
    """导出某机构全部信用事件的证明包，第三方可离线用 `ib ledger verify-proof` 校验。"""
    from industry_brain._core.errors import writing
    from industry_brain.services import credit_proofs

    with _store() as store:
        proofs = credit_proofs(store, provider_id)
    with writing(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(proofs, ensure_ascii=False, indent=1), encoding="utf-8")
        for e in proofs["events"]:
            (out.parent / f"{out.stem}.event-{e['event_id']}.json").write_text(json.dumps(e["bundle"]), encoding="utf-8")
        (out.parent / f"{out.stem}.vkey").write_text(proofs["verifier_key"] + "\n", encoding="utf-8")
    res = {"path": str(out), "events": len(proofs["events"]), "verifier_key": proofs["verifier_key"]}
    emit(res, as_json, lambda c: c.print(_l(f"已写入 {out}（{res['events']} 条事件的证明）",
                                            f"written {out} (proofs of {res['events']} events)")))


@app.command("evaluate")
def evaluate_(as_json: JsonOpt = False) -> None:
    """在带标注的示例需求上评估匹配排序（nDCG@5、recall@10），与关键词重合基线对比。"""
    from industry_brain.services import evaluate_demo

    res = evaluate_demo()

    def render(console: Any) -> None:
        t = Table(title=_l(f"匹配评估（{res['providers']} 家机构）", f"matching evaluation ({res['providers']} providers)"))
        for h in ("", "needs", "nDCG@5", "recall@10", "ideal in top 5", "precision@5"):
            t.add_column(h)
        for name in ("ranker", "baseline_keyword_overlap"):
            for part, s in res[name].items():
                t.add_row(f"{name} ({part})", str(s["needs"]), f"{s['ndcg@5']:.3f}", f"{s['recall@10']:.3f}",
                          f"{s['ideal_in_top5']:.3f}", f"{s['precision@5']:.3f}")
        console.print(t)

    emit(res, as_json, render)
