"""The ``registry`` context: the enterprise register.

It reads a bureau's own lists of enterprises — CSV (UTF-8, UTF-8 with BOM, GB18030), XLSX (header below title
rows, merged cells) and Parquet, with Chinese headers — normalises and validates every row, places it on the map
(:mod:`industry_brain.geo`) and in a technology field (:mod:`industry_brain.taxonomy`), and loads it as one
atomic, versioned batch. Nothing read is lost: a row is loaded, or quarantined with its row number, field,
stable code and a zh/en message.

Example::

    >>> from industry_brain.registry import import_file, get_enterprise, check_uscc
    >>> report = import_file("高新技术企业名单.xlsx", source="hightech")
    >>> report.rows_read == report.rows_loaded + report.rows_quarantined
    True
    >>> check_uscc("91330100143057362X").check_ok
    False

Tables (``_core/migrations/00*_registry*.sql``): ``import_batch``, ``enterprise_record`` (every batch),
``enterprise_current`` (which batch holds each code) and the view ``enterprise`` over both (the current
register), ``quarantine``, ``duplicate_review``.
"""

from industry_brain.registry._batch import classify_batch, import_file
from industry_brain.registry._columns import FIELDS, load_mapping
from industry_brain.registry._currency import Currency, currency
from industry_brain.registry._normalise import normalise_name, parse_capital, parse_date
from industry_brain.registry._register import (
    EXPORT_FORMATS,
    duplicates_for_review,
    ensure_lookup_indexes,
    export,
    export_quarantine,
    get_enterprise,
    list_batches,
    quarantine,
    search,
)
from industry_brain.registry._report import ImportReport
from industry_brain.registry._uscc import UsccVerdict, check_uscc, make_uscc

__all__ = [
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
