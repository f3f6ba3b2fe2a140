"""Credit codes (GB 32100-2015) and the embedded organisation code (GB 11714)."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain.registry import check_uscc, make_uscc
from industry_brain.registry._uscc import CHARSET, check_character, check_uscc_column, org_check_character

# The worked example printed in GB 32100-2015 (附录), and a published enterprise code.
KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L"]

ORG_BODY = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)
AUTH_TYPE = st.sampled_from(["11", "12", "13", "19", "51", "52", "53", "59", "91", "92", "93", "Y1", "N2"])
DIVISION = st.tuples(st.sampled_from(["11", "31", "33", "44", "65", "82"]), st.integers(0, 9999)).map(
    lambda t: f"{t[0]}{t[1]:04d}"
)


def test_known_codes_are_valid() -> None:
    for code in KNOWN_VALID:
        v = check_uscc(code)
        assert v.valid, v.explain("en")
        assert v.authority == code[0] and v.division == code[2:8] and v.org_code == code[8:17]


def test_org_check_follows_gb11714() -> None:
    # 8 body characters, weights 3 7 9 10 5 8 4 2, C9 = 11 - sum mod 11 (10 -> X, 11 -> 0)
    assert org_check_character("M000100Y") == "4"
    assert org_check_character("60003734") == "1"


def test_wrong_check_character_is_a_warning_not_malformed() -> None:
    code = KNOWN_VALID[0][:-1] + ("4" if KNOWN_VALID[0][-1] != "4" else "5")
    v = check_uscc(code)
    assert v.well_formed and not v.check_ok and not v.valid
    assert v.expected_check == "3"
    assert [p.code for p in v.problems] == ["uscc.check_char"]
    assert "3" in v.explain("en")[-1]


def test_malformed_codes_are_explained() -> None:
    cases = {
        "": "uscc.length",
        "9135010": "uscc.length",
        "91350100M000100I43": "uscc.charset",  # I is not in the charset
        "B1350100M000100Y43": "uscc.authority",
        "94350100M000100Y43": "uscc.entity_type",
        "91990100M000100Y43": "uscc.division",
        "913501A0M000100Y43": "uscc.division",
    }
    for code, problem in cases.items():
        v = check_uscc(code)
        assert not v.well_formed, code
        assert problem in [p.code for p in v.problems], (code, v.problems)
        assert v.explain("zh-CN") and v.explain("en")


def test_full_width_and_spaces_are_normalised() -> None:
    v = check_uscc(" ９１３５０１００Ｍ０００１００Ｙ４３ ")
    assert v.code == "91350100M000100Y43" and v.valid


@given(AUTH_TYPE, DIVISION, ORG_BODY)
def test_generated_codes_are_valid(auth_type: str, division: str, body: str) -> None:
    code = make_uscc(auth_type[0], auth_type[1], division, body)
    assert check_uscc(code).valid
    column = check_uscc_column([code])
    assert column.well_formed[0] and column.check_ok[0] and column.org_check_ok[0]


@given(
    AUTH_TYPE,
    DIVISION,
    ORG_BODY,
    st.integers(0, 17),
    st.sampled_from(CHARSET + "IOZSV" + string.ascii_lowercase),
)
def test_any_single_character_change_fails(
    auth_type: str, division: str, body: str, pos: int, ch: str
) -> None:
    code = make_uscc(auth_type[0], auth_type[1], division, body)
    if code[pos] == ch or code[pos] == ch.upper():
        ch = CHARSET[(CHARSET.index(code[pos]) + 1) % 31]
    changed = code[:pos] + ch + code[pos + 1 :]
    v = check_uscc(changed)
    assert not v.valid, (code, changed)
    column = check_uscc_column([v.code])
    assert not (column.well_formed[0] and column.check_ok[0] and column.org_check_ok[0])


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_check_uscc_never_raises_and_agrees_with_the_column_path(text: str) -> None:
    v = check_uscc(text)
    column = check_uscc_column([v.code])
    assert bool(column.well_formed[0]) == v.well_formed
    if v.well_formed:
        assert bool(column.check_ok[0]) == v.check_ok
        assert bool(column.org_check_ok[0]) == v.org_check_ok
    assert v.to_dict()["valid"] == v.valid


def test_check_character_matches_the_standard_example() -> None:
    assert check_character("91350100M000100Y4") == "3"
