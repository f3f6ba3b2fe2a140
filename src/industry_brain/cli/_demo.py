"""``ib demo``: the synthetic Hangzhou demo — the high-tech register drawn from the reconstructed map table (two
versions, imported through the real register), the synthetic talent survey, and a small patent ledger whose
parties are enterprises of the demo register (``<IB_HOME>/patents``, the ledger the dashboard serves)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from industry_brain.cli._output import JsonOpt, emit, progress

PATENT_PARTIES_PER_FIELD = 5

app = typer.Typer(no_args_is_help=True, help="演示数据 (the synthetic Hangzhou demo register)")


def _en() -> bool:
    from industry_brain._core.i18n import current_lang

    return current_lang() == "en"


def _l(zh: str, en: str) -> str:
    return en if _en() else zh


def _render(result: dict[str, Any]) -> Any:
    from industry_brain.geo import unit

    def render(console: Any) -> None:
        reg = result["register"]
        if result["noop"]:
            console.print(
                _l(
                    "演示数据已是最新（相同种子），未做任何更改。",
                    "the demo is already built (same seed); nothing changed.",
                )
            )
        console.print(
            _l(
                f"【合成数据，仅供演示】种子 {reg['seed']}，目录 {reg['directory']}",
                f"[synthetic data, demonstration only] seed {reg['seed']}, folder {reg['directory']}",
            )
        )
        files = Table(title=_l("名单版本", "list versions"))
        for h in (_l("版本", "version"), _l("文件", "file"), _l("行数", "rows")):
            files.add_column(h)
        for f in reg["files"]:
            files.add_row(str(f["version"]), Path(f["path"]).name, str(f["rows"]))
        console.print(files)
        if reg["batches"]:
            batches = Table(title=_l("导入批次", "import batches"))
            for h in (
                _l("版本", "version"),
                _l("批次", "batch"),
                _l("载入", "loaded"),
                _l("隔离", "quarantined"),
                _l("新增", "added"),
                _l("变更", "changed"),
                _l("移除", "removed"),
                _l("未变", "unchanged"),
            ):
                batches.add_column(h)
            for b in reg["batches"]:
                batches.add_row(
                    str(b["version"]),
                    str(b["batch_id"]),
                    str(b["rows_loaded"]),
                    str(b["rows_quarantined"]),
                    str(b["added"]),
                    str(b["changed"]),
                    str(b["removed"]),
                    str(b["unchanged"]),
                )
            console.print(batches)
        from industry_brain.taxonomy import field

        units = Table(
            title=_l(
                "2019 年地图各单元、各技术领域国家高新技术企业数（当前版本）",
                "national high-tech enterprises per 2019 map unit and field (current version)",
            )
        )
        fields = sorted({f for row in reg["table"].values() for f in row})
        units.add_column(_l("单元", "unit"))
        for f in fields:
            units.add_column(f, justify="right")
        units.add_column(_l("合计", "total"), justify="right")
        for code, n in sorted(reg["unit_totals"].items(), key=lambda kv: -kv[1]):
            u = unit(code, 2019)
            row = reg["table"].get(code, {})
            units.add_row(u.name_en if _en() else u.name_zh, *(str(row.get(f, 0)) for f in fields), str(n))
        field_totals = [sum(r.get(f, 0) for r in reg["table"].values()) for f in fields]
        units.add_row(_l("合计", "total"), *(str(n) for n in field_totals), str(reg["total"]))
        console.print(units)
        console.print(
            "  ".join(f"{f} {field(f).name_en if _en() else field(f).name_zh}" for f in fields), style="dim"
        )
        checks = reg["checks"]
        ok = (
            checks["counts_match_table"]
            and checks["synthetic"] == checks["records"]
            and checks["uscc_check_ok"] == checks["records"]
        )
        console.print(
            _l(
                f"核对：与重建表逐格一致 {'是' if checks['counts_match_table'] else '否'}；"
                f"合成标记 {checks['synthetic']}/{checks['records']}；信用代码校验通过 {checks['uscc_check_ok']}/"
                f"{checks['records']}" + ("" if ok else "（有问题，见 --json）"),
                f"checks: counts equal the reconstructed table cell by cell: {checks['counts_match_table']}; "
                f"synthetic {checks['synthetic']}/{checks['records']}; credit codes valid "
                f"{checks['uscc_check_ok']}/{checks['records']}" + ("" if ok else " (problems: see --json)"),
            )
        )
        talent = result.get("talent")
        if talent is not None:
            if talent.get("already_imported"):
                console.print(
                    _l(
                        f"人才调查合成答卷已导入（批次 {talent['batch_id']}）。",
                        f"synthetic talent survey already imported (batch {talent['batch_id']}).",
                    )
                )
            else:
                console.print(
                    _l(
                        f"人才调查合成答卷：载入 {talent.get('respondents_loaded')} 份（批次 "
                        f"{talent['batch_id']}）。",
                        f"synthetic talent survey: {talent.get('respondents_loaded')} respondents loaded "
                        f"(batch {talent['batch_id']}).",
                    )
                )
        pat = result.get("patents") or {}
        if pat.get("created"):
            console.print(
                _l(
                    f"演示专利账本：{pat.get('parties')} 家企业、{pat.get('patents')} 件专利、{pat.get('entries')} 条记录"
                    f"（{pat['directory']}）。",
                    f"demo patent ledger: {pat.get('parties')} enterprises, {pat.get('patents')} patents, "
                    f"{pat.get('entries')} entries ({pat['directory']}).",
                )
            )
        att = result.get("attract") or {}
        if att and not att["projects"]["noop"]:
            console.print(_l(f"智能招商演示：{att['projects']['rows_loaded']} 个招商项目，关注清单 {att['watch']['items']} 家，"
                             f"预警 {att['watch']['alerts']} 条，保存 1 次回测。",
                             f"attraction demo: {att['projects']['rows_loaded']} projects, {att['watch']['items']} "
                             f"watched firms, {att['watch']['alerts']} alerts, 1 backtest kept."))
        console.print(
            _l(
                f"用时 {result['seconds']:.1f} 秒。下一步：ib serve --demo，或 ib atlas check。",
                f"{result['seconds']:.1f} s. Next: ib serve --demo, or ib atlas check.",
            )
        )

    return render


def _load_attract_demo(store: Any) -> dict[str, dict[str, Any]]:
    """The attraction demo: a pipeline of synthetic projects, watch lists with the alerts of the two list
    versions, and one backtest kept (street panel, 2012 + 3 years) so that its page has a figure to show."""
    from industry_brain.attract import backtest, backtests, load_demo_projects, load_demo_watch, save_backtest

    projects = load_demo_projects(store)
    watch = load_demo_watch(store)
    kept = bool(backtests(store, 1))
    if not kept:
        save_backtest(store, backtest(store, 2012, 3, units="street"))
    return {"projects": {"rows_loaded": int(projects["rows_loaded"]), "noop": bool(projects["noop"])},
            "watch": {"items": int(watch.get("items", 0)), "alerts": int(watch.get("alerts", 0)),
                      "noop": bool(watch["noop"])},
            "backtest": {"kept": 1, "noop": kept}}


@app.command("build")
def build(
    seed: Annotated[
        int, typer.Option("--seed", help="随机种子：同一种子生成同一名单 (same seed, same register)")
    ] = 2019,
    as_json: JsonOpt = False,
) -> None:
    """生成并导入杭州演示数据：按重建的 14×8 表抽取 3,785 家合成高新技术企业（2018、2019 两个版本），
    并导入合成人才调查答卷。重复运行不做更改。"""
    from industry_brain._core.settings import get_settings
    from industry_brain._core.store import open_store
    from industry_brain.atlas._demo import build_demo
    from industry_brain.chains import build_graph, chains
    from industry_brain.chains import load_demo_lists as load_chain_lists
    from industry_brain.patents._demo import build_demo_book
    from industry_brain.services import load_demo as load_services_demo
    from industry_brain.talent import import_responses, synthetic_file

    t0 = time.perf_counter()
    folder = get_settings().home / "demo"
    with (
        open_store() as store,
        progress(_l("导入演示名单", "importing the demo lists"), None, enabled=not as_json) as advance,
    ):
        register = build_demo(store, folder, seed=seed, progress=advance)
        talent = import_responses(store, synthetic_file(), "hangzhou-2018", synthetic=True)
        services = {k: v.to_dict() for k, v in load_services_demo(store).items()}
        lists = {k: v.to_dict() for k, v in load_chain_lists(store, chains(), folder).items()}
        attract = _load_attract_demo(store)
        # a small patent ledger whose parties are enterprises of the register (left alone when one exists)
        parties = store.fetchall(
            "SELECT uscc, name, field_l1 FROM enterprise WHERE synthetic QUALIFY row_number() OVER"
            " (PARTITION BY field_l1 ORDER BY capital_wan DESC, uscc) <= ? ORDER BY field_l1, uscc",
            [PATENT_PARTIES_PER_FIELD],
        )
    patents = build_demo_book(get_settings().home / "patents", parties, seed=seed)
    from industry_brain.patents import PatentBook

    with open_store() as store:   # the five-chain graph over what was just loaded (the ledger included)
        graph = build_graph(store, chains(), PatentBook.open(get_settings().home / "patents").state())
    result = {
        "register": register.to_dict(),
        "talent": talent,
        "services": {k: {"rows_loaded": v["rows_loaded"], "noop": v["noop"]} for k, v in services.items()},
        "patents": {k: v for k, v in patents.items() if not isinstance(v, list | dict)},
        "chains": {**{k: {"rows_loaded": v["rows_loaded"], "noop": v["noop"]} for k, v in lists.items()},
                   "graph": {"nodes": graph["node_total"], "edges": graph["edge_total"]}},
        "attract": attract,
        "noop": register.noop and bool(talent.get("already_imported")) and not patents.get("created")
        and all(v["noop"] for v in services.values()) and all(v["noop"] for v in lists.values())
        and all(v["noop"] for v in attract.values()),
        "seconds": round(time.perf_counter() - t0, 3),
    }
    emit(result, as_json, _render(result))
