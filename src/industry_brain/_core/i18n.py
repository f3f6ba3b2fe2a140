"""zh-CN / en messages.

Each context keeps its own :class:`Catalog` of messages, keyed by a stable ASCII code::

    MESSAGES = Catalog({
        "uscc_malformed": ("统一社会信用代码格式错误：{value!r}，应为18位", "malformed credit code {value!r}: expected 18 characters"),
    })
    MESSAGES.t("uscc_malformed", value="123")          # in the current language
    MESSAGES.both("uscc_malformed", value="123")       # {"zh": ..., "en": ...}

The current language is a context variable: the CLI sets it from ``--lang`` / ``IB_LANG``, the web adapter
per request. Chinese is the default.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

Lang = Literal["zh-CN", "en"]
LANGS: tuple[Lang, ...] = ("zh-CN", "en")

_current: ContextVar[Lang | None] = ContextVar("ib_lang", default=None)


def current_lang() -> Lang:
    """The language in force: the context variable, else the ``IB_LANG`` setting."""
    lang = _current.get()
    if lang is not None:
        return lang
    from industry_brain._core.settings import get_settings

    return get_settings().lang


def normalise_lang(value: str | None) -> Lang:
    """``en``, ``en-US``, ``EN`` → ``en``; anything else (``zh``, ``zh-CN``, None) → ``zh-CN``."""
    if value and value.strip().lower().startswith("en"):
        return "en"
    return "zh-CN"


@contextmanager
def use_lang(lang: str | None) -> Iterator[Lang]:
    """Run a block in a language."""
    token = _current.set(normalise_lang(lang))
    try:
        yield normalise_lang(lang)
    finally:
        _current.reset(token)


def set_lang(lang: str | None) -> None:
    """Set the language for the rest of this context (the CLI calls it once)."""
    _current.set(normalise_lang(lang))


class Catalog:
    """A context's messages: ``code → (zh-CN template, en template)``, formatted with ``str.format``."""

    def __init__(self, messages: Mapping[str, tuple[str, str]]) -> None:
        self._messages = dict(messages)

    def __contains__(self, code: object) -> bool:
        return code in self._messages

    def codes(self) -> list[str]:
        return sorted(self._messages)

    def t(self, code: str, lang: str | None = None, /, **values: Any) -> str:
        """The message ``code`` in ``lang`` (default: the current language)."""
        zh, en = self._messages[code]
        template = en if normalise_lang(lang or current_lang()) == "en" else zh
        return template.format(**values)

    def both(self, code: str, /, **values: Any) -> dict[str, str]:
        """The message in both languages, as stored with quarantined rows and published figures."""
        zh, en = self._messages[code]
        return {"zh": zh.format(**values), "en": en.format(**values)}
