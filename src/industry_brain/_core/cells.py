"""Spreadsheet cells that a user can open safely (OWASP "CSV injection").

Excel, WPS and LibreOffice evaluate a cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula. Every CSV and XLSX the product writes passes its text cells through :func:`guard`, which
prefixes such text with a single quote; numbers are left as numbers. Every importer passes text cells through
:func:`unguard`, so the product's own exports read back as the same values.
"""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"


def guard(value: Any) -> Any:
    """The cell as it is safe to write: text starting with a formula trigger gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return _QUOTE + value
    return value


def unguard(value: Any) -> Any:
    """Undo :func:`guard`: ``'=x`` reads back as ``=x``; any other text is returned unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == _QUOTE and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value
