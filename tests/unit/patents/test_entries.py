"""Entry parsing: strict schemas, canonical bytes, and only our errors for any input."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import industry_brain.patents as patents
from industry_brain._core.errors import IndustryBrainError, ParseError
from industry_brain.patents import ENTRY_TYPES, load_key, parse_draft, parse_entry, prepare_entry
from industry_brain.patents._entries import entry_from_dict


def test_public_api_is_pinned() -> None:
    assert patents.__all__ == [
        "DEFAULT_ORIGIN", "ENTRY_TYPES", "MESSAGES", "Entry", "PartyKey", "PatentBook", "PatentFacts", "QualityRow",
        "RuleReport", "State", "Submitted", "check_evidence_bundle", "check_evidence_file", "claim_bursts",
        "enterprise_view", "entry_status", "evidence_draft", "fill_distribution", "generate_party_key", "history", "load_key", "parse_draft", "parse_entry",
        "patent_view", "prepare_entry", "priority_bursts", "priority_commitment", "priority_draft", "quality",
        "quality_indicators", "replay", "seal_commitment", "sha256_file", "similar_patents", "similar_texts",
        "split_amount", "summary", "verify_rules", "write_key_files",
    ]
    for name in patents.__all__:
        assert getattr(patents, name) is not None


def test_every_message_has_both_languages_and_formats() -> None:
    for code in patents.MESSAGES.codes():
        zh, en = patents.MESSAGES._messages[code]
        assert zh and en and zh != en, code


def _sample(world) -> bytes:  # type: ignore[no-untyped-def]
    entry = world.draft("evidence", {"submitter": "alice", "file_sha256": "ab" * 32, "size_bytes": 3,
                                     "description": "侵权网页截图", "patent_no": "CN201910000001.1"}, ["alice"])
    return entry.canonical()


def test_canonical_round_trip(world) -> None:  # type: ignore[no-untyped-def]
    data = _sample(world)
    entry = parse_entry(data)
    assert entry.canonical() == data
    assert json.loads(data)["v"] == 1 and len(entry.nonce) == 32
    assert list(json.loads(data)) == sorted(json.loads(data))  # RFC 8785 orders keys


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d.update(type="bogus"), "unknown entry type"),
        (lambda d: d.update(v=2), "schema version"),
        (lambda d: d.update(extra=1), "extra"),
        (lambda d: d["body"].update(size_bytes="3"), "size_bytes"),
        (lambda d: d["body"].update(size_bytes=3.0), "size_bytes"),
        (lambda d: d["body"].update(file_sha256="AB" * 32), "file_sha256"),
        (lambda d: d.update(at="2019-03-01 09:00:00"), "at"),
        (lambda d: d.update(nonce="short"), "nonce"),
        (lambda d: d["body"].pop("description"), "description"),
        (lambda d: d["body"].update(patent_no="cn123"), "patent_no"),
    ],
)
def test_schema_refusals_name_the_field(world, mutate, fragment) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(_sample(world))
    mutate(doc)
    with pytest.raises(ParseError) as info:
        entry_from_dict(doc)
    assert fragment in info.value.details["reason"]["en"]


def test_non_canonical_bytes_refused(world) -> None:  # type: ignore[no-untyped-def]
    data = _sample(world)
    pretty = json.dumps(json.loads(data), indent=1, ensure_ascii=False).encode()
    with pytest.raises(ParseError) as info:
        parse_entry(pretty)
    assert info.value.details["rule"] == "entry_not_canonical"


def test_dates_and_ipc_are_checked(world) -> None:  # type: ignore[no-untyped-def]
    body = {"patent_no": "CN201910000001.1", "title": "t", "ipc": ["G06F 16/30"], "filed_on": "2019-02-30",
            "expires_on": "2039-01-01", "owners": [{"party": "alice", "share_bp": 10000}], "inventors": ["alice"]}
    with pytest.raises(ParseError, match="filed_on"):
        world.draft("patent_record", body, ["ipo"])
    with pytest.raises(ParseError, match="ipc"):
        world.draft("patent_record", {**body, "filed_on": "2019-02-28", "ipc": ["G6F"]}, ["ipo"])


def test_bad_key_files(tmp_path: Path) -> None:
    for name, text in [("a.key", "{"), ("b.key", "[]"), ("c.key", json.dumps({"kind": "x"})),
                       ("d.key", json.dumps({"kind": "industry-brain/patents-private-key", "party": "a",
                                             "private_key": "!!"}))]:
        (tmp_path / name).write_text(text)
        with pytest.raises(ParseError) as info:
            load_key(tmp_path / name)
        assert name in info.value.message
    with pytest.raises(ParseError):
        load_key(tmp_path / "missing.key")


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_parse_entry_raises_only_our_errors_on_bytes(data: bytes) -> None:
    with contextlib.suppress(IndustryBrainError):
        parse_entry(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(
    st.sampled_from(ENTRY_TYPES),
    st.dictionaries(st.sampled_from(["party", "claimants", "patent_no", "owners", "target", "amount_fen", "start",
                                     "public_key", "commitment", "ipc", "territory", "kind", "x"]), json_values,
                    max_size=6),
    st.one_of(st.just("2019-01-01T00:00:00Z"), st.text(max_size=25)),
)
def test_drafts_raise_only_our_errors(type_: str, body: dict, at: str) -> None:  # type: ignore[type-arg]
    key = patents.generate_party_key("alice")
    try:
        entry = prepare_entry({"type": type_, "body": body, "at": at}, [key])
        parse_entry(entry.canonical())
        state = patents.State()
        state.apply(entry)
    except IndustryBrainError:
        pass


@given(st.text(max_size=200))
def test_parse_draft_raises_only_our_errors(text: str) -> None:
    with contextlib.suppress(IndustryBrainError):
        parse_draft(text)
