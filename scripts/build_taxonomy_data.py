"""Build ``src/industry_brain/taxonomy/_data/hightech_fields.json`` from ``../shared/taxonomy``.

Input: ``hightech_fields_2016.json`` — 《国家重点支持的高新技术领域》(annex to 国科发火〔2016〕32号) as
``{code: {name, children: [{code, name, children}]}}``: 8 fields, 52 second-level, 254 third-level entries.

Output: one flat list of entries ``{code, level, name_zh, name_en, slug, parent, aliases}`` plus the source and
counts. English names are this project's translations (levels 1–3). Level-1 slugs are the ASCII codes of the
Hangzhou 2019 reference data (``../shared/reference/hangzhou-2019/hightech_domains.csv``); level-2/3 slugs are
``<level-1 slug>.<code>`` so that they never change when a translation is improved. Aliases are the other names
the same field goes by in real lists and in the magazine (older State Council list, suffix variants).

Run: ``.venv/bin/python scripts/build_taxonomy_data.py [--source PATH]``; it refuses to write when the counts or
the level-1 codes differ from what the product expects.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "taxonomy" / "hightech_fields_2016.json"
OUT = REPO / "src" / "industry_brain" / "taxonomy" / "_data" / "hightech_fields.json"

EXPECTED_COUNTS = {1: 8, 2: 52, 3: 254}

# Level 1: code → (slug, English name). Slugs and names as in hightech_domains.csv of the reference data.
LEVEL1 = {
    "10": ("electronic_info", "Electronic information", "电子信息"),
    "20": ("biomed", "Biology and new medicine", "生物与新医药"),
    "30": ("aerospace", "Aerospace", "航空航天"),
    "40": ("new_materials", "New materials", "新材料"),
    "50": ("high_tech_services", "High-tech services", "高技术服务"),
    "60": ("new_energy", "New energy and energy saving", "新能源与节能"),
    "70": ("resources_env", "Resources and environment", "资源与环境"),
    "80": ("adv_manufacturing", "Advanced manufacturing and automation", "先进制造与自动化"),
}

# Names a field goes by elsewhere (normalised matching also strips 技术/领域/产业/业 suffixes and 及/和 → 与).
ALIASES = {
    "10": ["电子信息技术", "电子与信息"],
    "20": ["生物医药", "生物与新医药技术", "生物技术与新医药"],
    "30": ["航空航天技术", "航天航空"],
    "40": ["新材料技术"],
    "50": ["高技术服务业", "高新技术服务"],
    "60": ["新能源及节能技术", "新能源与高效节能", "新能源与节能技术"],
    "70": ["资源与环境技术", "资源环境"],
    "80": ["高新技术改造传统产业", "先进制造", "先进制造技术", "先进制造与自动化技术"],
}

EN = {
    # level 2
    "101": "Software",
    "102": "Microelectronics",
    "103": "Computer products and network applications",
    "104": "Communication technology",
    "105": "Broadcasting, film and television technology",
    "106": "New electronic components",
    "107": "Information security technology",
    "108": "Intelligent transport and rail transit technology",
    "201": "Medical biotechnology",
    "202": "Traditional Chinese medicine and natural medicines",
    "203": "Chemical drug R&D technology",
    "204": "New dosage forms and formulation technology",
    "205": "Medical instruments, equipment and medical software",
    "206": "Biotechnology for light and chemical industry",
    "207": "Agricultural biotechnology",
    "301": "Aviation technology",
    "302": "Space technology",
    "401": "Metallic materials",
    "402": "Inorganic non-metallic materials",
    "403": "Polymer materials",
    "404": "Biomedical materials",
    "405": "Fine and special chemicals",
    "406": "New materials for the culture and art industries",
    "501": "R&D and design services",
    "502": "Inspection, testing, certification and standardisation services",
    "503": "Information technology services",
    "504": "Specialised high-tech services",
    "505": "Intellectual property and technology transfer services",
    "506": "E-commerce and modern logistics technology",
    "507": "Urban management and social services",
    "508": "Support technology for cultural and creative industries",
    "601": "Renewable clean energy",
    "602": "Nuclear and hydrogen energy",
    "603": "New efficient energy conversion and storage technology",
    "604": "Efficient energy-saving technology",
    "701": "Water pollution control and water resource use",
    "702": "Air pollution control",
    "703": "Solid waste disposal and utilisation",
    "704": "Physical pollution control",
    "705": "Environmental monitoring and emergency response",
    "706": "Ecological environment construction and protection",
    "707": "Cleaner production technology",
    "708": "Resource exploration, efficient mining and utilisation",
    "801": "Industrial process control systems",
    "802": "Work-safety technology",
    "803": "High-performance intelligent instruments and meters",
    "804": "Advanced manufacturing processes and equipment",
    "805": "New machinery",
    "806": "Power systems and equipment",
    "807": "Automotive and rail vehicle technology",
    "808": "High-tech ships and offshore engineering equipment",
    "809": "Modernisation of traditional cultural industries",
    # level 3
    "10101": "Basic software",
    "10102": "Embedded software",
    "10103": "CAD and engineering management software",
    "10104": "Chinese and multilingual processing software",
    "10105": "Graphics and image processing software",
    "10106": "Geographic information system (GIS) software",
    "10107": "E-commerce software",
    "10108": "E-government software",
    "10109": "Enterprise management software",
    "10110": "Internet of Things application software",
    "10111": "Cloud computing and mobile internet software",
    "10112": "Web services and integration software",
    "10201": "Integrated circuit design",
    "10202": "Integrated circuit product design",
    "10203": "Integrated circuit packaging",
    "10204": "Integrated circuit testing",
    "10205": "Integrated circuit chip manufacturing processes",
    "10206": "Integrated optoelectronic device design, manufacturing and processes",
    "10301": "Computer and terminal design and manufacturing",
    "10302": "Computer peripheral design and manufacturing",
    "10303": "Network equipment design and manufacturing",
    "10304": "Network application technology",
    "10401": "Communication network technology",
    "10402": "Optical transmission systems",
    "10403": "Wired broadband access systems",
    "10404": "Mobile communication systems",
    "10405": "Broadband wireless communication systems",
    "10406": "Satellite communication systems",
    "10407": "Microwave communication systems",
    "10408": "IoT devices, components and networking",
    "10409": "Telecom network operation support and management",
    "10410": "Value-added telecom and internet services",
    "10501": "Broadcast programme production and playout systems",
    "10502": "Broadcast service integration and support systems",
    "10503": "Cable transmission and coverage systems",
    "10504": "Wireless transmission and coverage systems",
    "10505": "Broadcast monitoring, supervision, safe operation and maintenance systems",
    "10506": "Digital cinema systems",
    "10507": "Digital television terminals",
    "10508": "Professional video application service platforms",
    "10509": "Audio and optical disc technology",
    "10601": "Semiconductor lighting",
    "10602": "Chip and integrated passive components",
    "10603": "High-power semiconductor devices",
    "10604": "Special-purpose devices",
    "10605": "Sensitive components and sensors",
    "10606": "Mid- to high-end electromechanical components",
    "10607": "Flat-panel display devices",
    "10701": "Cryptography",
    "10702": "Authentication and authorisation",
    "10703": "System and software security",
    "10704": "Network and communication security",
    "10705": "Security and confidentiality technology",
    "10706": "Security testing and evaluation",
    "10707": "Security management technology",
    "10708": "Application security",
    "10801": "Traffic control and management",
    "10802": "Traffic data collection and processing",
    "10803": "Transport operation management",
    "10804": "Vehicle and ship electronic equipment",
    "10805": "Rail vehicles and operation support",
    "10806": "Rail transit operation management and services",
    "20101": "New vaccines",
    "20102": "Biotherapy and genetically engineered drugs",
    "20103": "Rapid biological detection",
    "20104": "Biomacromolecule drug R&D",
    "20105": "Biosynthesis of natural medicines",
    "20106": "Bioseparation media, reagents, devices and related testing",
    "20201": "Sustainable use and ecological protection of TCM resources",
    "20202": "Innovative drug R&D (TCM and natural medicines)",
    "20203": "Secondary development of Chinese patent medicines",
    "20204": "TCM quality control and harmful substance testing",
    "20301": "Innovative drugs",
    "20302": "Chiral drugs",
    "20303": "Crystal-form drugs",
    "20304": "Production of national essential medicines",
    "20305": "APIs and key intermediates of national essential medicines",
    "20401": "Innovative formulations",
    "20402": "New drug delivery formulations",
    "20403": "New excipients development and production",
    "20404": "Pharmaceutical equipment",
    "20501": "Medical imaging diagnosis",
    "20502": "New treatment, first-aid and rehabilitation technology",
    "20503": "New electrophysiological testing and monitoring",
    "20504": "Medical laboratory technology and new equipment",
    "20505": "New medical network software",
    "20506": "Medical detection and radiation metrology",
    "20601": "Efficient industrial enzymes and biocatalysis",
    "20602": "Microbial fermentation",
    "20603": "Bioreaction and separation",
    "20604": "Extraction of active ingredients from natural products",
    "20605": "Safe food production and evaluation",
    "20606": "Food safety testing",
    "20701": "New crop and forestry varieties and safe efficient production",
    "20702": "New livestock and aquaculture varieties and healthy breeding",
    "20703": "Prevention and control of major crop pests and animal diseases",
    "20704": "Modern agricultural equipment and informatisation",
    "20705": "Control and remediation of agricultural non-point and heavy-metal pollution",
    "30101": "Aircraft",
    "30102": "Aircraft propulsion",
    "30103": "Aircraft systems",
    "30104": "Aircraft manufacturing and materials",
    "30105": "Air traffic control",
    "30106": "Civil and general aviation operation support",
    "30201": "Satellite system design",
    "30202": "Launch vehicles",
    "30203": "Satellite platforms",
    "30204": "Satellite payloads",
    "30205": "Spacecraft tracking, telemetry and command",
    "30206": "Space electronics and space materials manufacturing",
    "30207": "Advanced space propulsion design",
    "30208": "Satellite applications",
    "40101": "Quality steel preparation",
    "40102": "Clean production and deep processing of aluminium, copper, magnesium and titanium alloys",
    "40103": "Rare and rare-earth metal products",
    "40104": "Nano and powder-metallurgy materials",
    "40105": "Metal and metal-matrix composite materials",
    "40106": "Semiconductor materials",
    "40107": "Electrical, microelectronic and optoelectronic materials",
    "40108": "Superconducting, high-performance battery and other new materials",
    "40201": "Structural ceramics and ceramic-matrix composite toughening",
    "40202": "Functional ceramics",
    "40203": "Functional glass",
    "40204": "Materials for energy saving and new energy",
    "40205": "Environmentally friendly materials",
    "40301": "New functional polymers",
    "40302": "Engineering and special engineering plastics",
    "40303": "New rubber synthesis and rubber materials",
    "40304": "New fibres and composite materials",
    "40305": "Polymer preparation and recycling",
    "40306": "New processing and applications of polymers",
    "40401": "Interventional device materials",
    "40402": "Cardiovascular and cerebrovascular surgical biomaterials",
    "40403": "Orthopaedic implants",
    "40404": "Dental materials",
    "40405": "Tissue engineering materials",
    "40406": "New dressings and haemostatic materials",
    "40407": "Special surgical instruments and materials",
    "40408": "Other new medical materials",
    "40501": "New catalysts",
    "40502": "Electronic chemicals",
    "40503": "Ultrafine functional materials",
    "40504": "Fine chemicals",
    "40601": "New materials for cultural carriers and media",
    "40602": "New materials for art",
    "40603": "New materials for film sets and stages",
    "40604": "New printing materials for cultural products",
    "40605": "New materials for cultural relic conservation",
    "50101": "R&D services",
    "50102": "Design services",
    "50201": "Inspection, testing and certification",
    "50202": "Standardisation services",
    "50301": "Cloud computing services",
    "50302": "Data services",
    "50303": "Other information services",
    "50601": "E-commerce technology",
    "50602": "Logistics and supply chain management",
    "50701": "Smart city service support",
    "50702": "Internet education",
    "50703": "Health management",
    "50704": "Modern sports service support",
    "50801": "Creation, design and production technology",
    "50802": "Dissemination and exhibition technology",
    "50803": "Cultural heritage discovery and reuse",
    "50804": "Operation and management technology",
    "60101": "Solar energy",
    "60102": "Wind energy",
    "60103": "Biomass energy",
    "60104": "Geothermal, ocean and kinetic energy",
    "60201": "Nuclear energy",
    "60202": "Hydrogen energy",
    "60301": "High-performance green batteries",
    "60302": "New power batteries and energy-storage batteries",
    "60303": "Fuel cells",
    "60304": "Supercapacitors and thermoelectric conversion",
    "60401": "Industrial energy saving",
    "60402": "Energy recovery",
    "60403": "Regenerative combustion",
    "60404": "Power distribution system optimisation",
    "60405": "High-temperature heat pumps",
    "60406": "Building energy saving",
    "60407": "Energy system management, optimisation and control",
    "60408": "Energy-saving monitoring",
    "70101": "Urban sewage treatment and recycling",
    "70102": "Industrial wastewater treatment and recycling",
    "70103": "Agricultural water pollution control",
    "70104": "River-basin pollution and eutrophication control",
    "70105": "Water saving and unconventional water resources",
    "70106": "Drinking water safety",
    "70201": "Coal combustion pollution control",
    "70202": "Motor vehicle emission control",
    "70203": "Industrial furnace pollution control",
    "70204": "Industrial harmful exhaust gas control",
    "70205": "Air pollution control in confined spaces",
    "70301": "Hazardous solid waste disposal",
    "70302": "Industrial solid waste utilisation",
    "70303": "Household waste disposal and recycling",
    "70304": "Construction waste disposal and recycling",
    "70305": "Organic solid waste treatment and recycling",
    "70306": "Disposal of socially generated solid waste",
    "70401": "Noise and vibration control",
    "70402": "Nuclear and radiation safety",
    "70501": "Environmental monitoring and early warning",
    "70502": "Emergency environmental monitoring",
    "70503": "Ecological environment monitoring",
    "70504": "Monitoring of unconventional pollutants",
    "70701": "Water saving, emission reduction and recycling in heavily polluting industries",
    "70702": "Key cleaner-production technology",
    "70703": "Key environmental-protection manufacturing technology",
    "70801": "Resource exploration and mining",
    "70802": "Mining and ore-dressing for higher mineral recovery",
    "70803": "Separation and extraction of associated valuable elements",
    "70804": "Use of low-grade resources and tailings",
    "70805": "Radioactive resource exploration and development",
    "70806": "Radioactive waste treatment and disposal",
    "70807": "Green mine construction",
    "80101": "Fieldbus and industrial Ethernet",
    "80102": "Embedded systems",
    "80103": "New-generation industrial control computers",
    "80104": "Manufacturing execution systems (MES)",
    "80105": "Integrated industrial process automation control systems",
    "80201": "Mine safety",
    "80202": "Hazardous chemicals production safety",
    "80203": "Other accident prevention and handling",
    "80301": "New sensors",
    "80302": "New automated instruments and meters",
    "80303": "Scientific analysis and testing instruments",
    "80304": "Measurement and control instruments for precision manufacturing",
    "80305": "Micro-electromechanical systems (MEMS)",
    "80401": "High-end CNC equipment and CNC machining",
    "80402": "Robots",
    "80403": "Intelligent equipment drive and control",
    "80404": "Special machining",
    "80405": "Technology related to large-scale IC manufacturing",
    "80406": "Additive manufacturing",
    "80407": "High-end equipment remanufacturing",
    "80501": "Basic mechanical parts and their manufacturing",
    "80502": "General machinery and equipment manufacturing",
    "80503": "Extreme manufacturing and special machinery",
    "80504": "Textile and other industry-specific equipment",
    "80601": "Power generation and energy storage",
    "80602": "Power transmission",
    "80603": "Power distribution and consumption",
    "80604": "Power transformation",
    "80605": "System simulation and automation",
    "80701": "Vehicle engines and related technology",
    "80702": "Key automotive components",
    "80703": "Energy-saving and new-energy vehicles",
    "80704": "Platforms for advanced design, manufacturing and testing of vehicles and engines",
    "80705": "Rail vehicles and key components",
    "80801": "High-tech ship design and manufacturing",
    "80802": "Offshore engineering equipment design and manufacturing",
    "80901": "Musical instrument manufacturing",
    "80902": "Printing technology",
}


def build(source: Path) -> dict[str, object]:
    raw = json.loads(source.read_text(encoding="utf-8"))
    entries: list[dict[str, object]] = []
    problems: list[str] = []

    def add(code: str, name: str, level: int, parent: str | None, l1: str) -> None:
        name = " ".join(name.split())  # the source has a stray trailing space (802 安全生产技术)
        if len(code) != {1: 2, 2: 3, 3: 5}[level] or not code.isdigit():
            problems.append(f"code {code!r} at level {level}: expected {(2, 3, 5)[level - 1]} digits")
        if parent is not None and not code.startswith(parent):
            problems.append(f"code {code!r} does not start with its parent {parent!r}")
        slug, en, zh = LEVEL1[l1]
        if level == 1:
            if name != zh:
                problems.append(f"level-1 code {code!r} is {name!r} in the source, expected {zh!r}")
            name_en = en
        else:
            slug = f"{slug}.{code}"
            name_en = EN.get(code, "")
            if not name_en:
                problems.append(f"no English name for {code!r} {name!r}")
        entries.append(
            {
                "code": code,
                "level": level,
                "name_zh": name,
                "name_en": name_en,
                "slug": slug,
                "parent": parent,
                "aliases": ALIASES.get(code, []) if level == 1 else [],
            }
        )

    for c1, node1 in raw.items():
        if c1 not in LEVEL1:
            problems.append(f"unknown level-1 code {c1!r}: expected one of {sorted(LEVEL1)}")
            continue
        add(c1, node1["name"], 1, None, c1)
        for node2 in node1.get("children", []):
            add(node2["code"], node2["name"], 2, c1, c1)
            for node3 in node2.get("children", []):
                add(node3["code"], node3["name"], 3, node2["code"], c1)

    counts = {lvl: sum(1 for e in entries if e["level"] == lvl) for lvl in (1, 2, 3)}
    if counts != EXPECTED_COUNTS:
        problems.append(f"counts by level {counts}, expected {EXPECTED_COUNTS}")
    codes = [e["code"] for e in entries]
    if len(set(codes)) != len(codes):
        problems.append("duplicate codes in the source")
    if problems:
        raise SystemExit("refusing to write:\n  " + "\n  ".join(problems))
    return {
        "source": "国家重点支持的高新技术领域 (国科发火〔2016〕32号 附件), via ../shared/taxonomy/hightech_fields_2016.json",
        "built_by": "scripts/build_taxonomy_data.py",
        "counts": {str(k): v for k, v in counts.items()},
        "fields": entries,
    }


def _dump(data: dict[str, object]) -> str:
    """JSON with one field per line, so that a diff shows which entry changed."""
    head = {k: v for k, v in data.items() if k != "fields"}
    lines = [json.dumps(entry, ensure_ascii=False) for entry in data["fields"]]  # type: ignore[attr-defined]
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return body + ',\n "fields": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"source not found: {args.source}", file=sys.stderr)
        return 2
    data = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(_dump(data), encoding="utf-8")
    print(f"wrote {args.out.relative_to(REPO)}: {data['counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
