"""服务评价 and 信用体系: engagements, one rating per engagement, the shown (shrunk) rating, credit events on a
tamper-evident log, and the credit grade by the published rule of ``_data/kinds.yaml``.

* **Shown rating** — a Bayesian average, ``(w × m + Σ overall) / (w + n)``: ``m`` a neutral prior of 3.5 stars,
  ``w`` the prior weight (10). A provider with one 5-star rating shows 3.64; one with 200 ratings of 4.5 shows 4.45.
* **Credit score** — ``start`` plus the points of every event in the last ``window_days``: a rating gives
  ``overall − 3``; complaints, broken contracts and penalties take points, awards give them. The grade is the first
  whose floor the score reaches, held at or below a cap while a grave event is in the window.
* **Credit log** — every event is also an entry (canonical JSON, RFC 8785) of a log in the ledger context's
  tlog-tiles layout under ``<IB_HOME>/services/credit-log``; a provider proves its record to a third party offline
  with the log's proof bundles (``ib ledger verify-proof``) and anyone with the verifier key checks the whole log.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from industry_brain._core.errors import ConflictError, InputError, NotFoundError
from industry_brain._core.store import Store
from industry_brain.services._directory import get_need, get_provider
from industry_brain.services._vocab import criteria, vocabulary

ORIGIN = "industry-brain.local/services-credit"
EVENT_KINDS = ("rating", "complaint_upheld", "contract_broken", "award", "penalty")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ------------------------------------------------------------------------------------------------- engagements
def engage(store: Store, need_id: str, provider_id: str, *, rank: int | None = None, score: float | None = None,
           actor: str | None = None) -> int:
    """Record that ``provider_id`` serves ``need_id`` (the firm chose it from the matches); the need is engaged."""
    get_need(store, need_id)
    get_provider(store, provider_id)
    seen = store.fetchone("SELECT engagement_id FROM service_engagement WHERE need_id = ? AND provider_id = ?",
                          [need_id, provider_id])
    if seen is not None:
        raise ConflictError(f"need {need_id!r} is already engaged with provider {provider_id!r} "
                            f"(engagement {seen[0]})", engagement_id=int(seen[0]))
    with store.transaction():
        row = store.fetchone(
            "INSERT INTO service_engagement (need_id, provider_id, match_rank, match_score, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING engagement_id", [need_id, provider_id, rank, score, actor, _now()])
        store.execute("UPDATE service_need SET status = 'engaged' WHERE need_id = ? AND status = 'open'", [need_id])
    assert row is not None
    return int(row[0])


def engagement(store: Store, engagement_id: int) -> dict[str, Any]:
    row = store.fetchone("SELECT engagement_id, need_id, provider_id, match_rank, match_score, created_by, created_at"
                         " FROM service_engagement WHERE engagement_id = ?", [engagement_id])
    if row is None:
        raise NotFoundError(f"no engagement {engagement_id!r}", engagement_id=engagement_id)
    keys = ("engagement_id", "need_id", "provider_id", "match_rank", "match_score", "created_by", "created_at")
    return dict(zip(keys, row, strict=True))


def engagements_of(store: Store, need_id: str) -> list[dict[str, Any]]:
    """The engagements of a need, each with the provider's name and its rating when it has one."""
    rows = store.fetchall(
        "SELECT e.engagement_id, e.provider_id, p.name, e.match_rank, e.created_by, e.created_at, r.overall, r.rater,"
        " r.comment FROM service_engagement e JOIN service_provider p USING (provider_id)"
        " LEFT JOIN service_rating r USING (engagement_id) WHERE e.need_id = ? ORDER BY e.engagement_id", [need_id])
    keys = ("engagement_id", "provider_id", "provider_name", "match_rank", "created_by", "created_at", "overall",
            "rater", "comment")
    return [dict(zip(keys, r, strict=True)) for r in rows]


# ------------------------------------------------------------------------------------------------------ ratings
def rate(store: Store, engagement_id: int, rater: str, stars: dict[str, int], *, comment: str | None = None,
         log_dir: Path | None = None) -> dict[str, Any]:
    """A firm's rating of an engagement: 1–5 stars on every criterion. A second rating of it is refused."""
    eng = engagement(store, engagement_id)
    crit = criteria()
    missing = [c for c in crit if c not in stars]
    bad = {c: v for c, v in stars.items() if c in crit and (not isinstance(v, int) or not 1 <= v <= 5)}
    unknown = [c for c in stars if c not in crit]
    if missing or bad or unknown:
        raise InputError(
            f"rating of engagement {engagement_id}: every criterion needs 1–5 stars ({', '.join(crit)}); "
            f"missing {missing!r}, out of range {bad!r}, unknown {unknown!r}",
            missing=missing, out_of_range=bad, unknown=unknown)
    prior = store.fetchone("SELECT rater, created_at FROM service_rating WHERE engagement_id = ?", [engagement_id])
    if prior is not None:
        raise ConflictError(
            f"engagement {engagement_id} was already rated by {prior[0]!r} on {prior[1]:%Y-%m-%d}: "
            "one rating per engagement", engagement_id=engagement_id, rater=prior[0])
    overall = sum(stars[c] for c in crit) / len(crit)
    now = _now()
    with store.transaction():  # the rating and its credit event (with its log entry) land together or not at all
        store.execute("INSERT INTO service_rating VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      [engagement_id, eng["provider_id"], rater, *(stars[c] for c in crit), overall, comment, now])
        _record_event(store, eng["provider_id"], "rating", now.date(), detail=f"overall {overall:.2f}",
                      source=f"engagement {engagement_id}", overall=overall, log_dir=log_dir)
    return {"engagement_id": engagement_id, "provider_id": eng["provider_id"], "need_id": eng["need_id"],
            "rater": rater, "overall": overall, **{c: stars[c] for c in crit}, "comment": comment}


@dataclass(frozen=True)
class ShownRating:
    provider_id: str
    ratings: int
    mean: float | None
    shown: float
    prior_mean: float
    prior_weight: float
    by_criterion: dict[str, float] = field(default_factory=dict)

    def rule(self, lang: str = "zh") -> str:
        w, m = self.prior_weight, self.prior_mean
        if lang == "zh":
            return (f"贝叶斯平均：({w:g} × 先验 {m:.2f} + 各次总评之和) ÷ ({w:g} + 评价数 {self.ratings})"
                    f" = {self.shown:.2f}")
        return f"Bayesian average: ({w:g} × prior {m:.2f} + sum of ratings) / ({w:g} + {self.ratings}) = {self.shown:.2f}"

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"provider_id": self.provider_id, "ratings": self.ratings, "mean": self.mean, "shown": self.shown,
                "by_criterion": self.by_criterion, "rule": self.rule(lang)}


def shown_ratings(store: Store) -> dict[str, ShownRating]:
    """The shown rating of every provider that has ratings (others show the prior mean)."""
    cfg = vocabulary()["rating_prior"]
    w, m = float(cfg["weight"]), float(cfg["mean"])
    crit = list(criteria())
    rows = store.fetchall(
        f"SELECT provider_id, count(*), sum(overall), avg(overall), {', '.join(f'avg({c})' for c in crit)}"
        " FROM service_rating GROUP BY provider_id")
    out = {}
    for pid, n, total, mean, *per in rows:
        out[pid] = ShownRating(pid, int(n), float(mean), (w * m + float(total)) / (w + n), m, w,
                               {c: round(float(v), 2) for c, v in zip(crit, per, strict=True)})
    return out


def shown_rating(store: Store, provider_id: str) -> ShownRating:
    got = shown_ratings(store).get(provider_id)
    if got is not None:
        return got
    cfg = vocabulary()["rating_prior"]
    m = float(cfg["mean"])
    return ShownRating(provider_id, 0, None, m, m, float(cfg["weight"]))


# ------------------------------------------------------------------------------------------------------- credit
def _points(kind: str, overall: float | None) -> float:
    if kind == "rating":
        if overall is None:
            raise InputError("a rating event needs the rating's overall score", field="overall")
        return max(-2.0, min(2.0, overall - 3.0))
    return float(vocabulary()["credit"]["events"][kind]["points"])


def credit_log_dir() -> Path:
    from industry_brain._core.settings import get_settings

    return get_settings().home / "services" / "credit-log"


def _keys(log_dir: Path) -> tuple[str, str]:
    """The credit log's signer and verifier keys, made on first use (signer file mode 0600)."""
    from industry_brain.ledger import generate_key

    skey_path, vkey_path = log_dir.parent / "credit-log.key", log_dir.parent / "credit-log.pub"
    if skey_path.exists():
        return skey_path.read_text(encoding="utf-8").strip(), vkey_path.read_text(encoding="utf-8").strip()
    log_dir.parent.mkdir(parents=True, exist_ok=True)
    skey, vkey = generate_key(ORIGIN)
    fd = os.open(skey_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(skey + "\n")
    vkey_path.write_text(vkey + "\n", encoding="utf-8")
    return skey, vkey


def verifier_key(log_dir: Path | None = None) -> str:
    """The verifier key a third party needs to check the credit log and its proofs."""
    return _keys(log_dir or credit_log_dir())[1]


def _append(log_dir: Path, entry: dict[str, Any]) -> int:
    return _append_many(log_dir, [entry])[0]


def _append_many(log_dir: Path, entries: list[dict[str, Any]]) -> list[int]:
    """Append entries (canonical JSON) to the credit log as one batch under one signed checkpoint."""
    import rfc8785

    from industry_brain.ledger import Log

    skey, _ = _keys(log_dir)
    log = Log.open(log_dir, signer_key=skey) if (log_dir / "checkpoint").exists() else Log.create(
        log_dir, origin=ORIGIN, signer_key=skey)
    try:
        return log.append_many([rfc8785.dumps(e) for e in entries])
    finally:
        log.close()


def event_entry(event_id: int, provider_id: str, kind: str, occurred_on: date, points: float, detail: str | None,
                source: str | None) -> dict[str, Any]:
    """The credit log's entry for one event (what a proof bundle shows a third party)."""
    return {"type": "industry-brain/credit-event", "event_id": event_id, "provider_id": provider_id, "kind": kind,
            "occurred_on": occurred_on.isoformat(), "points": points, "detail": detail, "source": source}


def record_event(store: Store, provider_id: str, kind: str, occurred_on: date, *, detail: str | None = None,
                 source: str | None = None, overall: float | None = None, log_dir: Path | None = None) -> int:
    """Add a credit event: stored with the points its rule gives, and appended to the credit log."""
    with store.transaction():
        return _record_event(store, provider_id, kind, occurred_on, detail=detail, source=source, overall=overall,
                             log_dir=log_dir)


def _record_event(store: Store, provider_id: str, kind: str, occurred_on: date, *, detail: str | None,
                  source: str | None, overall: float | None, log_dir: Path | None) -> int:
    if kind not in EVENT_KINDS:
        raise InputError(f"credit event kind {kind!r}: expected one of {', '.join(EVENT_KINDS)}", field="kind")
    get_provider(store, provider_id)
    points = _points(kind, overall)
    row = store.fetchone("SELECT nextval('service_credit_event_seq')")
    assert row is not None
    event_id = int(row[0])
    store.execute("INSERT INTO service_credit_event VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [event_id, provider_id, kind, occurred_on, points, detail, source, None, _now()])
    entry = event_entry(event_id, provider_id, kind, occurred_on, points, detail, source)
    index = _append(log_dir or credit_log_dir(), entry)  # last: a failure before it rolls the event back
    store.execute("UPDATE service_credit_event SET log_index = ? WHERE event_id = ?", [index, event_id])
    return event_id


@dataclass(frozen=True)
class CreditReport:
    provider_id: str
    as_of: date
    score: float
    grade: str
    grade_by_score: str
    caps: tuple[str, ...]
    events: list[dict[str, Any]]
    history: list[dict[str, Any]]

    def rule(self, lang: str = "zh") -> list[str]:
        cfg = vocabulary()["credit"]
        grades = cfg["grades"]
        if lang == "zh":
            lines = [f"起始 {cfg['start']} 分，加上近 {cfg['window_days']} 天内各事件的分值："]
            lines += [f"· {e['zh']}：{e.get('points_zh', e['points'])}" for e in cfg["events"].values()]
            lines.append("等级：" + "；".join(f"{g['grade']}（{g['zh']}）≥ {g['floor']}" if g["floor"] is not None
                                             else f"{g['grade']}（{g['zh']}）其余" for g in grades))
            lines.append("封顶：" + "；".join(f"窗口内有{cfg['events'][k]['zh']}，最高 {v} 级" for k, v in cfg["caps"].items()))
        else:
            lines = [f"start at {cfg['start']}, add the points of every event of the last {cfg['window_days']} days:"]
            lines += [f"· {e['en']}: {e['points']}" for e in cfg["events"].values()]
            lines.append("grade: " + "; ".join(f"{g['grade']} ({g['en']}) ≥ {g['floor']}" if g["floor"] is not None
                                               else f"{g['grade']} ({g['en']}) otherwise" for g in grades))
            lines.append("caps: " + "; ".join(f"a {cfg['events'][k]['en']} in the window holds the grade at {v} or below"
                                              for k, v in cfg["caps"].items()))
        return lines

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"provider_id": self.provider_id, "as_of": self.as_of.isoformat(), "score": self.score,
                "grade": self.grade, "grade_by_score": self.grade_by_score, "caps": list(self.caps),
                "events": self.events, "history": self.history, "rule": self.rule(lang)}


def _grade(score: float, caps: list[str]) -> tuple[str, str]:
    grades = vocabulary()["credit"]["grades"]
    order = [g["grade"] for g in grades]
    by_score = next(g["grade"] for g in grades if g["floor"] is None or score >= g["floor"])
    worst_cap = max((order.index(c) for c in caps), default=0)
    return order[max(order.index(by_score), worst_cap)], by_score


def credit(store: Store, provider_id: str, as_of: date | None = None) -> CreditReport:
    """The credit score and grade of ``provider_id`` on ``as_of`` (today), with the events counted and the grade
    after each event (its history)."""
    get_provider(store, provider_id)
    cfg = vocabulary()["credit"]
    day = as_of or _now().date()
    window = timedelta(days=int(cfg["window_days"]))
    rows = store.fetchall(
        "SELECT event_id, kind, occurred_on, points, detail, source, log_index FROM service_credit_event"
        " WHERE provider_id = ? AND occurred_on <= ? ORDER BY occurred_on, event_id", [provider_id, day])
    events = [dict(zip(("event_id", "kind", "occurred_on", "points", "detail", "source", "log_index"), r, strict=True))
              for r in rows]
    history = []
    for i, e in enumerate(events):
        at = e["occurred_on"]
        score, grade, _, caps = _score(events[: i + 1], at, window, cfg)
        history.append({"occurred_on": at.isoformat(), "event_id": e["event_id"], "kind": e["kind"],
                        "points": e["points"], "score": score, "grade": grade, "caps": caps})
    score, grade, by_score, caps = _score(events, day, window, cfg)
    for e in events:
        e["occurred_on"] = e["occurred_on"].isoformat()
        e["counted"] = date.fromisoformat(e["occurred_on"]) > day - window
    return CreditReport(provider_id, day, score, grade, by_score, tuple(caps), events, history)


def _score(events: list[dict[str, Any]], day: date, window: timedelta, cfg: dict[str, Any]) -> tuple[float, str, str, list[str]]:
    live = [e for e in events if e["occurred_on"] > day - window]
    score = float(cfg["start"]) + sum(float(e["points"]) for e in live)
    caps = sorted({cfg["caps"][e["kind"]] for e in live if e["kind"] in cfg["caps"]})
    grade, by_score = _grade(score, caps)
    return round(score, 2), grade, by_score, caps


def grades(store: Store, as_of: date | None = None) -> dict[str, str]:
    """The credit grade of every provider with events (others have the starting grade)."""
    ids = [r[0] for r in store.fetchall("SELECT DISTINCT provider_id FROM service_credit_event")]
    return {pid: credit(store, pid, as_of).grade for pid in ids}


def credit_proofs(store: Store, provider_id: str, log_dir: Path | None = None) -> dict[str, Any]:
    """Proof bundles of every credit event of ``provider_id``: each checks offline against the verifier key."""
    from industry_brain.ledger import Log, make_proof_bundle

    d = log_dir or credit_log_dir()
    rows = store.fetchall("SELECT event_id, log_index FROM service_credit_event WHERE provider_id = ? ORDER BY event_id",
                          [provider_id])
    if not rows:
        raise NotFoundError(f"provider {provider_id!r} has no credit events to prove", provider_id=provider_id)
    log = Log.open(d)
    try:
        bundles = [{"event_id": eid, "log_index": idx, "bundle": json.loads(make_proof_bundle(log, int(idx)))}
                   for eid, idx in rows]
    finally:
        log.close()
    return {"provider_id": provider_id, "origin": ORIGIN, "verifier_key": verifier_key(d), "events": bundles}


def verify_credit_log(log_dir: Path | None = None) -> dict[str, Any]:
    """Check the whole credit log against its verifier key (a tampered entry or tile fails)."""
    from industry_brain.ledger import verify_log

    d = log_dir or credit_log_dir()
    if not (d / "checkpoint").exists():
        raise NotFoundError(f"no credit log in {str(d)!r} yet: it starts with the first credit event", path=str(d))
    report = verify_log(d, verifier_key(d))
    out: dict[str, Any] = report.to_dict()
    return out
