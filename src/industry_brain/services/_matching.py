"""精准匹配: providers ranked for a need (and needs for a provider) by a documented, explained score.

The score is a weighted sum of components in [0, 1], weights in ``_data/kinds.yaml`` (``matching``):

* **text** — cosine similarity of TF-IDF vectors (scikit-learn) of the request and of the provider's name, kind and
  description: half over jieba words (search mode, so 成果转化 also yields 成果 and 转化), half over character pairs
  (robust to wording jieba splits differently);
* **kind** — cue words of the request for the provider's kind (专利 → 知识产权代理, 中试 → 共享平台 …), relative to
  the most-cued kind;
* **field** — the request's high-tech field against the fields the provider serves;
* **chain** — the industry-chain segment the request speaks of (read by the ``chains`` context's placer) against
  the segments of the provider's own text: same segment, same chain, or neither;
* **district** — same district, or decaying with the distance between district centres;
* **capacity** and **reputation** (rating and credit grade).

:class:`Matcher` holds the vectorised providers. ``match_many`` scores a block of needs against a chunk of providers
as one dense matrix product (the requests' term weights and a selector of their district, kinds and field, times the
providers' TF-IDF rows of those terms and their district, kind, field and standing rows), then takes each need's top
``k`` without sorting whole rows; so thousands of needs a second are matched against tens of thousands of providers.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from industry_brain.services._records import Need, Provider
from industry_brain.services._vocab import kinds, vocabulary

log = logging.getLogger(__name__)

COMPONENTS = ("text", "kind", "field", "chain", "district", "capacity", "reputation")
_lock = threading.Lock()
_tokenizer: Any = None


def settings() -> dict[str, Any]:
    """The ``matching`` section of the vocabulary (weights and scales)."""
    m: dict[str, Any] = vocabulary()["matching"]
    return m


def tokens(text: str) -> list[str]:
    """jieba words of ``text`` in search mode (long words also give their parts), lower case, no punctuation."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                for k in kinds().values():
                    for cue in k.cues:
                        tk.add_word(cue, freq=2000)
                _tokenizer = tk
    return [w.lower() for w in _tokenizer.cut_for_search(text) if w.strip() and (w.isalnum() or len(w) > 1)]


def _chars(text: str) -> list[str]:
    s = "".join(ch.lower() for ch in text if ch.isalnum())
    return [s[i : i + 2] for i in range(len(s) - 1)]


@lru_cache(maxsize=1)
def _placer() -> Any:
    """The chains context's placer over the current templates (reads requests and provider texts)."""
    from industry_brain.chains import Placer, chains

    return Placer(chains())


@lru_cache(maxsize=1)
def district_distances() -> tuple[tuple[str, ...], np.ndarray]:
    """(codes, km matrix) between the centres of the 2019 map units (equirectangular, illustrative boundaries)."""
    from shapely.geometry import shape

    from industry_brain.geo import boundaries

    feats = boundaries(2019)["features"]
    codes = tuple(str(f["properties"]["code"]) for f in feats)
    pts = np.array([[c.x, c.y] for c in (shape(f["geometry"]).centroid for f in feats)])
    lat = np.radians(pts[:, 1].mean())
    xy = np.c_[pts[:, 0] * 111.32 * np.cos(lat), pts[:, 1] * 110.57]
    return codes, np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))


@dataclass(frozen=True)
class Reputation:
    """What the matcher knows of a provider's standing: shown rating (and count) and credit grade."""

    rating: float | None = None
    ratings: int = 0
    grade: str | None = None


@dataclass(frozen=True)
class Component:
    name: str
    value: float
    weight: float
    reason_zh: str
    reason_en: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"component": self.name, "value": round(self.value, 4), "weight": self.weight,
                "contribution": round(self.contribution, 4), "reason": self.reason_zh if lang == "zh" else self.reason_en}


@dataclass(frozen=True)
class Match:
    """One ranked provider for a need (or need for a provider), with the components that make its score."""

    need_id: str
    provider_id: str
    rank: int
    score: float
    components: tuple[Component, ...]

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"need_id": self.need_id, "provider_id": self.provider_id, "rank": self.rank,
                "score": round(self.score, 4), "why": [c.to_dict(lang) for c in self.components]}


def field_fit(need_field: str | None, served: Sequence[str]) -> float:
    """1 same level-2 field (or a finer one inside it), 0.5 same level-1 field or every field served, else 0."""
    if not need_field:
        return 0.0
    best = 0.0
    for f in served:
        if f == "*":
            best = max(best, 0.5)
        elif f[:3] == need_field[:3] and len(f) >= 3 and len(need_field) >= 3:
            return 1.0
        elif f[:2] == need_field[:2]:
            best = max(best, 0.5)
    return best


class Matcher:
    """Providers vectorised once; needs scored against all of them."""

    def __init__(self, providers: Sequence[Provider], reputations: Mapping[str, Reputation] | None = None) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.providers = list(providers)
        self.ids = [p.provider_id for p in self.providers]
        self._pos = {pid: i for i, pid in enumerate(self.ids)}
        cfg = settings()
        self.weights: dict[str, float] = {k: float(cfg["weights"][k]) for k in COMPONENTS}
        docs = [self._doc(p) for p in self.providers]
        self._words = TfidfVectorizer(tokenizer=tokens, token_pattern=None, lowercase=False, sublinear_tf=True)
        self._pairs = TfidfVectorizer(analyzer=_chars, sublinear_tf=True)
        self._static: np.ndarray | None = None
        self._by_provider: Any = None   # the TF-IDF rows by provider (CSC), made when one provider is explained
        if self.providers:
            from scipy import sparse

            w = self._words.fit_transform(docs).T
            c = self._pairs.fit_transform(docs).T
            self._P = sparse.vstack([w, c], format="csr", dtype=np.float32)  # terms × providers
        self._idrank = np.argsort(np.argsort(np.array(self.ids, dtype=object), kind="stable"), kind="stable")
        kind_codes = list(kinds())
        self._kind_codes = kind_codes
        self._pkind = np.array([kind_codes.index(p.kind) if p.kind in kind_codes else -1 for p in self.providers])
        codes, km = district_distances()
        self._dcodes = {c: i for i, c in enumerate(codes)}
        scale = float(cfg["district_scale_km"])
        near = np.exp(-km / scale)
        np.fill_diagonal(near, 1.0)
        self._dkm = km
        pd = np.array([self._dcodes.get(p.district or "", -1) for p in self.providers])
        self._pdist = pd
        table = np.zeros((len(codes) + 1, len(self.providers)), dtype=np.float32)  # last row: need without district
        for j, d in enumerate(pd):
            if d >= 0:
                table[: len(codes), j] = near[:, d]
        self._district_table = table
        full = float(cfg["capacity_full"])
        self._capacity = np.array(
            [0.5 if p.capacity is None else min(1.0, math.log1p(max(p.capacity, 0)) / math.log1p(full))
             for p in self.providers], dtype=np.float32)
        self._chain_rows(docs)
        self.set_reputations(reputations or {})
        self._field_cache: dict[str, np.ndarray] = {}
        self._served: tuple[np.ndarray, dict[str, list[int]], dict[str, list[int]]] | None = None

    # ---- building blocks ---------------------------------------------------------------------------------------
    def _chain_rows(self, docs: Sequence[str]) -> None:
        """One row per chain segment and one per chain: 1 where the provider's text is on it."""
        from industry_brain.chains import chains

        self._chains = chains()
        self._seg_index = {(c.code, s.code): i for i, (c, s) in enumerate((c, s) for c in self._chains for s in c.segments)}
        self._chain_index = {c.code: i for i, c in enumerate(self._chains)}
        self._seg_names = {(c.code, s.code): (f"{c.name_zh}·{s.name_zh}", f"{c.name_en} · {s.name_en}")
                           for c in self._chains for s in c.segments}
        placer = _placer()
        segs = np.zeros((len(self._seg_index), len(docs)), dtype=np.float32)
        whole = np.zeros((len(self._chain_index), len(docs)), dtype=np.float32)
        self._provider_segments: list[list[tuple[str, str]]] = []
        for j, doc in enumerate(docs):
            found = [(c, s) for c, s, _ in placer.text_segments(doc)]
            self._provider_segments.append(found)
            for c, s in found:
                segs[self._seg_index[(c, s)], j] = 1.0
                whole[self._chain_index[c], j] = 1.0
        self._chain_table = np.vstack([segs, whole])

    def need_segment(self, text: str) -> tuple[str, str] | None:
        """The request's strongest chain segment, or None when it names none."""
        got = _placer().text_segments(text)
        return (got[0][0], got[0][1]) if got else None

    def _chain_vector(self, need: Need) -> np.ndarray:
        seg = self.need_segment(need.text)
        if seg is None or not self.providers:
            return np.zeros(len(self.providers), dtype=np.float32)
        ns = len(self._seg_index)
        return np.asarray(0.5 * self._chain_table[self._seg_index[seg]]
                          + 0.5 * self._chain_table[ns + self._chain_index[seg[0]]], dtype=np.float32)

    def _doc(self, p: Provider) -> str:
        k = kinds().get(p.kind)
        return f"{p.name} {k.zh if k else p.kind} {p.description}"

    def set_reputations(self, reputations: Mapping[str, Reputation]) -> None:
        """Refresh ratings and credit grades without re-vectorising the texts."""
        factors = settings()["credit_factor"]
        self.reputations = dict(reputations)
        values = []
        for pid in self.ids:
            r = self.reputations.get(pid, Reputation())
            base = 0.5 if r.rating is None else (r.rating - 1.0) / 4.0
            values.append(base * float(factors.get(r.grade or "B", 0.9)))
        self._reputation = np.array(values, dtype=np.float32)
        self._static = None

    def provider(self, provider_id: str) -> Provider:
        """The provider record the matcher was built from."""
        return self.providers[self._pos[provider_id]]

    def _field_vector(self, code: str | None) -> np.ndarray:
        """:func:`field_fit` of ``code`` for every provider, from indexes of the fields served (cached per code)."""
        key = code or ""
        got = self._field_cache.get(key)
        if got is None:
            if self._served is None:
                star: list[int] = []
                two: dict[str, list[int]] = {}
                three: dict[str, list[int]] = {}
                for j, p in enumerate(self.providers):
                    for f in p.fields:
                        if f == "*":
                            star.append(j)
                            continue
                        two.setdefault(f[:2], []).append(j)
                        if len(f) >= 3:
                            three.setdefault(f[:3], []).append(j)
                self._served = (np.array(star, dtype=np.int64), two, three)
            star_idx, two_idx, three_idx = self._served
            got = np.zeros(len(self.providers), dtype=np.float32)
            if code:
                got[star_idx] = 0.5
                got[two_idx.get(code[:2], [])] = 0.5
                if len(code) >= 3:
                    got[three_idx.get(code[:3], [])] = 1.0
            self._field_cache[key] = got
        return got

    def _kind_cues(self, text: str) -> np.ndarray:
        low = text.lower()
        hits = np.array([sum(1 for c in k.cues if c.lower() in low) for k in kinds().values()], dtype=np.float32)
        top = hits.max() if len(hits) else 0.0
        return hits / top if top > 0 else hits

    def _query(self, texts: Sequence[str]) -> Any:
        """Weighted TF-IDF rows of the requests over the stacked word and character-pair vocabularies."""
        from scipy import sparse

        half = 0.5 * self.weights["text"]
        w = self._words.transform(texts) * half
        c = self._pairs.transform(texts) * half
        return sparse.hstack([w, c], format="csr", dtype=np.float32)

    def _static_rows(self) -> np.ndarray:
        """Provider features that do not depend on the text: district closeness rows, kind one-hot rows, and one
        row of weighted capacity + reputation (shape: rows × providers)."""
        if self._static is None:
            k = np.zeros((len(self._kind_codes), len(self.providers)), dtype=np.float32)
            known = self._pkind >= 0
            k[self._pkind[known], np.flatnonzero(known)] = 1.0
            const = self.weights["capacity"] * self._capacity + self.weights["reputation"] * self._reputation
            self._static = np.vstack([self._district_table, k, const[None, :], self._chain_table]).astype(np.float32)
        return self._static

    def _block(self, needs: Sequence[Need], texts: Any, cols: slice) -> np.ndarray:
        """Total scores of ``needs`` against providers ``cols`` as one dense product.

        The requests' text weights (restricted to the terms they use) and a selector of their district, cue-word
        kinds and field are the left factor; the providers' TF-IDF rows of those terms, their district, kind and
        field rows and the capacity + reputation row are the right factor; one BLAS matrix product sums them."""
        used = np.unique(texts.indices)
        n, u = len(needs), len(used)
        static = self._static_rows()[:, cols]
        fields = sorted({x.field for x in needs if x.field})
        nd = self._district_table.shape[0]
        nk = len(self._kind_codes)
        m = static.shape[0] + len(fields)
        left = np.zeros((n, u + m), dtype=np.float32)
        left[:, :u] = texts[:, used].toarray()
        rows = np.arange(n)
        left[rows, u + np.array([self._dcodes.get(x.district or "", nd - 1) for x in needs])] = self.weights["district"]
        left[:, u + nd : u + nd + nk] = self.weights["kind"] * np.stack([self._kind_cues(x.text) for x in needs])
        left[:, u + nd + nk] = 1.0
        ns = len(self._seg_index)
        for i, x in enumerate(needs):   # the chain selector: half its segment's row, half its chain's row
            seg = self.need_segment(x.text)
            if seg is not None:
                left[i, u + nd + nk + 1 + self._seg_index[seg]] = 0.5 * self.weights["chain"]
                left[i, u + nd + nk + 1 + ns + self._chain_index[seg[0]]] = 0.5 * self.weights["chain"]
        fpos = {f: i for i, f in enumerate(fields)}
        with_field = [i for i, x in enumerate(needs) if x.field]
        left[with_field, [u + static.shape[0] + fpos[needs[i].field] for i in with_field]] = self.weights["field"]  # type: ignore[index]
        width = static.shape[1]
        right = np.empty((u + m, width), dtype=np.float32)
        right[:u] = self._P[used][:, cols].toarray()
        right[u : u + static.shape[0]] = static
        for f, i in fpos.items():
            right[u + static.shape[0] + i] = self._field_vector(f)[cols]
        scores: np.ndarray = left @ right
        return scores

    def _top(self, scores: np.ndarray, k: int, offset: int) -> list[np.ndarray]:
        """For each row, the column indices (plus ``offset``) of its ``k`` best scores and any ties with the k-th.

        Exact without sorting whole rows: the k-th largest of the maxima of column chunks is a floor that at least
        ``k`` scores reach, so only scores at or above it are candidates."""
        n, p = scores.shape
        chunk = 512
        full = p // chunk
        if full < k:
            cand = np.argsort(-scores, axis=1, kind="stable")[:, :k]
            return [c + offset for c in cand]
        maxima = scores[:, : full * chunk].reshape(n, full, chunk).max(axis=2)
        if p > full * chunk:
            maxima = np.c_[maxima, scores[:, full * chunk :].max(axis=1)]
        floor = np.partition(maxima, -k, axis=1)[:, -k]
        r, c = np.nonzero(scores >= floor[:, None])
        bounds = np.searchsorted(r, np.arange(n + 1))
        return [c[bounds[i] : bounds[i + 1]] + offset for i in range(n)]

    def scores(self, needs: Sequence[Need]) -> np.ndarray:
        """Total scores, shape (needs, providers)."""
        if not needs or not self.providers:
            return np.zeros((len(needs), len(self.providers)), dtype=np.float32)
        return self._block(needs, self._query([x.text for x in needs]), slice(None))

    # ---- ranking -----------------------------------------------------------------------------------------------
    def match_many(self, needs: Sequence[Need], k: int = 10, block: int = 512,
                   providers_per_block: int = 65536) -> list[list[tuple[str, float]]]:
        """Top ``k`` (provider_id, score) for each need, best first (ties by provider id).

        Needs are scored in blocks and providers in column chunks, so memory stays bounded whatever the sizes."""
        out: list[list[tuple[str, float]]] = []
        p = len(self.providers)
        if p == 0 or k <= 0:
            return [[] for _ in needs]
        for start in range(0, len(needs), block):
            chunk = needs[start : start + block]
            texts = self._query([x.text for x in chunk])
            cand: list[list[np.ndarray]] = [[] for _ in chunk]
            vals: list[list[np.ndarray]] = [[] for _ in chunk]
            for lo in range(0, p, providers_per_block):
                hi = min(p, lo + providers_per_block)
                s = self._block(chunk, texts, slice(lo, hi))
                for i, idx in enumerate(self._top(s, min(k, hi - lo), lo)):
                    cand[i].append(idx)
                    vals[i].append(s[i, idx - lo])
            for i in range(len(chunk)):
                idx, val = np.concatenate(cand[i]), np.concatenate(vals[i])
                order = np.lexsort((self._idrank[idx], -val))[:k]
                out.append([(self.ids[j], float(v)) for j, v in zip(idx[order], val[order], strict=True)])
        return out

    def _parts(self, need: Need) -> dict[str, np.ndarray]:
        """Every component of one need against every provider, as vectors (the single-need path: one sparse
        product for the text, table lookups for the rest)."""
        q = self._query([need.text])
        w = self.weights["text"]
        text = np.asarray((q @ self._P).toarray()[0], dtype=np.float32) / w if w else np.zeros(len(self.ids), np.float32)
        cues = self._kind_cues(need.text)
        kind = np.where(self._pkind >= 0, cues[np.maximum(self._pkind, 0)], 0.0).astype(np.float32)
        drow = self._dcodes.get(need.district or "", self._district_table.shape[0] - 1)
        return {"text": text, "kind": kind, "field": self._field_vector(need.field), "chain": self._chain_vector(need),
                "district": self._district_table[drow], "capacity": self._capacity, "reputation": self._reputation}

    def match(self, need: Need, k: int = 10) -> list[Match]:
        """The top ``k`` providers for ``need``, each with the reasons of its score."""
        if not self.providers or k <= 0:
            return []
        parts = self._parts(need)
        total = np.zeros(len(self.ids), dtype=np.float32)
        for c in COMPONENTS:
            total += self.weights[c] * parts[c]
        idx = self._top(total[None, :], min(k, len(self.providers)), 0)[0]
        order = idx[np.lexsort((self._idrank[idx], -total[idx]))][:k]
        return [Match(need.need_id, self.ids[j], rank, float(total[j]),
                      self._explain(need, int(j), {c: float(parts[c][j]) for c in COMPONENTS}))
                for rank, j in enumerate(order, start=1)]

    def needs_for(self, provider_id: str, needs: Sequence[Need], k: int = 10, block: int = 512) -> list[Match]:
        """The reverse: of ``needs``, the ``k`` that fit provider ``provider_id`` best."""
        j = self._pos[provider_id]
        if not needs:
            return []
        total = np.concatenate([
            self._block(needs[a : a + block], self._query([x.text for x in needs[a : a + block]]), slice(j, j + 1))[:, 0]
            for a in range(0, len(needs), block)])
        order = sorted(range(len(needs)), key=lambda i: (-float(total[i]), needs[i].need_id))[:k]
        return [Match(needs[i].need_id, provider_id, rank, float(total[i]), self._explain(needs[i], j))
                for rank, i in enumerate(order, start=1)]

    def components(self, need: Need, j: int) -> dict[str, float]:
        """Each component's value in [0, 1] for ``need`` and the provider at position ``j``."""
        if self._by_provider is None:
            self._by_provider = self._P.tocsc()
        q = self._query([need.text])
        text = float((q @ self._by_provider[:, [j]]).toarray()[0, 0]) / self.weights["text"] if self.weights["text"] else 0.0
        kind = float(self._kind_cues(need.text)[self._pkind[j]]) if self._pkind[j] >= 0 else 0.0
        drow = self._dcodes.get(need.district or "", self._district_table.shape[0] - 1)
        return {"text": text, "kind": kind, "field": float(self._field_vector(need.field)[j]),
                "chain": float(self._chain_vector(need)[j]),
                "district": float(self._district_table[drow, j]), "capacity": float(self._capacity[j]),
                "reputation": float(self._reputation[j])}

    # ---- reasons -----------------------------------------------------------------------------------------------
    def _explain(self, need: Need, j: int, value: dict[str, float] | None = None) -> tuple[Component, ...]:
        p = self.providers[j]
        w = self.weights
        value = value if value is not None else self.components(need, j)
        shared = sorted(set(tokens(need.text)) & set(tokens(self._doc(p))), key=lambda t: (-len(t), t))[:6]
        words = "、".join(shared) or "无"
        kind = kinds().get(p.kind)
        cues = [c for c in (kind.cues if kind else ()) if c.lower() in need.text.lower()]
        kind_zh = kind.zh if kind else p.kind
        kind_en = kind.en if kind else p.kind
        field_zh, field_en = self._field_reason(need, p, value["field"])
        dist_zh, dist_en = self._district_reason(need, p)
        cap_zh = f"每月可承接 {p.capacity}" if p.capacity is not None else "未填写服务能力（按 0.5 计）"
        cap_en = f"takes {p.capacity} a month" if p.capacity is not None else "capacity not stated (counted 0.5)"
        r = self.reputations.get(p.provider_id, Reputation())
        grade = r.grade or "B"
        if r.rating is None:
            rep_zh, rep_en = f"尚无评价（按 0.5 计）；信用 {grade}", f"no ratings yet (counted 0.5); credit {grade}"
        else:
            rep_zh = f"评价 {r.rating:.2f}（{r.ratings} 条，贝叶斯平均）；信用 {grade}"
            rep_en = f"rating {r.rating:.2f} ({r.ratings}, Bayesian average); credit {grade}"
        return (
            Component("text", value["text"], w["text"], f"文本相关度（TF-IDF 余弦）；共同词语：{words}",
                      f"text relevance (TF-IDF cosine); shared words: {', '.join(shared) or 'none'}"),
            Component("kind", value["kind"], w["kind"],
                      f"需求提到「{'」「'.join(cues)}」→ {kind_zh}" if cues else f"需求未提到{kind_zh}的提示词",
                      f"request mentions {', '.join(cues)} → {kind_en}" if cues else f"no cue words for {kind_en}"),
            Component("field", value["field"], w["field"], field_zh, field_en),
            Component("chain", value["chain"], w["chain"], *self._chain_reason(need, j)),
            Component("district", value["district"], w["district"], dist_zh, dist_en),
            Component("capacity", value["capacity"], w["capacity"], cap_zh, cap_en),
            Component("reputation", value["reputation"], w["reputation"], rep_zh, rep_en),
        )

    @staticmethod
    def _field_reason(need: Need, p: Provider, v: float) -> tuple[str, str]:
        served = "、".join(p.fields)
        if not need.field:
            return "需求未填写领域（不计）", "request names no field (not counted)"
        if v >= 1.0:
            return f"需求领域 {need.field} 在机构服务领域（{served}）之内", f"field {need.field} is served ({served})"
        if v > 0:
            return (f"需求领域 {need.field} 与服务领域（{served}）同属一大类或机构服务全部领域",
                    f"field {need.field} shares its level-1 field with {served} or every field is served")
        return f"需求领域 {need.field} 不在服务领域（{served}）", f"field {need.field} is not served ({served})"

    def _chain_reason(self, need: Need, j: int) -> tuple[str, str]:
        seg = self.need_segment(need.text)
        if seg is None:
            return "需求未涉及产业链环节（不计）", "the request names no chain segment (not counted)"
        zh, en = self._seg_names[seg]
        mine = self._provider_segments[j]
        if seg in mine:
            return f"需求属于「{zh}」，机构服务该环节", f"request is about {en}; the provider serves it"
        same = [s for s in mine if s[0] == seg[0]]
        if same:
            other_zh = "、".join(self._seg_names[s][0] for s in same)
            other_en = ", ".join(self._seg_names[s][1] for s in same)
            return (f"需求属于「{zh}」，机构服务同链的「{other_zh}」", f"request is about {en}; the provider serves {other_en}")
        return f"需求属于「{zh}」，机构文本不涉及该链", f"request is about {en}; the provider's text is not on that chain"

    def _district_reason(self, need: Need, p: Provider) -> tuple[str, str]:
        if not need.district or not p.district:
            return "区县未知（不计）", "district unknown (not counted)"
        if need.district == p.district:
            return "同一区县", "same district"
        a, b = self._dcodes.get(need.district), self._dcodes.get(p.district)
        if a is None or b is None:
            return "区县未知（不计）", "district unknown (not counted)"
        km = float(self._dkm[a, b])
        return f"两区县中心相距约 {km:.0f} 公里", f"district centres about {km:.0f} km apart"


def keyword_overlap(needs: Sequence[Need], providers: Sequence[Provider], k: int = 10) -> list[list[str]]:
    """The plain baseline: providers ranked by the share of the request's words found in their text (Jaccard)."""
    docs = [set(tokens(f"{p.name} {p.description}")) for p in providers]
    out = []
    for need in needs:
        q = set(tokens(need.text))
        scored = [(len(q & d) / (len(q | d) or 1), p.provider_id) for p, d in zip(providers, docs, strict=True)]
        scored.sort(key=lambda t: (-t[0], t[1]))
        out.append([pid for _, pid in scored[:k]])
    return out


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """nDCG@k with gains 2^grade − 1."""
    dcg = sum((2 ** grades.get(pid, 0) - 1) / math.log2(i + 2) for i, pid in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: Iterable[str], grades: Mapping[str, int], k: int = 10) -> float:
    """Share of the relevant providers found in the first ``k``."""
    relevant = {p for p, g in grades.items() if g > 0}
    return len(relevant & set(list(ranked)[:k])) / len(relevant) if relevant else 0.0
