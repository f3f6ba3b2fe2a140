"""The ``services`` context: the innovation-service platform (数字化创新服务平台).

Providers (服务机构) and needs (需求) imported from Excel/CSV or entered one by one; matching (精准匹配) of a need to
providers by a documented score that says why each ranks (and the reverse, needs for a provider); engagements and
their ratings (服务评价, one per engagement, shown as a Bayesian average); credit events (信用体系) with a grade by a
published rule, each event an entry of a tamper-evident log a provider can prove offline. Vocabulary, weights and
rules: ``_data/kinds.yaml``.

    >>> from industry_brain._core import open_store
    >>> from industry_brain.services import import_providers, add_need, match_need
    >>> store = open_store(":memory:")
    >>> _ = import_providers(store, "机构名录.xlsx")                     # doctest: +SKIP
    >>> need = add_need(store, "需要GMP车间共享和注射剂中试")              # doctest: +SKIP
    >>> match_need(store, need.need_id, k=3).matches[0]["why"]          # doctest: +SKIP
"""

from industry_brain.services._credit_list import import_credit_events
from industry_brain.services._directory import (
    ImportResult,
    add_need,
    district_code,
    get_need,
    get_provider,
    import_needs,
    import_providers,
    needs,
    problems_of,
    provider_from_form,
    providers,
    save_provider,
)
from industry_brain.services._evaluation import evaluate
from industry_brain.services._matching import (
    COMPONENTS,
    Match,
    Matcher,
    Reputation,
    keyword_overlap,
    ndcg,
    recall,
)
from industry_brain.services._platform import (
    MatchResult,
    evaluate_demo,
    labelled_needs,
    load_demo,
    match_need,
    match_text,
    matcher,
    needs_for_provider,
)
from industry_brain.services._records import Need, Provider
from industry_brain.services._reputation import (
    EVENT_KINDS,
    CreditReport,
    ShownRating,
    credit,
    credit_proofs,
    engage,
    engagement,
    engagements_of,
    rate,
    record_event,
    shown_rating,
    shown_ratings,
    verifier_key,
    verify_credit_log,
)
from industry_brain.services._vocab import Kind, criteria, kinds

__all__ = [
    "COMPONENTS",
    "EVENT_KINDS",
    "CreditReport",
    "ImportResult",
    "Kind",
    "Match",
    "MatchResult",
    "Matcher",
    "Need",
    "Provider",
    "Reputation",
    "ShownRating",
    "add_need",
    "credit",
    "credit_proofs",
    "criteria",
    "district_code",
    "engage",
    "engagement",
    "engagements_of",
    "evaluate",
    "evaluate_demo",
    "get_need",
    "get_provider",
    "import_credit_events",
    "import_needs",
    "import_providers",
    "keyword_overlap",
    "kinds",
    "labelled_needs",
    "load_demo",
    "match_need",
    "match_text",
    "matcher",
    "ndcg",
    "needs",
    "needs_for_provider",
    "problems_of",
    "provider_from_form",
    "providers",
    "rate",
    "recall",
    "record_event",
    "save_provider",
    "shown_rating",
    "shown_ratings",
    "verifier_key",
    "verify_credit_log",
]
