"""Build the road names the synthetic demo register writes into its addresses.

Reads the public registration sample ``../shared/data/real/hangzhou_registrations.csv``, places every registered
address with the project's own resolver (``industry_brain.geo.resolve_many``) and takes the road (…路 / …大道 /
…街 / …大街) written right before the house number. A road is kept for a 2019 map unit when at least
``MIN_FIRMS`` different registrations in that unit name it; it is also paired with a township (街道/镇/乡) when
addresses name both. Only road names and their counts are written — never an enterprise, a code or an address.

Writes ``src/industry_brain/atlas/_data/demo_places.json``::

    {"units": {"330106": {"townships": [["转塘街道", "街道", "330106", "330106"], ...],  # name, kind,
                          "roads": {"330106": ["文三路", ...]},                       # 2019 county, 2021 district
                          "street_roads": {"转塘街道": ["…", ...]}}}}  # roads seen with a township

The townships (current 街道/镇/乡, not former names or zones) come from the project's own gazetteer
(``industry_brain.geo``), so the demo needs no private access to it at run time.

Run from the repository root: ``.venv/bin/python scripts/build_demo_places.py``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REGISTRATIONS = REPO.parent / "shared" / "data" / "real" / "hangzhou_registrations.csv"
OUT = REPO / "src" / "industry_brain" / "atlas" / "_data" / "demo_places.json"

MIN_FIRMS = 3
MAX_ROADS = 40  # per unit and 2021 district, the most frequent
MAX_STREET_ROADS = 12

# A road name: 2–6 Chinese characters ending in a road word, written right before the house number.
ROAD = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:大道|大街|路|街))(?:东段|西段|南段|北段)?$")
# Words that show the "road" is not a plain road name (a place, a building, a number word, a district).
NOT_A_ROAD = re.compile(r"区|县|市|镇|乡|村|街道|号|楼|幢|室|层|座|小区|工业|园|中心|大厦|广场|市场")


def road_of(address: str) -> str | None:
    head = re.split(r"[0-9０-９一二三四五六七八九十]+号", address, maxsplit=1)[0]
    head = re.split(r"[0-9０-９]", head, maxsplit=1)[0]
    m = ROAD.search(head)
    if not m:
        return None
    road = m.group(1)
    # keep only the road proper: the text after the last administrative word
    for word in ("街道", "开发区", "县城", "城区", "农场", "区块", "区", "县", "市", "镇", "乡", "村"):
        if word in road:
            road = road.rsplit(word, 1)[1]
    if len(road) < 3 or not re.search(r"(大道|大街|路|街)$", road) or NOT_A_ROAD.search(road[:-1]):
        return None
    if len(road) == 2 and road.endswith("街"):  # 某街 alone is too often a building or a market
        return None
    return road


def main() -> int:
    if not REGISTRATIONS.exists():
        print(f"missing {REGISTRATIONS}", file=sys.stderr)
        return 1
    sys.path.insert(0, str(REPO / "src"))
    from industry_brain.geo import resolve_many
    from industry_brain.geo._units import gazetteer

    towns: dict[str, list[list[str]]] = defaultdict(list)
    for t in sorted(gazetteer().values(), key=lambda t: t.name):
        if t.kind in ("街道", "镇", "乡"):
            towns[t.unit_2019].append([t.name, t.kind, t.county_2019, t.district_2021])

    with REGISTRATIONS.open(encoding="utf-8", newline="") as fh:
        addresses = [row["注册地址"] for row in csv.DictReader(fh)]
    placed = resolve_many(addresses).to_pylist()
    by_unit: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    by_street: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for address, p in zip(addresses, placed, strict=True):
        if (
            p["method"] not in ("address", "street", "gazetteer")
            or not p["map_unit_2019"]
            or not p["district_2021"]
        ):
            continue
        road = road_of(address)
        if road is None:
            continue
        by_unit[p["map_unit_2019"]][p["district_2021"]][road] += 1
        if p["street"]:
            by_street[p["map_unit_2019"]][p["street"]][road] += 1
    units: dict[str, dict[str, object]] = {}

    def plain(roads: list[str]) -> list[str]:
        # "新安江康乐路" is 康乐路 read with the town's name in front: keep the road proper only
        return [r for r in roads if not any(r != o and r.endswith(o) and len(r) - len(o) >= 2 for o in roads)]

    for unit in sorted(by_unit):
        roads = {
            d21: plain(
                sorted(
                    r
                    for r, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_ROADS]
                    if c[r] >= MIN_FIRMS
                )
            )
            for d21, c in sorted(by_unit[unit].items())
        }
        street_roads = {
            s: plain(
                sorted(
                    r
                    for r, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_STREET_ROADS]
                    if c[r] >= MIN_FIRMS - 1
                )
            )
            for s, c in sorted(by_street[unit].items())
        }
        units[unit] = {
            "townships": towns[unit],
            "roads": {d: r for d, r in roads.items() if r},
            "street_roads": {s: r for s, r in street_roads.items() if r},
        }
    payload = {
        "what": "road names for the synthetic demo register's addresses, per 2019 map unit and 2021 district",
        "source": "../shared/data/real/hangzhou_registrations.csv (public registration sample); road names only",
        "method": f"road before the house number of addresses placed by industry_brain.geo; kept when >= {MIN_FIRMS} "
        "registrations name it in the unit (>= 2 with the township)",
        "units": units,
    }
    OUT.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for unit, v in units.items():
        roads = v["roads"]
        assert isinstance(roads, dict)
        print(unit, {d: len(r) for d, r in roads.items()}, len(v["street_roads"]))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
