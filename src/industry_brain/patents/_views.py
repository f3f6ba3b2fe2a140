"""Read models over the replayed state: a patent, an entry, a patent's history, balances, trades, keys, quality."""

from __future__ import annotations

from typing import Any

from industry_brain.patents._messages import MESSAGES
from industry_brain.patents._quality import PatentFacts, QualityRow, quality_indicators
from industry_brain.patents._records import TransferState
from industry_brain.patents._state import State


def _licence(t: TransferState) -> dict[str, Any]:
    b = t.body
    return {"entry": t.index, "status": t.status, "settled": t.settled, "licensee": b.licensee, "kind": b.kind,
            "territory": list(b.territory), "fields": list(b.fields), "start": b.start, "end": b.end,
            "royalty": b.royalty.model_dump(mode="json")}


def patent_view(state: State, patent_no: str) -> dict[str, Any]:
    """Current owners, inventors, licences, pending transfers and royalty split basis of one patent."""
    led = state.ledger
    p = led.patents[patent_no]
    transfers = [t for t in led.transfers.values() if t.patent_no == patent_no]
    return {
        "patent_no": p.patent_no, "entry": p.index, "title": p.title, "abstract": p.abstract, "ipc": p.ipc,
        "field": p.field, "filed_on": p.filed_on, "granted_on": p.granted_on, "expires_on": p.expires_on,
        "applicant": p.applicant,
        "owners": [{"party": k, "share_bp": v} for k, v in sorted(p.owners.items())],
        "inventors": p.inventors, "priority_claims": p.priority_claims,
        "contribution_agreement": (
            [{"party": k, "share_bp": v} for k, v in sorted(p.agreement.items())] if p.agreement else None
        ),
        "licences": [_licence(t) for t in transfers if t.kind == "licence"],
        "assignments": [
            {"entry": t.index, "status": t.status, "settled": t.settled,
             "assignors": [h.model_dump() for h in t.body.assignors],
             "assignees": [h.model_dump() for h in t.body.assignees]}
            for t in transfers if t.kind == "assignment"
        ],
        "open_trades": [trade_view(state, i) for i, t in led.trades.items()
                        if t.kind == "offer" and t.body.patent_no == patent_no and t.status == "open"],
        "entries": p.entries,
    }


def trade_view(state: State, index: int) -> dict[str, Any]:
    led = state.ledger
    t = led.trades[index]
    bids = [{"entry": b.index, "bidder": b.bidder, "amount_fen": b.amount_fen, "sealed": b.sealed,
             "patent_no": b.patent_no} for b in (led.bids[i] for i in t.bids)]
    view = {"entry": index, "kind": t.kind, "status": t.status, "principals": t.principals,
            "terms": t.body.model_dump(mode="json", exclude_none=True), "bids": bids,
            "award": t.award, "winner": t.winner, "amount_fen": t.amount_fen, "executed_by": t.used_by}
    return view


def summary(state: State) -> dict[str, Any]:
    """Everything a dashboard needs: parties and key states, patents, balances, open trades."""
    led = state.ledger
    return {
        "size": led.size,
        "office": led.office,
        "parties": [
            {"party": p.party, "role": p.role, "name": p.name, "uscc": p.uscc,
             "keys": [{"key_id": k, "status": led.keys[k].status, "since": led.keys[k].since,
                       "ended": led.keys[k].ended} for k in p.keys]}
            for p in led.parties.values()
        ],
        "patents": [{"patent_no": p.patent_no, "title": p.title,
                     "owners": [{"party": k, "share_bp": v} for k, v in sorted(p.owners.items())]}
                    for p in led.patents.values()],
        "balances": [{"party": k, "received_fen": b.received_fen, "paid_fen": b.paid_fen}
                     for k, b in sorted(led.balances.items())],
        "open_trades": [trade_view(state, i) for i, t in led.trades.items() if t.status == "open"],
        "pending": [{"entry": t.index, "kind": t.kind, "patent_no": t.patent_no}
                    for t in led.transfers.values() if t.status == "pending"],
    }


def entry_status(state: State, index: int) -> dict[str, Any]:
    """What the state says about entry ``index`` beyond its content (settlement, reveal, award, access)."""
    led = state.ledger
    out: dict[str, Any] = {"type": led.types[index] if index < len(led.types) else None,
                           "patents": led.subjects[index] if index < len(led.subjects) else []}
    if index in led.transfers:
        t = led.transfers[index]
        out.update(status=t.status, settled=t.settled)
    if index in led.claims:
        c = led.claims[index]
        out.update(revealed=c.revealed, tsa_time=c.tsa_time)
    if index in led.trades:
        out.update(trade=trade_view(state, index))
    if index in led.access:
        a = led.access[index]
        out.update(grant=a.grant, accesses=a.accesses)
    return out


def history(state: State, patent_no: str) -> list[int]:
    """Entry numbers that concern ``patent_no``, in log order."""
    return [i for i, subjects in enumerate(state.ledger.subjects) if patent_no in subjects]


def quality(state: State) -> list[QualityRow]:
    """OECD indicators for every patent on the log, from its citation entries."""
    led = state.ledger
    facts = [PatentFacts(p.patent_no, p.filed_on, tuple(p.ipc), p.field) for p in led.patents.values()]
    external = {
        c.cited: PatentFacts(c.cited, c.cited_filed_on or "0001-01-01", tuple(c.cited_ipc or ()))
        for c in led.citations if c.cited not in led.patents
    }
    return quality_indicators(facts, [(c.citing, c.cited) for c in led.citations], external)


def describe_id(value: str) -> str:
    return MESSAGES.t("id_unknown", value=value)


def enterprise_view(state: State, uscc: str) -> dict[str, Any] | None:
    """An enterprise's rights on the log, for its portrait: the parties registered with its credit code, the
    patents they own (with shares), the licences they hold or granted, their royalty balances and every entry
    that names them. ``None`` when no party carries ``uscc``."""
    led = state.ledger
    parties = [p for p in led.parties.values() if p.uscc == uscc]
    if not parties:
        return None
    ids = {p.party for p in parties}
    owned = [p for p in led.patents.values() if ids & set(p.owners)]
    licences = [
        {**_licence(t), "patent_no": t.patent_no,
         "licensee_name": led.parties[t.body.licensee].name if t.body.licensee in led.parties else None}
        for t in led.transfers.values()
        if t.kind == "licence" and (t.body.licensee in ids or ids & set(led.patents[t.patent_no].owners))
    ]
    entries = sorted({i for p in owned for i in p.entries} | {p.registered for p in parties} | {lic["entry"] for lic in licences})
    return {
        "parties": [{"party": p.party, "name": p.name, "since_entry": p.registered} for p in parties],
        "patents": [
            {"patent_no": p.patent_no, "title": p.title, "ipc": p.ipc, "filed_on": p.filed_on,
             "share_bp": sum(v for k, v in p.owners.items() if k in ids), "entries": len(p.entries)}
            for p in owned
        ],
        "licences": licences,
        "balances": [
            {"party": k, "received_fen": b.received_fen, "paid_fen": b.paid_fen}
            for k, b in sorted(led.balances.items()) if k in ids
        ],
        "entries": [{"entry": i, "type": led.types[i]} for i in entries if i < len(led.types)],
        "log_size": led.size,
    }
