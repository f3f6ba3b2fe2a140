"""Shared kernel: settings, the error tree, the DuckDB store with migrations, zh-CN/en messages, logging."""

from industry_brain._core.errors import (
    ConflictError,
    IndustryBrainError,
    InputError,
    IntegrityError,
    InternalError,
    NotFoundError,
    PermissionDeniedError,
)
from industry_brain._core.i18n import Catalog, current_lang, use_lang
from industry_brain._core.settings import Settings, get_settings
from industry_brain._core.store import Store, open_store

__all__ = [
    "Catalog",
    "ConflictError",
    "IndustryBrainError",
    "InputError",
    "IntegrityError",
    "InternalError",
    "NotFoundError",
    "PermissionDeniedError",
    "Settings",
    "Store",
    "current_lang",
    "get_settings",
    "open_store",
    "use_lang",
]
