"""Placements of the current register, kept in the store: recomputed when the register or the templates change.

``ensure_placements`` is what every reader calls: it compares the register's version (its batches and size) and the
templates' digest with the last run, and places the whole register again — in one transaction that replaces the
previous placements, so a reader sees either the old or the new run — only when one of them changed.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from industry_brain._core.store import Store
from industry_brain.chains._placement import Placer, Record
from industry_brain.chains._templates import Chain, chains, templates_digest

_placers: dict[str, Placer] = {}
_lock = threading.Lock()


def placer_for(all_chains: tuple[Chain, ...]) -> Placer:
    """One placer per set of templates (compiling the lexicon and loading jieba takes a second)."""
    key = templates_digest(all_chains)
    with _lock:
        got = _placers.get(key)
        if got is None:
            got = Placer(all_chains)
            _placers.clear()
            _placers[key] = got
        return got


def register_key(store: Store) -> str:
    row = store.fetchone("SELECT coalesce(max(batch_id), 0), count(*) FROM enterprise_current")
    return f"{row[0]}:{row[1]}" if row else "0:0"


def last_run(store: Store) -> dict[str, Any] | None:
    row = store.fetchone("SELECT run_id, register_key, templates_digest, records, placements, seconds, created_at"
                         " FROM chain_run ORDER BY run_id DESC LIMIT 1")
    if row is None:
        return None
    keys = ("run_id", "register_key", "templates_digest", "records", "placements", "seconds", "created_at")
    return dict(zip(keys, row, strict=True))


def read_records(store: Store) -> list[Record]:
    """The current register as placement reads it (via Arrow: one scan)."""
    table: Any = store.con.sql(
        "SELECT uscc, name, business_scope, coalesce(field_l3, field_l2, field_l1) AS fld, future_industries"
        " FROM enterprise").to_arrow_table()
    cols = [table.column(i).to_pylist() for i in range(5)]
    return [Record(u, n, s, f, tuple(t or ())) for u, n, s, f, t in zip(*cols, strict=True)]


def refresh_placements(store: Store, all_chains: tuple[Chain, ...] | None = None) -> dict[str, Any]:
    """Place the whole current register on every chain and replace the stored placements (one transaction)."""
    import pyarrow as pa

    use = all_chains or chains()
    placer = placer_for(use)
    t0 = time.perf_counter()
    records = read_records(store)
    placed = placer.place_many(records)
    seconds = time.perf_counter() - t0
    row = store.fetchone("SELECT coalesce(max(run_id), 0) + 1 FROM chain_run")
    run_id = int(row[0]) if row else 1
    arrow = pa.table({
        "uscc": pa.array([p.uscc for p in placed], pa.string()),
        "chain": pa.array([p.chain for p in placed], pa.string()),
        "segment": pa.array([p.segment for p in placed], pa.string()),
        "score": pa.array([p.score for p in placed], pa.float64()),
        "confidence": pa.array([p.confidence for p in placed], pa.float64()),
        "phrases": pa.array([list(p.phrases) for p in placed], pa.list_(pa.string())),
        "run_id": pa.array([run_id] * len(placed), pa.int32()),
    })
    with store.transaction():
        store.execute("DELETE FROM chain_placement")
        store.con.register("incoming_placements", arrow)
        try:
            store.execute("INSERT INTO chain_placement SELECT * FROM incoming_placements")
        finally:
            store.con.unregister("incoming_placements")
        store.execute("INSERT INTO chain_run VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [run_id, register_key(store), templates_digest(use), len(records), len(placed), seconds,
                       datetime.now(UTC).replace(tzinfo=None)])
    return {"run_id": run_id, "records": len(records), "placements": len(placed), "seconds": round(seconds, 3),
            "records_per_second": round(len(records) / seconds) if seconds > 0 else None}


def ensure_placements(store: Store, all_chains: tuple[Chain, ...] | None = None) -> dict[str, Any]:
    """The last run when it is current; otherwise a new one."""
    use = all_chains or chains()
    run = last_run(store)
    if run is not None and run["register_key"] == register_key(store) and run["templates_digest"] == templates_digest(use):
        return run
    refresh_placements(store, use)
    got = last_run(store)
    assert got is not None
    return got


def placements_of(store: Store, uscc: str) -> list[dict[str, Any]]:
    """An enterprise's placements (for its portrait)."""
    ensure_placements(store)
    rows = store.fetchall("SELECT chain, segment, score, confidence, phrases FROM chain_placement WHERE uscc = ?"
                          " ORDER BY chain, segment", [uscc])
    return [{"chain": r[0], "segment": r[1], "score": r[2], "confidence": r[3], "phrases": list(r[4])} for r in rows]


def explain_firm(store: Store, uscc: str) -> dict[str, Any]:
    """Why a register record is placed where it is (or nowhere): its chain phrases and every placement."""
    from industry_brain._core.errors import NotFoundError

    row = store.fetchone("SELECT uscc, name, business_scope, coalesce(field_l3, field_l2, field_l1), future_industries"
                         " FROM enterprise WHERE uscc = ?", [uscc.strip().upper()])
    if row is None:
        raise NotFoundError(f"no enterprise {uscc!r} in the register", uscc=uscc)
    record = Record(row[0], row[1], row[2], row[3], tuple(row[4] or ()))
    placer = placer_for(chains())
    return {"uscc": row[0], "name": row[1], "field": row[3], "future_industries": list(record.future),
            **placer.explain(record)}
