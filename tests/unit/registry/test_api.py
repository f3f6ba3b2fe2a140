"""The registry's public API is pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import industry_brain.registry as registry


def test_all_is_pinned() -> None:
    assert registry.__all__ == [
        "EXPORT_FORMATS",
        "FIELDS",
        "ImportReport",
        "UsccVerdict",
        "check_uscc",
        "classify_batch",
        "duplicates_for_review",
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
