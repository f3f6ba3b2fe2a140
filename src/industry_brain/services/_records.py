"""Providers and needs as the platform holds them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Provider:
    """A service provider (服务机构)."""

    provider_id: str
    name: str
    kind: str
    description: str
    fields: tuple[str, ...] = ("*",)
    district: str | None = None
    capacity: int | None = None
    price: str | None = None
    contact: str | None = None
    phone: str | None = None
    uscc: str | None = None
    owner: str | None = None
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["fields"] = list(self.fields)
        return d


@dataclass(frozen=True)
class Need:
    """An enterprise's request (需求) in its own words."""

    need_id: str
    text: str
    field: str | None = None
    district: str | None = None
    deadline: date | None = None
    budget_wan: float | None = None
    uscc: str | None = None
    owner: str | None = None
    status: str = "open"
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["deadline"] = self.deadline.isoformat() if self.deadline else None
        return d
