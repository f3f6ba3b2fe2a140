"""Watch lists for the synthetic Hangzhou demo, and the alerts between the demo register's two versions.

The demo's two list versions (2018 and 2019, :mod:`industry_brain.atlas`) differ in which firms are listed and in
their certificates: about 2 % of the earlier list do not renew and are absent from the later one, and a 2019 list
still carries certificates of 2017, which lapse on 31 December 2020. Nobody moves, cuts capital or changes name
between them, so the demo shows the kinds the data has — no alert is made up:

* each demo district (西湖区, 滨江区, 余杭区) watches its own anchors (:func:`add_anchors`, five each);
* as targets it watches three firms of other units that are gone from the later list (``removed_from_list``)
  and three of other units certified in 2017 (``cert_expiring``), chosen by credit code so that the choice is
  the same for every build of a seed;
* the alerts are computed with the as-of date :data:`DEMO_AS_OF`, half a year after the 2019 list, so that the
  2017 certificates fall within the default window of six months.

Loading again changes nothing (the items exist; the alerts are on record).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from industry_brain._core.store import Store
from industry_brain.attract._alerts import compute_alerts
from industry_brain.attract._watch import _upsert, add_anchors

DEMO_DISTRICTS: tuple[str, ...] = ("330106", "330108", "330110")
DEMO_AS_OF = date(2020, 7, 1)
DEMO_ANCHORS = 5
DEMO_TARGETS = 3


def _demo_pair(store: Store) -> tuple[int, int] | None:
    """(the later batch, the earlier) of the newest synthetic list with two versions, or None."""
    row = store.fetchone(
        "SELECT b.batch_id, (SELECT max(p.batch_id) FROM import_batch p WHERE p.source = b.source"
        " AND p.batch_id < b.batch_id) FROM import_batch b WHERE b.synthetic ORDER BY b.batch_id DESC LIMIT 1")
    if row is None or row[1] is None:
        return None
    return int(row[0]), int(row[1])


def load_demo_watch(store: Store) -> dict[str, Any]:
    """Fill the demo districts' watch lists from the demo register and compute the alerts of its two versions.
    Returns what was added: ``{"items": n, "alerts": m, "noop": bool}``; nothing is done without the demo."""
    pair = _demo_pair(store)
    if pair is None:
        return {"items": 0, "alerts": 0, "noop": True, "reason": "no synthetic list with two versions"}
    later, earlier = pair
    before = store.fetchone("SELECT count(*) FROM attract_watch")
    n_before = int(before[0]) if before else 0
    for d in DEMO_DISTRICTS:
        add_anchors(store, d, DEMO_ANCHORS, by="demo")
        gone = store.fetchall(
            "SELECT o.uscc, o.name FROM enterprise_record o WHERE o.batch_id = ? AND o.map_unit_2019 <> ?"
            " AND o.uscc NOT IN (SELECT uscc FROM enterprise_record WHERE batch_id = ?)"
            " ORDER BY o.uscc LIMIT ?", [earlier, d, later, DEMO_TARGETS])
        lapsing = store.fetchall(
            "SELECT uscc, name FROM enterprise_record WHERE batch_id = ? AND map_unit_2019 <> ? AND hightech_year = ?"
            " ORDER BY uscc LIMIT ?", [later, d, DEMO_AS_OF.year - 3, DEMO_TARGETS])
        rows = [(d, str(u), "target", str(n), note) for note, found in
                (("演示：已不在2019年名单中", gone), ("演示：2017年认定，2020年底证书到期", lapsing)) for u, n in found]
        fresh = [r for r in rows if store.fetchone("SELECT 1 FROM attract_watch WHERE district = ? AND uscc = ?",
                                                   [r[0], r[1]]) is None]
        with store.transaction():
            _upsert(store, fresh, "demo", None, "demo")
    after = store.fetchone("SELECT count(*) FROM attract_watch")
    run = compute_alerts(store, later, as_of=DEMO_AS_OF)
    items = (int(after[0]) if after else 0) - n_before
    return {"items": items, "alerts": run.alerts_added, "noop": items == 0 and run.alerts_added == 0,
            "run": run.to_dict()}
