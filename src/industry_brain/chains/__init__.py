"""The ``chains`` context: industry chains (产业链图谱), enterprises placed on them, chain gaps (补链/强链/延链) and the
five-chain graph (产业链、创新链、资本链、空间链、政策链) of the bio-economy command view.

Templates are data (``_data/templates/*.yaml``, replaced per code by a bureau's own under
``<IB_HOME>/chains/templates``); placement reads business scopes with the field classifier's machinery and the
chains' phrases; gaps are counted per district and for the city with the rule on screen.
"""

from industry_brain.chains._gaps import (
    RULE,
    VERDICTS,
    all_gaps,
    anchors,
    chain_counts,
    chain_overview,
    firms_on,
    gaps,
)
from industry_brain.chains._graph import (
    LAYERS,
    build_graph,
    graph_summary,
    load_graph,
    path,
    segment_centrality,
)
from industry_brain.chains._lists import (
    ListImport,
    import_financing,
    import_policies,
    load_demo_lists,
    policies_for,
)
from industry_brain.chains._peers import add_peer_figure, benchmark, hangzhou_value, implied, read_comparison
from industry_brain.chains._placed import (
    ensure_placements,
    explain_firm,
    last_run,
    placements_of,
    refresh_placements,
)
from industry_brain.chains._placement import PARAMS, Placement, Placer, Record
from industry_brain.chains._templates import (
    STAGE_NAMES,
    STAGES,
    Chain,
    Segment,
    Source,
    chain,
    chains,
    export_templates,
    packaged_chains,
    parse_template,
    read_templates,
    save_templates,
    templates_digest,
)

__all__ = [
    "LAYERS",
    "PARAMS",
    "RULE",
    "STAGES",
    "STAGE_NAMES",
    "VERDICTS",
    "Chain",
    "ListImport",
    "Placement",
    "Placer",
    "Record",
    "Segment",
    "Source",
    "add_peer_figure",
    "all_gaps",
    "anchors",
    "benchmark",
    "build_graph",
    "chain",
    "chain_counts",
    "chain_overview",
    "chains",
    "ensure_placements",
    "explain_firm",
    "export_templates",
    "firms_on",
    "gaps",
    "graph_summary",
    "hangzhou_value",
    "implied",
    "import_financing",
    "import_policies",
    "last_run",
    "load_demo_lists",
    "load_graph",
    "packaged_chains",
    "parse_template",
    "path",
    "placements_of",
    "policies_for",
    "read_comparison",
    "read_templates",
    "refresh_placements",
    "save_templates",
    "segment_centrality",
    "templates_digest",
]
