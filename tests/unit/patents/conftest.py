"""A small in-memory world for the patents state machine: deterministic keys, a clock, one-line submissions."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from industry_brain.patents import PartyKey, State, prepare_entry
from industry_brain.patents._keys import key_from_seed


class World:
    """A State plus the keys of every party; ``submit`` signs, dates and applies an entry."""

    def __init__(self) -> None:
        self.state = State()
        self.now = datetime(2019, 3, 1, 9, 0, 0, tzinfo=UTC)
        self.keys: dict[str, PartyKey] = {}
        office = self.key("ipo")
        self.submit("genesis", {"office": "ipo", "name": "知识产权局", "public_key": office.public_b64}, ["ipo"])

    def key(self, party: str, generation: int = 0) -> PartyKey:
        seed = hashlib.sha256(f"{party}/{generation}".encode()).digest()
        return key_from_seed(party, seed)

    def tick(self, **delta: float) -> datetime:
        self.now += timedelta(**delta) if delta else timedelta(hours=1)
        return self.now

    def draft(self, type_: str, body: dict[str, Any], signers: list[str] | list[PartyKey]) -> Any:
        keys = [s if isinstance(s, PartyKey) else self.keys.get(s) or self.key(s) for s in signers]
        return prepare_entry({"type": type_, "body": body}, keys, now=self.now)

    def submit(self, type_: str, body: dict[str, Any], signers: list[str] | list[PartyKey]) -> int:
        self.tick(minutes=1)
        entry = self.draft(type_, body, signers)
        index = self.state.apply(entry, now=self.now)
        if type_ == "genesis":
            self.keys[body["office"]] = self.key(body["office"])
        return index

    def register(self, *parties: str, **extra: Any) -> None:
        for party in parties:
            key = self.key(party)
            self.submit("key_register", {"party": party, "public_key": key.public_b64, **extra}, ["ipo", key])
            self.keys[party] = key

    def patent(self, patent_no: str = "CN201910000001.1", owners: dict[str, int] | None = None,
               inventors: list[str] | None = None, **extra: Any) -> int:
        owners = owners or {"alice": 6000, "bob": 4000}
        body = {"patent_no": patent_no, "title": extra.pop("title", "一种锂电池隔膜的制备方法"),
                "ipc": extra.pop("ipc", ["H01M 50/40"]), "filed_on": extra.pop("filed_on", "2019-01-10"),
                "expires_on": extra.pop("expires_on", "2039-01-10"),
                "owners": [{"party": p, "share_bp": s} for p, s in owners.items()],
                "inventors": inventors or sorted(owners), **extra}
        return self.submit("patent_record", body, ["ipo"])

    @property
    def led(self) -> Any:
        return self.state.ledger


@pytest.fixture
def world() -> World:
    w = World()
    w.register("alice", "bob", "carol", "dave", "erin")
    return w
