"""Interface strings of the attraction pages (targets), zh-CN first; merged into ``web._i18n.UI``."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
}
