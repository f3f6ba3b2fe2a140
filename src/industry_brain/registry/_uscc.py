"""统一社会信用代码 (unified social credit code, GB 32100-2015) and its embedded organisation code (GB 11714).

An 18-character code::

    9 1 330100 14305736 2 6
    │ │ │      │        │ └ check character over positions 1–17 (weights 3^i mod 31, charset of 31 symbols)
    │ │ │      └────────┴── organisation code (GB 11714): 8 body characters and its own check (mod 11)
    │ │ └── division code of the registering authority (GB/T 2260), not necessarily today's district
    │ └── entity type within the authority (9 1 = enterprise)
    └── registration authority (9 = market regulation)

:func:`check_uscc` explains one code; :func:`check_uscc_column` validates a whole column with NumPy
(the import path), giving the same verdicts.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from industry_brain.registry._messages import MESSAGES

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


@lru_cache(maxsize=1)
def _codes() -> dict[str, Any]:
    text = (resources.files("industry_brain.registry") / "_data" / "uscc_codes.json").read_text(
        encoding="utf-8"
    )
    data: dict[str, Any] = json.loads(text)
    return data


def normalise_code(text: object) -> str:
    """NFKC (full-width digits and letters), whitespace and separators removed, upper case."""
    s = unicodedata.normalize("NFKC", str(text))
    return "".join(ch for ch in s if not ch.isspace() and ch not in "-_").upper()


def check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters (which must be in :data:`CHARSET`)."""
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def org_check_character(body8: str) -> str:
    """The GB 11714 check character of an 8-character organisation-code body (digits and capitals)."""
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def make_uscc(authority: str, entity_type: str, division: str, org_body: str) -> str:
    """A valid code from its parts (both check characters computed): for tests, benchmarks and demo data."""
    first17 = authority + entity_type + division + org_body + org_check_character(org_body)
    return first17 + check_character(first17)


@dataclass(frozen=True)
class Problem:
    code: str
    zh: str
    en: str
    severity: str  # error (malformed) | warning (check characters)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class UsccVerdict:
    """The verdict on one credit code.

    ``well_formed``: structure valid (length, charset, authority, entity type, division) — the row can be loaded.
    ``check_ok`` / ``org_check_ok``: the two check characters. ``valid``: all of them.
    """

    input: str
    code: str
    well_formed: bool
    check_ok: bool
    org_check_ok: bool
    expected_check: str | None = None
    expected_org_check: str | None = None
    authority: str | None = None
    authority_label: dict[str, str] | None = None
    entity_type: str | None = None
    entity_type_label: dict[str, str] | None = None
    division: str | None = None
    org_code: str | None = None
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.well_formed and self.check_ok and self.org_check_ok

    def explain(self, lang: str = "zh-CN") -> list[str]:
        """One line per finding, in ``lang``; the parts of the code first when it is well formed."""
        en = lang.lower().startswith("en")
        lines: list[str] = []
        if self.well_formed and self.authority_label and self.entity_type_label:
            lines.append(
                MESSAGES.t(
                    "uscc.parts",
                    lang,
                    authority=self.authority_label["en" if en else "zh"],
                    entity_type=self.entity_type_label["en" if en else "zh"],
                    division=self.division,
                    org=self.org_code,
                )
            )
        lines.extend(p.en if en else p.zh for p in self.problems)
        if self.valid:
            lines.append(MESSAGES.t("uscc.ok", lang))
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "code": self.code,
            "valid": self.valid,
            "well_formed": self.well_formed,
            "check_ok": self.check_ok,
            "org_check_ok": self.org_check_ok,
            "expected_check": self.expected_check,
            "expected_org_check": self.expected_org_check,
            "authority": self.authority,
            "authority_label": self.authority_label,
            "entity_type": self.entity_type,
            "entity_type_label": self.entity_type_label,
            "division": self.division,
            "org_code": self.org_code,
            "problems": [p.to_dict() for p in self.problems],
            "explanation": {"zh": self.explain("zh-CN"), "en": self.explain("en")},
        }


def _problem(code: str, severity: str, **values: Any) -> Problem:
    msg = MESSAGES.both(code, **values)
    return Problem(code, msg["zh"], msg["en"], severity)


def check_uscc(text: object) -> UsccVerdict:
    """Check one credit code against GB 32100-2015 and GB 11714; never raises for any input."""
    raw = "" if text is None else str(text)
    code = normalise_code(raw)
    problems: list[Problem] = []
    if len(code) != 18:
        problems.append(_problem("uscc.length", "error", n=len(code)))
        return UsccVerdict(raw, code, False, False, False, problems=tuple(problems))
    bad = [(i + 1, c) for i, c in enumerate(code) if c not in _VALUE]
    for pos, char in bad:
        problems.append(_problem("uscc.charset", "error", pos=pos, char=char))
    if bad:
        return UsccVerdict(raw, code, False, False, False, problems=tuple(problems))
    table = _codes()
    authority, etype, division, org = code[0], code[1], code[2:8], code[8:17]
    auth = table["authorities"].get(authority)
    auth_label = {"zh": auth["zh"], "en": auth["en"]} if auth else None
    type_label = None
    if auth is None:
        problems.append(_problem("uscc.authority", "error", char=authority))
    elif etype not in auth["types"]:
        problems.append(_problem("uscc.entity_type", "error", char=etype, authority=auth["zh"]))
    else:
        zh, en = auth["types"][etype]
        type_label = {"zh": zh, "en": en}
    if not division.isdigit() or division[:2] not in table["province_prefixes"]:
        problems.append(_problem("uscc.division", "error", value=division))
    well_formed = not problems
    expected_org = org_check_character(org[:8])
    org_ok = org[8] == expected_org
    if not org_ok:
        problems.append(_problem("uscc.org_check", "warning", value=org, expected=expected_org))
    expected = check_character(code[:17])
    check_ok = code[17] == expected
    if not check_ok:
        problems.append(_problem("uscc.check_char", "warning", actual=code[17], expected=expected))
    return UsccVerdict(
        raw,
        code,
        well_formed,
        check_ok,
        org_ok,
        expected,
        expected_org,
        authority,
        auth_label,
        etype,
        type_label,
        division,
        org,
        tuple(problems),
    )


# ---- the vectorised path -----------------------------------------------------------------------------------

_LUT = np.full(256, -1, dtype=np.int8)
for _i, _c in enumerate(CHARSET):
    _LUT[ord(_c)] = _i
_ORG_LUT = np.full(256, -1, dtype=np.int8)
for _i in range(10):
    _ORG_LUT[ord("0") + _i] = _i
for _i in range(26):
    _ORG_LUT[ord("A") + _i] = 10 + _i
_WEIGHTS = np.array(WEIGHTS, dtype=np.int32)
_ORG_WEIGHTS = np.array(ORG_WEIGHTS, dtype=np.int32)
_CHARSET_BYTES = np.frombuffer(CHARSET.encode(), dtype=np.uint8)
#: the organisation code's check character for each weighted sum modulo 11 (11 - m, where 10 is X and 11 is 0)
_ORG_CHECK_BYTES = np.array([ord("0"), ord("X"), *(ord("0") + 11 - m for m in range(2, 11))], dtype=np.uint8)


@lru_cache(maxsize=1)
def _valid_prefixes() -> tuple[np.ndarray, np.ndarray]:
    """Allowed (authority, entity type) pairs and province prefixes as byte values."""
    table = _codes()
    pairs = np.zeros((256, 256), dtype=bool)
    for a, spec in table["authorities"].items():
        for t in spec["types"]:
            pairs[ord(a), ord(t)] = True
    provinces = np.zeros(100, dtype=bool)
    for p in table["province_prefixes"]:
        provinces[int(p)] = True
    return pairs, provinces


@dataclass
class ColumnVerdict:
    """Per-row results of :func:`check_uscc_column` (NumPy arrays of equal length)."""

    well_formed: np.ndarray
    check_ok: np.ndarray
    org_check_ok: np.ndarray
    expected_check: np.ndarray  # the expected check character, as its ASCII byte (``chr`` gives the character)
    expected_org_check: np.ndarray  # the organisation code's expected check character, likewise


def check_uscc_column(codes: list[str | None]) -> ColumnVerdict:
    """Validate normalised codes (NFKC, upper case, no spaces) in bulk; ``None`` counts as malformed."""
    import pyarrow as pa

    return check_uscc_array(pa.array(codes, pa.string()))


def check_uscc_array(codes: Any) -> ColumnVerdict:
    """:func:`check_uscc_column` for a pyarrow string array, reading the characters from its UTF-8 bytes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = codes.combine_chunks() if isinstance(codes, pa.ChunkedArray) else codes
    n = len(arr)
    buf = np.zeros((n, 18), dtype=np.uint8)
    length_ok = np.zeros(n, dtype=bool)
    if n and arr.null_count < n:
        length_ok = pc.equal(pc.binary_length(arr), 18).fill_null(False).to_numpy(zero_copy_only=False)
        offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + n + 1]
        data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
        rows = np.flatnonzero(length_ok)
        buf[rows] = data[offsets[rows][:, None] + np.arange(18)]
    values = _LUT[buf]  # int8: the character's value, -1 outside the charset
    charset_ok = (values.min(axis=1) >= 0) & length_ok
    pairs, provinces = _valid_prefixes()
    pair_ok = pairs[buf[:, 0], buf[:, 1]]
    digits = buf[:, 2:8] - np.uint8(ord("0"))  # wraps below "0": anything over 9 is not a digit
    digits_ok = digits.max(axis=1) <= 9
    prov = np.where(digits_ok, digits[:, 0].astype(np.int16) * 10 + digits[:, 1], 0)
    division_ok = digits_ok & provinces[prov]
    well_formed = charset_ok & pair_ok & division_ok
    total = np.maximum(values[:, :17], 0).astype(np.int32) @ _WEIGHTS
    expected_byte = _CHARSET_BYTES[(31 - total % 31) % 31]
    check_ok = well_formed & (buf[:, 17] == expected_byte)
    org_total = np.maximum(_ORG_LUT[buf[:, 8:16]], 0).astype(np.int32) @ _ORG_WEIGHTS
    org_expected = _ORG_CHECK_BYTES[org_total % 11]
    org_ok = well_formed & (buf[:, 16] == org_expected)
    return ColumnVerdict(
        well_formed,
        check_ok,
        org_ok,
        expected_byte,
        org_expected,
    )
