"""The stages of the project pipeline and the rules for moving between them.

The packaged configuration (``attract/_data/stages.yaml``) has the eight stages of a 招商 office, 线索 → 走访/接洽 →
洽谈 → 政策商议 → 签约 → 注册 → 建设 → 投产, and the outcomes 终止 and 搁置. A bureau's own file at
``<IB_HOME>/attract/stages.yaml`` replaces it whole. The rules:

- forward one stage at a time;
- a skip only where the configuration names it (with why it is allowed);
- back to any earlier stage, with a reason (unless the configuration sets ``back_requires_reason: false``);
- an outcome (终止, 搁置) from any open stage — every stage but the last — with a reason; a ``resumable`` outcome
  returns to the stage the project was held at;
- nothing else: a refused move names both stages and what is allowed from the current one.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from industry_brain._core.errors import ConflictError, InputError
from industry_brain.attract._project_messages import MESSAGES

MOVE_KINDS = ("forward", "skip", "back", "outcome", "resume")
_MOVE_NAMES = {
    "forward": ("推进", "forward"), "skip": ("跳过", "skip"), "back": ("退回", "back"),
    "outcome": ("结果", "outcome"), "resume": ("恢复", "resume"),
}


@dataclass(frozen=True)
class Stage:
    """A stage of the pipeline, or an outcome (终止, 搁置) when ``outcome`` is set."""

    code: str
    zh: str
    en: str
    outcome: bool = False
    resumable: bool = False

    def name(self, lang: str = "zh") -> str:
        return self.en if lang.lower().startswith("en") else self.zh

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "zh": self.zh, "en": self.en, "outcome": self.outcome, "resumable": self.resumable}


@dataclass(frozen=True)
class Skip:
    """A named shortcut over one or more stages."""

    frm: str
    to: str
    zh: str
    en: str

    def why(self, lang: str = "zh") -> str:
        return self.en if lang.lower().startswith("en") else self.zh


@dataclass(frozen=True)
class Move:
    """One allowed move from a project's current stage."""

    kind: str           # forward | skip | back | outcome | resume
    to: Stage
    needs_reason: bool
    why_zh: str = ""
    why_en: str = ""

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        en = lang.lower().startswith("en")
        return {"kind": self.kind, "kind_name": _MOVE_NAMES[self.kind][1 if en else 0], "to": self.to.code,
                "to_name": self.to.name(lang), "needs_reason": self.needs_reason,
                "why": self.why_en if en else self.why_zh}


def move_name(kind: str, lang: str = "zh") -> str:
    """The move kind in ``lang`` (推进, 跳过, 退回, 结果, 恢复)."""
    names = _MOVE_NAMES.get(kind)
    return (names[1] if lang.lower().startswith("en") else names[0]) if names else kind


@dataclass(frozen=True)
class StageRules:
    """The stages, outcomes and skips in force, and where they were read from."""

    stages: tuple[Stage, ...]
    outcomes: tuple[Stage, ...]
    skips: tuple[Skip, ...]
    back_requires_reason: bool
    source: str

    @property
    def all(self) -> tuple[Stage, ...]:
        return self.stages + self.outcomes

    def get(self, code: str) -> Stage:
        for s in self.all:
            if s.code == code:
                return s
        raise InputError(MESSAGES.t("stage_unknown", value=code, expected=self.expected()), field="stage", value=code)

    def expected(self) -> str:
        return "、".join(f"{s.code}（{s.zh}）" for s in self.all)

    def find(self, text: str) -> Stage | None:
        """The stage or outcome a user means by ``text``: its code, Chinese or English name, or a part of a name
        written with ``/`` (走访 for 走访/接洽); None when nothing matches."""
        t = " ".join(text.split()).strip()
        if not t:
            return None
        low = t.lower()
        for s in self.all:
            if low in (s.code.lower(), s.en.lower()) or t == s.zh:
                return s
        for s in self.all:
            if t in (p.strip() for p in s.zh.split("/")):
                return s
        return None

    def resolve(self, text: str) -> Stage:
        """:meth:`find`, raising :class:`InputError` (naming what is expected) when nothing matches."""
        found = self.find(text)
        if found is None:
            raise InputError(MESSAGES.t("stage_unknown", value=text, expected=self.expected()), field="stage",
                             value=text)
        return found

    def index(self, code: str) -> int:
        """The position of a pipeline stage (0 for the first); -1 for an outcome."""
        for i, s in enumerate(self.stages):
            if s.code == code:
                return i
        return -1

    def is_open(self, code: str) -> bool:
        """True for a pipeline stage other than the last (an outcome or the last stage is not open)."""
        i = self.index(code)
        return 0 <= i < len(self.stages) - 1

    def allowed(self, current: str, held: str | None = None) -> list[Move]:
        """Every move allowed from ``current`` (``held``: the stage an outcome holds the project at)."""
        cur = self.get(current)
        if cur.outcome:
            if cur.resumable and held is not None and self.index(held) >= 0:
                return [Move("resume", self.get(held), False)]
            return []
        i = self.index(current)
        moves: list[Move] = []
        if i + 1 < len(self.stages):
            moves.append(Move("forward", self.stages[i + 1], False))
        for sk in self.skips:
            if sk.frm == current:
                moves.append(Move("skip", self.get(sk.to), False, sk.zh, sk.en))
        for earlier in reversed(self.stages[:i]):
            moves.append(Move("back", earlier, self.back_requires_reason))
        if self.is_open(current):
            moves.extend(Move("outcome", o, True) for o in self.outcomes)
        return moves

    def check(self, current: str, to: str, reason: str | None, held: str | None = None) -> Move:
        """The move ``current`` → ``to`` when the rules allow it (with its reason when one is needed); otherwise a
        :class:`ConflictError` naming both stages and what is allowed from ``current``."""
        from industry_brain._core.i18n import current_lang

        lang = "en" if current_lang() == "en" else "zh"
        cur, target = self.get(current), self.get(to)
        frm, dest = cur.name(lang), target.name(lang)
        if cur.code == target.code:
            raise ConflictError(MESSAGES.t("move_same", frm=frm), stage=cur.code)
        moves = self.allowed(current, held)
        if not moves:
            raise ConflictError(MESSAGES.t("move_none", frm=frm), frm=cur.code, to=target.code, allowed=[])
        for m in moves:
            if m.to.code == target.code:
                if m.needs_reason and not (reason or "").strip():
                    raise InputError(MESSAGES.t("reason_required", frm=frm, to=dest, kind=move_name(m.kind, lang)),
                                     field="reason", frm=cur.code, to=target.code)
                return m
        raise ConflictError(MESSAGES.t("move_refused", frm=frm, to=dest, allowed=self.describe(moves)),
                            frm=cur.code, to=target.code, allowed=[m.to.code for m in moves])

    def describe(self, moves: list[Move]) -> str:
        """The allowed moves in one line of the current language."""
        from industry_brain._core.i18n import current_lang

        en = current_lang() == "en"
        parts: list[str] = []
        backs = [m.to.name("en" if en else "zh") for m in moves if m.kind == "back"]
        for m in moves:
            name = m.to.name("en" if en else "zh")
            if m.kind == "forward":
                parts.append(MESSAGES.t("allowed_forward", to=name))
            elif m.kind == "skip":
                parts.append(MESSAGES.t("allowed_skip", to=name, why=m.why_en if en else m.why_zh))
            elif m.kind == "outcome":
                parts.append(MESSAGES.t("allowed_outcome", to=name))
            elif m.kind == "resume":
                parts.append(MESSAGES.t("allowed_resume", to=name))
        if backs:
            parts.append(MESSAGES.t("allowed_back", to=(", " if en else "、").join(backs)))
        return "; ".join(parts) if en else "；".join(parts)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "source": self.source,
            "stages": [{**s.to_dict(), "name": s.name(lang)} for s in self.stages],
            "outcomes": [{**s.to_dict(), "name": s.name(lang)} for s in self.outcomes],
            "skips": [{"from": k.frm, "to": k.to, "zh": k.zh, "en": k.en, "why": k.why(lang)} for k in self.skips],
            "back_requires_reason": self.back_requires_reason,
            "rules": self.rules(lang),
        }

    def rules(self, lang: str = "zh") -> list[str]:
        """The rules in force, one sentence each."""
        en = lang.lower().startswith("en")
        names = " → ".join(s.name(lang) for s in self.stages)
        outcomes = "/".join(o.name(lang) for o in self.outcomes)
        out = [f"stages: {names}; forward one stage at a time" if en else f"阶段：{names}；每次推进一个阶段"]
        for k in self.skips:
            a, b = self.get(k.frm).name(lang), self.get(k.to).name(lang)
            out.append(f"allowed skip: {a} → {b} ({k.why(lang)})" if en else f"允许跳过：{a} → {b}（{k.why(lang)}）")
        if self.back_requires_reason:
            out.append("back to any earlier stage, with a reason" if en else "可退回到任一之前的阶段，须填写原因")
        else:
            out.append("back to any earlier stage" if en else "可退回到任一之前的阶段")
        last = self.stages[-1].name(lang)
        out.append(f"{outcomes} from any stage before {last}, with a reason" if en
                   else f"{last}之前的任一阶段可{outcomes}，须填写原因")
        for o in self.outcomes:
            if o.resumable:
                out.append(f"{o.name(lang)} may resume at the stage it was held at" if en
                           else f"{o.name(lang)}的项目可恢复到搁置时的阶段")
        return out


def _text(d: dict[str, Any], key: str, where: str, file: str) -> str:
    v = d.get(key)
    if not isinstance(v, str) or not v.strip():
        raise InputError(MESSAGES.t("config_invalid", file=file, problem=f"{where}: {key!r} missing or empty"),
                         file=file, field=key)
    return v.strip()


def parse_stage_rules(text: str, source: str) -> StageRules:
    """Stage rules from the YAML text of a configuration file (every problem names the file and the entry)."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(MESSAGES.t("config_invalid", file=source, problem=f"not YAML ({exc})"), file=source) from exc
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list) or len(data["stages"]) < 2:
        raise InputError(MESSAGES.t("config_invalid", file=source, problem="expected a list 'stages' of two or more"),
                         file=source)
    stages = []
    for i, s in enumerate(data["stages"], start=1):
        if not isinstance(s, dict):
            raise InputError(MESSAGES.t("config_invalid", file=source, problem=f"stage {i}: expected a mapping"),
                             file=source)
        stages.append(Stage(_text(s, "code", f"stage {i}", source), _text(s, "zh", f"stage {i}", source),
                            _text(s, "en", f"stage {i}", source)))
    for key in ("outcomes", "skips"):
        if not isinstance(data.get(key) or [], list):
            raise InputError(MESSAGES.t("config_invalid", file=source, problem=f"{key!r}: expected a list"),
                             file=source, field=key)
    outcomes = []
    for i, o in enumerate(data.get("outcomes") or [], start=1):
        if not isinstance(o, dict):
            raise InputError(MESSAGES.t("config_invalid", file=source, problem=f"outcome {i}: expected a mapping"),
                             file=source)
        outcomes.append(Stage(_text(o, "code", f"outcome {i}", source), _text(o, "zh", f"outcome {i}", source),
                              _text(o, "en", f"outcome {i}", source), outcome=True, resumable=bool(o.get("resumable"))))
    codes = [s.code for s in stages + outcomes]
    if len(codes) != len(set(codes)):
        raise InputError(MESSAGES.t("config_invalid", file=source, problem=f"stage codes repeat: {codes!r}"),
                         file=source)
    order = {s.code: i for i, s in enumerate(stages)}
    skips = []
    for i, k in enumerate(data.get("skips") or [], start=1):
        if not isinstance(k, dict):
            raise InputError(MESSAGES.t("config_invalid", file=source, problem=f"skip {i}: expected a mapping"),
                             file=source)
        frm, to = _text(k, "from", f"skip {i}", source), _text(k, "to", f"skip {i}", source)
        if frm not in order or to not in order or order[to] <= order[frm] + 1:
            raise InputError(MESSAGES.t("config_invalid", file=source, problem=(
                f"skip {i}: {frm!r} → {to!r} must go forward over at least one stage, between stages of the list")),
                file=source)
        skips.append(Skip(frm, to, _text(k, "zh", f"skip {i}", source), _text(k, "en", f"skip {i}", source)))
    return StageRules(tuple(stages), tuple(outcomes), tuple(skips), bool(data.get("back_requires_reason", True)),
                      source)


def stage_rules(home: Path | None = None) -> StageRules:
    """The rules in force: ``<IB_HOME>/attract/stages.yaml`` when the bureau has one, else the packaged default."""
    from industry_brain._core.settings import get_settings

    own = (home if home is not None else get_settings().home) / "attract" / "stages.yaml"
    if own.is_file():
        try:
            text = own.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(MESSAGES.t("config_invalid", file=str(own), problem=f"cannot be read ({exc})"),
                             file=str(own)) from exc
        return parse_stage_rules(text, str(own))
    packaged = resources.files("industry_brain.attract") / "_data" / "stages.yaml"
    return parse_stage_rules(packaged.read_text(encoding="utf-8"), "packaged")
