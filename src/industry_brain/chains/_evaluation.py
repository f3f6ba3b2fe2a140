"""Evaluating chain placement against labelled firms: precision and recall per chain, at the level of the chain
(is the firm on the chain at all) and of the segment (is it on the right segment), on a dev and a test half.

The labels are (``sha256`` of the credit code, ``chain:segment;…``) pairs written by reading real registrations —
the codes themselves stay with the registrations in ``../shared``; the half a firm falls in is fixed by that digest
(even → dev), so tuning the templates on dev leaves test unseen.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from industry_brain.chains._placement import Placer, Record


def label_key(uscc: str) -> str:
    """How a labelled firm is named in the labels file: the SHA-256 of its credit code."""
    return hashlib.sha256(uscc.strip().encode()).hexdigest()


def split_of(key: str) -> str:
    return "dev" if int(key, 16) % 2 == 0 else "test"


def read_labels(path: str | Path) -> dict[str, set[tuple[str, str]]]:
    """{label key: {(chain, segment), …}} (see :func:`label_key`)."""
    out: dict[str, set[tuple[str, str]]] = {}
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pairs = {tuple(x.split(":", 1)) for x in (row.get("label") or "").split(";") if ":" in x}
            out[row["uscc_sha256"].strip()] = {(a.strip(), b.strip()) for a, b in pairs}
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    return {"tp": tp, "fp": fp, "fn": fn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None}


def evaluate_placement(placer: Placer, records: Iterable[Record], labels: Mapping[str, set[tuple[str, str]]],
                       ) -> dict[str, Any]:
    """Scores per split ('dev', 'test', 'all') and chain, at chain and segment level, plus the errors."""
    got: dict[str, set[tuple[str, str]]] = {}
    seen = set()
    usccs: dict[str, str] = {}
    for r in records:
        key = label_key(r.uscc)
        if key in labels and key not in seen:
            seen.add(key)
            usccs[key] = r.uscc
            got[key] = {(p.chain, p.segment) for p in placer.place(r)}
    codes = [c.code for c in placer.chains]
    out: dict[str, Any] = {"labelled": len(seen), "positives": sum(1 for u in seen if labels[u]), "splits": {}}
    errors = []
    for split in ("dev", "test", "all"):
        use = [u for u in seen if split == "all" or split_of(u) == split]
        per: dict[str, Any] = {}
        totals = {"chain": [0, 0, 0], "segment": [0, 0, 0]}
        for code in (*codes, "(all)"):
            ch = [0, 0, 0]
            sg = [0, 0, 0]
            for u in use:
                want = {x for x in labels[u] if code == "(all)" or x[0] == code}
                have = {x for x in got[u] if code == "(all)" or x[0] == code}
                wc, hc = {x[0] for x in want}, {x[0] for x in have}
                ch[0] += len(wc & hc)
                ch[1] += len(hc - wc)
                ch[2] += len(wc - hc)
                sg[0] += len(want & have)
                sg[1] += len(have - want)
                sg[2] += len(want - have)
            per[code] = {"chain": _prf(*ch), "segment": _prf(*sg)}
        out["splits"][split] = {"firms": len(use), "per_chain": per}
        del totals
    for u in sorted(seen):
        if labels[u] != got[u]:
            errors.append({"uscc": usccs[u], "split": split_of(u), "labelled": sorted(f"{a}:{b}" for a, b in labels[u]),
                           "placed": sorted(f"{a}:{b}" for a, b in got[u])})
    out["errors"] = errors
    return out
