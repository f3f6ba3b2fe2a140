"""How well the matcher ranks: needs labelled with the providers a service officer judged relevant (graded
2 ideal / 1 acceptable), against the plain keyword-overlap baseline: nDCG@5, recall@10, the share of needs with an
ideal provider in the top 5 and precision@5, for all needs and for the two halves (odd and even positions).
"""

from __future__ import annotations

from typing import Any

from industry_brain.services._matching import Matcher, keyword_overlap, ndcg, recall
from industry_brain.services._records import Need


def _summary(runs: dict[str, list[str]], labels: dict[str, dict[str, int]], ids: list[str]) -> dict[str, float]:
    n = len(ids) or 1
    return {
        "needs": len(ids),
        "ndcg@5": round(sum(ndcg(runs[i], labels[i], 5) for i in ids) / n, 4),
        "recall@10": round(sum(recall(runs[i], labels[i], 10) for i in ids) / n, 4),
        "ideal_in_top5": round(
            sum(any(labels[i].get(p, 0) == 2 for p in runs[i][:5]) for i in ids) / n, 4),
        "precision@5": round(sum(sum(1 for p in runs[i][:5] if labels[i].get(p, 0) > 0) / 5 for i in ids) / n, 4),
    }


def evaluate(matcher: Matcher, needs: list[Need], labels: dict[str, dict[str, int]]) -> dict[str, Any]:
    """nDCG@5, recall@10, the share of needs with an ideal provider in the top 5, precision@5: ranker and baseline."""
    labelled = [n for n in needs if n.need_id in labels]
    ranked = {n.need_id: [pid for pid, _ in hits] for n, hits in zip(labelled, matcher.match_many(labelled, 10), strict=True)}
    base = {n.need_id: hits for n, hits in zip(labelled, keyword_overlap(labelled, matcher.providers, 10), strict=True)}
    ids = [n.need_id for n in labelled]
    halves = {"all": ids, "odd": ids[0::2], "even": ids[1::2]}
    return {
        "providers": len(matcher.providers),
        "ranker": {name: _summary(ranked, labels, part) for name, part in halves.items()},
        "baseline_keyword_overlap": {name: _summary(base, labels, part) for name, part in halves.items()},
        "misses": [
            {"need_id": i, "top5": ranked[i][:5], "relevant": labels[i]}
            for i in ids if not any(labels[i].get(p, 0) > 0 for p in ranked[i][:5])
        ],
    }
