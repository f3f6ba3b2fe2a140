"""The five chains as one typed graph (产业链、创新链、资本链、空间链、政策链), stored as ``chain_node`` / ``chain_edge``
in the store and queried with networkx where paths or centrality are needed.

* **industry** — chains, segments (``supplies`` from one stage to the next, ``part_of`` their chain), firms
  ``placed_on`` segments (weight: confidence);
* **innovation** — high-tech fields the firms are ``classed_as``; patents on the ledger a firm ``owns`` and their
  ``cites`` edges; the talent survey's subfields (``surveyed_in``) linked to the chains their sector feeds;
* **capital** — registered capital on each firm node; imported financing events as investor ``invests`` firm
  edges (weight: 万元);
* **space** — firms ``located_in`` streets (街道/镇) ``located_in`` districts (2019 map units);
* **policy** — imported policies that ``targets`` segments (or the whole chain).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from typing import Any

from industry_brain._core.store import Store
from industry_brain.chains._placed import ensure_placements
from industry_brain.chains._templates import STAGES, Chain

LAYERS = ("industry", "innovation", "capital", "space", "policy")
TALENT_SECTORS = {"ai": ("ai",), "bio": ("biotech", "life_health")}


def _seg(chain: str, seg: str) -> str:
    return f"segment:{chain}/{seg}"


def supply_pairs(c: Chain) -> list[tuple[str, str]]:
    """(supplier, customer) segment codes: every segment of a stage supplies every segment of the next stage."""
    return [(x.code, y.code) for a, b in itertools.pairwise(STAGES)
            for x in c.segments if x.stage == a for y in c.segments if y.stage == b]


def build_graph(store: Store, all_chains: tuple[Chain, ...], patents_state: Any = None) -> dict[str, Any]:
    """Rebuild the graph from the current placements, register, lists, ledger and survey (one transaction)."""
    import pyarrow as pa

    from industry_brain.geo import MAP_UNITS_2019

    ensure_placements(store, all_chains)
    nodes: dict[str, tuple[str, str, str, dict[str, Any]]] = {}
    edges: list[tuple[str, str, str, str, float]] = []

    def node(nid: str, kind: str, label: str, layer: str, **attrs: Any) -> None:
        if nid not in nodes:
            nodes[nid] = (kind, label, layer, attrs)

    for c in all_chains:
        node(f"chain:{c.code}", "chain", c.name_zh, "industry", name_en=c.name_en)
        for s in c.segments:
            node(_seg(c.code, s.code), "segment", s.name_zh, "industry", stage=s.stage, chain=c.code)
            edges.append((_seg(c.code, s.code), f"chain:{c.code}", "part_of", "industry", 1.0))
        for x, y in supply_pairs(c):
            edges.append((_seg(c.code, x), _seg(c.code, y), "supplies", "industry", 1.0))
    for u in MAP_UNITS_2019:
        node(f"district:{u.code}", "district", u.name_zh, "space")
    firms = store.fetchall(
        "SELECT DISTINCT e.uscc, e.name, e.capital_wan_cny, e.hightech, e.map_unit_2019, e.street,"
        " coalesce(e.field_l2, e.field_l1) FROM chain_placement p JOIN enterprise e USING (uscc)")
    for uscc, name, capital, hightech, unit, street, fld in firms:
        node(f"firm:{uscc}", "firm", str(name), "industry", capital_wan=capital, hightech=bool(hightech), unit=unit)
        if street and unit:
            sid = f"street:{unit}/{street}"
            node(sid, "street", str(street), "space", unit=unit)
            edges.append((f"firm:{uscc}", sid, "located_in", "space", 1.0))
            edges.append((sid, f"district:{unit}", "located_in", "space", 1.0))
        elif unit:
            edges.append((f"firm:{uscc}", f"district:{unit}", "located_in", "space", 1.0))
        if fld:
            node(f"field:{fld}", "field", str(fld), "innovation")
            edges.append((f"firm:{uscc}", f"field:{fld}", "classed_as", "innovation", 1.0))
    for uscc, chain, seg, conf in store.fetchall("SELECT uscc, chain, segment, confidence FROM chain_placement"):
        edges.append((f"firm:{uscc}", _seg(chain, seg), "placed_on", "industry", float(conf)))
    placed = {u for u, *_ in firms}
    # innovation: patents on the ledger, and their citations
    if patents_state is not None:
        led = patents_state.ledger
        party_firm = {p.party: p.uscc for p in led.parties.values() if p.uscc in placed}
        for pat in led.patents.values():
            owners = [party_firm[o] for o in pat.owners if o in party_firm]
            if not owners:
                continue
            node(f"patent:{pat.patent_no}", "patent", pat.title, "innovation", ipc=list(pat.ipc), filed_on=pat.filed_on)
            for u in owners:
                edges.append((f"firm:{u}", f"patent:{pat.patent_no}", "owns", "innovation", 1.0))
        for cit in led.citations:
            if f"patent:{cit.citing}" in nodes:
                node(f"patent:{cit.cited}", "patent", cit.cited, "innovation")
                edges.append((f"patent:{cit.citing}", f"patent:{cit.cited}", "cites", "innovation", 1.0))
    # innovation: the talent survey's subfields, linked to the chains of their sector
    for qid, option, n in _talent_subfields(store):
        sector = qid.split("_")[0]
        sid = f"subfield:{qid}/{option}"
        node(sid, "subfield", str(option), "innovation", question=qid, respondents=n)
        for code in TALENT_SECTORS.get(sector, ()):
            if any(c.code == code for c in all_chains):
                edges.append((sid, f"chain:{code}", "surveyed_in", "innovation", float(n)))
    # capital: financing events
    for uscc, amount, investors in store.fetchall(
            "SELECT uscc, amount_wan, investors FROM chain_financing"):
        fid = f"firm:{uscc}" if uscc in placed else None
        if fid is None:
            continue
        for inv in investors:
            node(f"investor:{inv}", "investor", str(inv), "capital")
            edges.append((f"investor:{inv}", fid, "invests", "capital", float(amount or 0.0)))
    # policy
    known = {c.code: c for c in all_chains}
    for pid, title, chain, segs in store.fetchall("SELECT policy_id, title, chain, segments FROM chain_policy"):
        if chain not in known:
            continue
        node(f"policy:{pid}", "policy", str(title), "policy", chain=chain)
        targets = list(segs) or [s.code for s in known[chain].segments]
        for s in targets:
            edges.append((f"policy:{pid}", _seg(chain, s), "targets", "policy", 1.0))

    node_table = pa.table({
        "node_id": list(nodes), "kind": [v[0] for v in nodes.values()], "label": [v[1] for v in nodes.values()],
        "layer": [v[2] for v in nodes.values()],
        "attrs": [json.dumps(v[3], ensure_ascii=False, default=str) for v in nodes.values()]})
    edge_table = pa.table({"src": [e[0] for e in edges], "dst": [e[1] for e in edges], "kind": [e[2] for e in edges],
                           "layer": [e[3] for e in edges], "weight": [e[4] for e in edges]})
    with store.transaction():
        store.execute("DELETE FROM chain_edge")
        store.execute("DELETE FROM chain_node")
        store.con.register("incoming_nodes", node_table)
        store.con.register("incoming_edges", edge_table)
        try:
            store.execute("INSERT INTO chain_node SELECT node_id, kind, label, layer, attrs::JSON FROM incoming_nodes")
            store.execute("INSERT INTO chain_edge SELECT * FROM incoming_edges")
        finally:
            store.con.unregister("incoming_nodes")
            store.con.unregister("incoming_edges")
    return graph_summary(store)


def _talent_subfields(store: Store) -> list[tuple[str, str, int]]:
    try:
        rows = store.fetchall(
            "SELECT question_id, option_key, count(DISTINCT respondent_id) FROM talent_answer"
            " WHERE question_id IN ('ai_subfields', 'bio_subfields') AND status = 'answered' AND option_key IS NOT NULL"
            " GROUP BY ALL ORDER BY ALL")
    except Exception:  # a store without the talent tables has no survey to link
        return []
    return [(str(q), str(o), int(n)) for q, o, n in rows]


def graph_summary(store: Store) -> dict[str, Any]:
    nodes = Counter({f"{layer}/{kind}": int(n) for layer, kind, n in store.fetchall(
        "SELECT layer, kind, count(*) FROM chain_node GROUP BY ALL ORDER BY ALL")})
    edges = Counter({f"{layer}/{kind}": int(n) for layer, kind, n in store.fetchall(
        "SELECT layer, kind, count(*) FROM chain_edge GROUP BY ALL ORDER BY ALL")})
    return {"nodes": dict(nodes), "edges": dict(edges), "node_total": sum(nodes.values()),
            "edge_total": sum(edges.values())}


def load_graph(store: Store, layers: tuple[str, ...] = LAYERS) -> Any:
    """The stored graph as a networkx MultiDiGraph (node attributes: kind, label, layer; edge: kind, weight)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    marks = ",".join("?" for _ in layers)
    for nid, kind, label, layer in store.fetchall(
            f"SELECT node_id, kind, label, layer FROM chain_node WHERE layer IN ({marks})", list(layers)):
        g.add_node(nid, kind=kind, label=label, layer=layer)
    for src, dst, kind, weight in store.fetchall(
            f"SELECT src, dst, kind, weight FROM chain_edge WHERE layer IN ({marks})", list(layers)):
        if src in g and dst in g:
            g.add_edge(src, dst, kind=kind, weight=weight)
    return g


def segment_centrality(store: Store, c: Chain) -> dict[str, dict[str, float]]:
    """Per segment of a chain: betweenness in the supply graph of segments (how much of the chain flows through
    it) and the firms it holds (its degree in the placed-on layer)."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(s.code for s in c.segments)
    g.add_edges_from(supply_pairs(c))
    between = nx.betweenness_centrality(g, normalized=True)
    firms = dict(store.fetchall("SELECT dst, count(*) FROM chain_edge WHERE kind = 'placed_on' AND dst LIKE ?"
                                " GROUP BY dst", [f"segment:{c.code}/%"]))
    return {s.code: {"betweenness": round(float(between.get(s.code, 0.0)), 4),
                     "firms": int(firms.get(_seg(c.code, s.code), 0))} for s in c.segments}


def path(store: Store, src: str, dst: str) -> list[dict[str, Any]]:
    """The shortest path between two nodes over every layer (edges taken in either direction), with each hop's
    edge kind — e.g. how a policy reaches a firm (policy → segment ← firm)."""
    import networkx as nx

    from industry_brain._core.errors import NotFoundError

    g = load_graph(store)
    for n in (src, dst):
        if n not in g:
            raise NotFoundError(f"no node {n!r} in the chain graph", node=n)
    u = g.to_undirected(as_view=True)
    try:
        nodes = nx.shortest_path(u, src, dst)
    except nx.NetworkXNoPath:
        return []
    out = []
    for a, b in itertools.pairwise(nodes):
        data = g.get_edge_data(a, b) or g.get_edge_data(b, a) or {}
        kind = next(iter(data.values()))["kind"] if data else "?"
        out.append({"from": a, "to": b, "kind": kind, "from_label": g.nodes[a]["label"], "to_label": g.nodes[b]["label"]})
    return out
