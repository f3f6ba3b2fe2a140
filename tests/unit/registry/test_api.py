"""The registry's public API is pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import industry_brain.registry as registry


def test_all_is_pinned() -> None:
    assert registry.__all__ == [
        "EXPORT_FORMATS",
        "FIELDS",
        "Currency",
        "ImportReport",
        "UsccVerdict",
        "check_uscc",
        "classify_batch",
        "currency",
        "duplicates_for_review",
        "ensure_lookup_indexes",
        "export",
        "export_quarantine",
        "get_enterprise",
        "import_file",
        "list_batches",
        "load_mapping",
        "make_uscc",
        "normalise_name",
        "parse_capital",
        "parse_date",
        "quarantine",
        "search",
    ]
    for name in registry.__all__:
        assert hasattr(registry, name), name


def test_every_message_code_has_a_severity_or_is_a_verdict_part() -> None:
    from industry_brain.registry._messages import MESSAGES, SEVERITY

    for code in MESSAGES.codes():
        assert code in SEVERITY or code.startswith("uscc."), code
    for code in SEVERITY:
        assert code in MESSAGES


def test_lookup_indexes_are_dropped_by_imports_and_rebuilt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from industry_brain._core.store import open_store

    def indexes(st) -> set[str]:  # type: ignore[no-untyped-def]
        return {r[0] for r in st.fetchall("SELECT index_name FROM duckdb_indexes()")}

    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    rows = [("杭州甲科技有限公司", registry.make_uscc("9", "1", "330106", "MA2AAAAA"), "杭州市西湖区文三路1号"),
            ("杭州乙科技有限公司", registry.make_uscc("9", "1", "330108", "MA2BBBBB"), "杭州市滨江区江南大道2号")]
    first.write_text("企业名称,统一社会信用代码,注册地址\n" + "\n".join(",".join(r) for r in rows[:1]) + "\n", encoding="utf-8")
    second.write_text("企业名称,统一社会信用代码,注册地址\n" + "\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with open_store(tmp_path / "ib.duckdb") as st:
        registry.import_file(first, store=st, source="list")
        registry.ensure_lookup_indexes(st)
        registry.ensure_lookup_indexes(st)  # idempotent
        assert {"ix_enterprise_record_uscc", "ix_enterprise_current_uscc"} <= indexes(st)
        before = registry.get_enterprise(rows[0][1], store=st)
        registry.import_file(second, store=st, source="list")  # a new version: the import drops them
        assert not {"ix_enterprise_record_uscc", "ix_enterprise_current_uscc"} & indexes(st)
        registry.ensure_lookup_indexes(st)
        after = registry.get_enterprise(rows[0][1], store=st)
        assert after["name"] == before["name"] and len(after["history"]) == 2
        assert registry.get_enterprise(rows[1][1], store=st)["current"] is True
