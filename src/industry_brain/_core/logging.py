"""Logging is configured only by the CLI (library modules use ``logging.getLogger(__name__)``)."""

from __future__ import annotations

import logging


def configure_logging(level: str = "WARNING") -> None:
    """Send the product's log records to stderr at ``level`` (idempotent)."""
    root = logging.getLogger("industry_brain")
    root.setLevel(level.upper())
    if not any(getattr(h, "_ib", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler._ib = True  # type: ignore[attr-defined]
        root.addHandler(handler)
