"""View models of the register: enterprise search, the portrait (企业画像), import batches and the quarantine."""

from __future__ import annotations

from typing import Any

from industry_brain._core.errors import NotFoundError
from industry_brain._core.store import Store
from industry_brain.registry import currency
from industry_brain.web._state import AppState
from industry_brain.web._views import _en, clean, field_name, future_name, unit_name


# ----------------------------------------------------------------------------------------------- enterprises
def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def enterprise_list(
    store: Store,
    *,
    q: str = "",
    unit: str | None = None,
    field: str | None = None,
    vintage: int = 2019,
    page: int = 1,
    per_page: int = 50,
    lang: str = "zh-CN",
) -> dict[str, Any]:
    """One page of a register search (name, pinyin initials, credit-code prefix), filtered by unit and field."""
    from industry_brain import registry

    result = registry.search(
        q, store=store, district=unit, field=field, limit=per_page, offset=(page - 1) * per_page
    )
    items = []
    for row in result["items"]:
        row = dict(row)
        unit_code = row.get("map_unit_2019") if vintage == 2019 else row.get("district_2021")
        row["unit_name"] = unit_name(unit_code, vintage, lang) if unit_code else None
        row["field_name"] = field_name(row.get("field_l1"), lang)
        items.append(row)
    return clean(
        {
            "items": items,
            "total": result["total"],
            "page": page,
            "per_page": per_page,
            "pages": _pages(result["total"], per_page),
            "q": q,
            "unit": unit,
            "field": field,
        }
    )


_PORTRAIT_LABELS = {
    "entity_type": ("企业类型", "Entity type"),
    "capital": ("注册资本", "Registered capital"),
    "scope": ("经营范围", "Business scope"),
    "map_unit_2019": ("2019年地图单元", "2019 map unit"),
    "district_2021": ("2021年区县", "2021 district"),
    "street": ("街道/镇", "Street / town"),
    "division": ("行政区划代码", "Division code"),
    "hightech": ("国家高新技术企业", "National high-tech enterprise"),
    "cert_no": ("证书编号", "Certificate no."),
    "cert_year": ("认定年份", "Certified in"),
    "batch": ("导入批次", "Import batch"),
    "source": ("名录", "List"),
    "imported": ("导入时间", "Imported at"),
}


def portrait(store: Store, uscc: str, lang: str, state: AppState | None = None) -> dict[str, Any]:
    """The enterprise portrait (企业画像): registration, geography with method and confidence, field with its
    deciding phrases, certificate, future industries, provenance and register history — flattened for pages."""
    from industry_brain import registry

    rec = registry.get_enterprise(uscc, store=store)
    reg, geo, fld, cert, src = (
        rec["registration"],
        rec["geography"],
        rec["field"],
        rec["certificate"],
        rec["source"],
    )
    en = _en(lang)
    data: dict[str, Any] = {
        "uscc": rec["uscc"],
        "name": rec["name"],
        "current": rec["current"],
        **{
            k: reg.get(k)
            for k in (
                "registered_on",
                "entity_type",
                "capital_wan",
                "capital_currency",
                "capital_wan_cny",
                "capital_raw",
                "business_scope",
                "address",
                "listed",
                "startup",
                "uscc_check_ok",
            )
        },
        "uscc_verdict": reg.get("uscc_verdict"),
        **{
            k: geo.get(k)
            for k in ("division_code", "division_vintage", "street", "map_unit_2019", "district_2021")
        },
        "geo_method": geo.get("method"),
        "geo_confidence": geo.get("confidence"),
        "geo_evidence": geo.get("evidence"),
        "field_l1": fld.get("field_l1"),
        "field_l2": fld.get("field_l2"),
        "field_l3": fld.get("field_l3"),
        "field_method": fld.get("method"),
        "field_confidence": fld.get("confidence"),
        "field_phrases": fld.get("phrases"),
        "future_industries": rec.get("future_industries") or [],
        "hightech": cert.get("hightech"),
        "hightech_cert_no": cert.get("cert_no"),
        "hightech_year": cert.get("year"),
        "batch_id": src.get("batch_id"),
        "source": src.get("source"),
        "source_file": src.get("file_name"),
        "source_row": src.get("source_row"),
        "synthetic": bool(src.get("synthetic")),
        "warnings": rec.get("warnings") or [],
        "history": rec.get("history") or [],
        "extra": rec.get("extra") or {},
    }
    data["labels"] = {k: (v[1] if en else v[0]) for k, v in _PORTRAIT_LABELS.items()}
    data["map_unit_2019_name"] = (
        unit_name(data["map_unit_2019"], 2019, lang) if data.get("map_unit_2019") else None
    )
    data["district_2021_name"] = (
        unit_name(data["district_2021"], 2021, lang) if data.get("district_2021") else None
    )
    data["field_path"] = [
        n for n in (field_name(data.get(k), lang) for k in ("field_l1", "field_l2", "field_l3")) if n
    ]
    data["future_names"] = [future_name(c, lang) for c in data["future_industries"]]
    data["capital"], data["capital_conversion"] = _capital_text(
        data.get("capital_wan"), data.get("capital_currency"), data.get("capital_wan_cny"), data.get("capital_raw"), en
    )
    data["uscc_note"] = (
        "校验码不符（早期试点代码可能合法）"
        if not en
        else "check character does not match (early pilot codes can be legitimate)"
    )
    data["extra_sections"] = _portrait_extras(state, rec["uscc"], lang)
    return clean(data)


def _capital_text(
    wan: float | None, code: str | None, wan_cny: float | None, raw: str | None, en: bool
) -> tuple[str | None, dict[str, Any] | None]:
    """The capital as read and, for a foreign currency, the amount in 元 with the rate and its basis (the rule)."""
    if wan is None:
        return raw, None
    code = code or "CNY"
    if code == "CNY":
        return (f"{wan * 10:,.1f} thousand CNY" if en else f"{wan:,.2f} 万元"), None
    lang = "en" if en else "zh"
    cur = currency(code)
    name = (cur.name_en if en else cur.name_zh) if cur else code
    shown = f"{wan * 10:,.1f} thousand {name} ({code})" if en else f"{wan:,.2f} 万{name}（{code}）"
    if cur is None or cur.cny_per_unit is None or wan_cny is None:
        basis = cur.basis(lang) if cur else ("no rate in the table" if en else "汇率表中没有此币种")
        return shown, {"code": code, "name": name, "cny_per_unit": None, "capital_wan_cny": None,
                       "rate": "not converted" if en else "未折算", "basis": basis}
    converted = f" ≈ {wan_cny * 10:,.1f} thousand CNY" if en else f" ≈ {wan_cny:,.2f} 万元"
    rate = f"1 {code} = {cur.cny_per_unit:.6g} CNY" if en else f"1 {name} = {cur.cny_per_unit:.6g} 元"
    return shown + converted, {**cur.to_dict(lang), "capital_wan_cny": wan_cny, "rate": rate}


_LICENCE_KINDS = {"exclusive": ("独占许可", "exclusive"), "sole": ("排他许可", "sole"),
                  "non_exclusive": ("普通许可", "non-exclusive")}
_STATUSES = {"pending": ("待知识产权局确认", "pending confirmation"), "confirmed": ("已确认", "confirmed"),
             "declined": ("已驳回", "declined")}
_ENTRY_TYPES = {
    "key_register": ("登记密钥", "key registered"), "key_rotate": ("更换密钥", "key rotated"),
    "key_revoke": ("吊销密钥", "key revoked"), "priority_claim": ("优先权主张", "priority claim"),
    "priority_reveal": ("披露优先权内容", "priority revealed"), "patent_record": ("专利登记", "patent recorded"),
    "contribution": ("贡献记录", "contribution"), "contribution_agreement": ("贡献份额约定", "contribution agreement"),
    "assignment": ("转让", "assignment"), "licence": ("许可", "licence"), "confirm": ("知识产权局确认", "confirmed by the office"),
    "decline": ("知识产权局驳回", "declined by the office"), "royalty_payment": ("许可费支付与分配", "royalty paid and split"),
    "offer": ("挂牌", "offer"), "tender": ("招标", "tender"), "bid": ("出价", "bid"), "sealed_bid": ("密封出价", "sealed bid"),
    "bid_reveal": ("揭示密封出价", "sealed bid revealed"), "award": ("成交", "award"), "evidence": ("证据存证", "evidence"),
    "citation": ("引用", "citation"), "access_request": ("查阅申请", "access requested"),
    "access_grant": ("查阅授权", "access granted"), "access": ("查阅记录", "access"),
}


def _label(table: dict[str, tuple[str, str]], code: str, en: bool) -> str:
    pair = table.get(code)
    return code if pair is None else pair[1 if en else 0]


def _portrait_extras(state: AppState | None, uscc: str, lang: str) -> list[dict[str, Any]]:
    """Sections later contexts add to the portrait: the enterprise's patents and its records on the patent ledger."""
    ledger = state.patents_state() if state is not None else None
    if ledger is None:
        return []
    from industry_brain import patents

    view = patents.enterprise_view(ledger, uscc)
    if view is None:
        return []
    en = _en(lang)
    rows: list[list[Any]] = [[
        "专利号" if not en else "Patent no.", "名称" if not en else "Title", "IPC",
        "持有份额" if not en else "Share held", "申请日" if not en else "Filed"]]
    rows += [[p["patent_no"], p["title"], " ".join(p["ipc"]), f"{p['share_bp'] / 100:.2f}%", p["filed_on"]]
             for p in view["patents"]]
    sections = [{"id": "patents", "title": ("Patents on the ledger" if en else "专利（账本记录）")
                 + f" · {len(view['patents'])}", "rows": rows}]
    licence_rows: list[list[Any]] = [[
        "专利号" if not en else "Patent no.", "被许可人" if not en else "Licensee", "类型" if not en else "Kind",
        "期限" if not en else "Term", "状态" if not en else "Status"]]
    licence_rows += [[lic["patent_no"], lic.get("licensee_name") or lic["licensee"], _label(_LICENCE_KINDS, lic["kind"], en),
                      f"{lic['start']} – {lic['end']}", _label(_STATUSES, lic["status"], en)] for lic in view["licences"]]
    if view["licences"]:
        sections.append({"id": "licences", "title": "Licences" if en else "许可", "rows": licence_rows})
    entry_rows: list[list[Any]] = [["#", "类型" if not en else "Entry type"]]
    entry_rows += [[e["entry"], _label(_ENTRY_TYPES, e["type"], en)] for e in view["entries"]]
    sections.append({"id": "ledger", "title": ("Ledger entries" if en else "账本条目")
                     + f" · {len(view['entries'])} / {view['log_size']}", "rows": entry_rows})
    return sections


# ----------------------------------------------------------------------------------------------- imports
def batches(store: Store) -> list[dict[str, Any]]:
    from industry_brain import registry

    return clean(registry.list_batches(store=store))


def _quarantine_rows(store: Store, batch_id: int, lang: str) -> list[dict[str, Any]]:
    from industry_brain import registry

    rows = registry.quarantine(batch_id, store=store, include_warnings=True)
    for r in rows:
        r["message"] = r.get("message_en") if _en(lang) else r.get("message_zh")
    return rows


def batch_report(store: Store, batch_id: int, lang: str = "zh-CN") -> dict[str, Any]:

    found = [b for b in batches(store) if b["batch_id"] == batch_id]
    if not found:
        raise NotFoundError(f"no import batch {batch_id!r}", batch_id=batch_id)
    batch = found[0]
    rows = _quarantine_rows(store, batch_id, lang)
    summary = [
        ("读取行数 rows read", batch.get("rows_read")),
        ("已导入 loaded", batch.get("rows_loaded")),
        ("隔离 quarantined", batch.get("rows_quarantined")),
        ("警告 warnings", batch.get("rows_warned")),
        ("文件 file", batch.get("file_name")),
        ("格式 format", batch.get("file_format")),
        (
            "新增 / 变更 / 移除 added / changed / removed",
            f"{batch.get('added')} / {batch.get('changed')} / {batch.get('removed')}",
        ),
        ("编码 encoding", batch.get("encoding") or "–"),
        ("表头行 header row", batch.get("header_row")),
        ("名录 source", batch.get("source")),
        ("SHA-256", batch.get("sha256")),
    ]
    return clean({**batch, "summary": summary, "quarantine": rows[:1000]})


def quarantine_page(
    store: Store, batch_id: int, page: int, per_page: int, lang: str = "zh-CN"
) -> dict[str, Any]:
    batch_report(store, batch_id)  # 404 for an unknown batch
    rows = _quarantine_rows(store, batch_id, lang)
    start = (page - 1) * per_page
    return clean(
        {
            "items": rows[start : start + per_page],
            "total": len(rows),
            "page": page,
            "per_page": per_page,
            "pages": _pages(len(rows), per_page),
        }
    )


def quarantine_xlsx(state: AppState, store: Store, batch_id: int) -> Any:
    from industry_brain import registry

    batch_report(store, batch_id)
    folder = state.settings.home / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"quarantine-batch-{batch_id}.xlsx"
    registry.export_quarantine(batch_id, path, store=store)
    return path
