"""The ``chains`` context: industry chains (产业链图谱), enterprises placed on them, chain gaps (补链/强链/延链) and the
five-chain graph (产业链、创新链、资本链、空间链、政策链) of the bio-economy command view.

Templates are data (``_data/templates/*.yaml``, replaced per code by a bureau's own under
``<IB_HOME>/chains/templates``); placement reads business scopes with the field classifier's machinery and the
chains' phrases; gaps are counted per district and for the city with the rule on screen.
"""

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
    "PARAMS",
    "STAGES",
    "STAGE_NAMES",
    "Chain",
    "Placement",
    "Placer",
    "Record",
    "Segment",
    "Source",
    "chain",
    "chains",
    "export_templates",
    "packaged_chains",
    "parse_template",
    "read_templates",
    "save_templates",
    "templates_digest",
]
