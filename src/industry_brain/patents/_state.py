"""The state machine: replay entries in log order into current owners, licences, balances, trades and keys.

``State.apply(entry, now=...)`` checks one entry against every rule and, only if all hold, applies it; a
refused entry leaves the state untouched. The same code runs when a submission is checked (with ``now``, so
an entry cannot be dated in the future) and when a log is re-verified (``verify_rules``), so a log written by
a faulty or hostile writer is caught on replay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from industry_brain._core.errors import ConflictError, IntegrityError, ParseError
from industry_brain.patents import _market as market
from industry_brain.patents import _rules as rules
from industry_brain.patents._entries import Entry, format_instant, parse_entry
from industry_brain.patents._messages import MESSAGES, conflict
from industry_brain.patents._records import Ledger

CLOCK_SKEW = timedelta(minutes=5)

_CHECKS: dict[str, Callable[[Ledger, Entry, int], rules.Checked]] = {
    "genesis": rules.check_genesis,
    "key_register": rules.check_key_register,
    "key_rotate": rules.check_key_rotate,
    "key_revoke": rules.check_key_revoke,
    "priority_claim": rules.check_priority_claim,
    "priority_reveal": rules.check_priority_reveal,
    "patent_record": rules.check_patent_record,
    "contribution": rules.check_contribution,
    "contribution_agreement": rules.check_contribution_agreement,
    "assignment": market.check_assignment,
    "confirm": market.check_confirm,
    "decline": market.check_decline,
    "licence": market.check_licence,
    "royalty_payment": market.check_royalty_payment,
    "offer": market.check_offer,
    "tender": market.check_tender,
    "bid": market.check_bid,
    "sealed_bid": market.check_sealed_bid,
    "bid_reveal": market.check_bid_reveal,
    "award": market.check_award,
    "evidence": rules.check_evidence,
    "citation": rules.check_citation,
    "access_request": rules.check_access_request,
    "access_grant": rules.check_access_grant,
    "access": rules.check_access,
}


class State:
    """Patent rights as of the entries applied so far (``state.ledger`` holds the records)."""

    def __init__(self) -> None:
        self.ledger = Ledger()

    @property
    def size(self) -> int:
        return self.ledger.size

    def check(self, entry: Entry, *, now: datetime | None = None) -> rules.Commit:
        """Check ``entry`` as the next entry; return the commit that would apply it (state untouched)."""
        led = self.ledger
        index = led.size
        if index == 0 and entry.type != "genesis":
            raise conflict("genesis_missing", type=entry.type)
        if entry.nonce in led.nonces:
            raise conflict("nonce_replayed", nonce=entry.nonce, at=led.nonces[entry.nonce])
        if led.last_at is not None and entry.at < led.last_at:
            raise conflict("time_backwards", at=entry.at, last=led.last_at)
        if now is not None and entry.instant > now + CLOCK_SKEW:
            raise conflict("time_future", at=entry.at, now=format_instant(now))
        commit, subjects = _CHECKS[entry.type](led, entry, index)

        def apply() -> None:
            commit()
            led.nonces[entry.nonce] = index
            led.last_at = entry.at
            led.types.append(entry.type)
            led.subjects.append([s for s in subjects if s])
            for patent_no in subjects:
                if patent_no and patent_no in led.patents:
                    led.patents[patent_no].entries.append(index)
            led.size += 1

        return apply

    def apply(self, entry: Entry, *, now: datetime | None = None) -> int:
        """Check and apply ``entry``; returns its index. Raises ConflictError / IntegrityError on refusal."""
        index = self.ledger.size
        self.check(entry, now=now)()
        return index

    def apply_bytes(self, data: bytes) -> tuple[int, Entry]:
        entry = parse_entry(data)
        return self.apply(entry), entry


def replay(entries: Iterable[bytes]) -> State:
    """The state after applying every entry (the first refusal raises, naming the entry)."""
    state = State()
    for index, data in enumerate(entries):
        try:
            state.apply_bytes(data)
        except (ParseError, ConflictError, IntegrityError) as exc:
            raise type(exc)(
                MESSAGES.t("entry_at", index=index, reason=exc.message), entry=index, **exc.details
            ) from None
    return state


@dataclass(frozen=True)
class RuleProblem:
    index: int
    rule: str
    reason: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "rule": self.rule, "reason": self.reason}


@dataclass(frozen=True)
class RuleReport:
    """The outcome of re-checking every rule over a log."""

    size: int
    applied: int
    problems: tuple[RuleProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "size": self.size, "applied": self.applied,
                "problems": [p.to_dict() for p in self.problems]}


def check_all(entries: Iterable[bytes]) -> tuple[State, RuleReport]:
    """Replay every entry, recording (not raising) refusals; refused entries are skipped, as a writer would."""
    state = State()
    problems: list[RuleProblem] = []
    size = 0
    for index, data in enumerate(entries):
        size += 1
        try:
            state.apply(parse_entry(data))
        except (ParseError, ConflictError, IntegrityError) as exc:
            rule = str(exc.details.get("rule", exc.code))
            reason = exc.details.get("reason") or {"zh": exc.message, "en": exc.message}
            problems.append(RuleProblem(index, rule, reason))
            _skip(state)
    return state, RuleReport(size, size - len(problems), tuple(problems))


def _skip(state: State) -> None:
    """Occupy a refused entry's index so that later entries keep their log numbers."""
    led = state.ledger
    led.types.append("refused")
    led.subjects.append([])
    led.size += 1
