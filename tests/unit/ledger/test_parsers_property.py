"""Every ledger parser raises only IndustryBrainError on arbitrary input, and round-trips what it writes."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import IndustryBrainError
from industry_brain.ledger import (
    generate_key,
    open_checkpoint,
    parse_checkpoint_body,
    parse_note,
    parse_proof_bundle,
    parse_signer,
    parse_verifier,
    read_timestamp,
    verify_note,
    verify_proof_bundle,
)
from industry_brain.ledger._checkpoint import make_checkpoint, read_checkpoint_unverified, sign_checkpoint
from industry_brain.ledger._tiles import decode_bundle, decode_tile, encode_bundle, encode_index

SKEY, VKEY = generate_key("prop.example/log")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like our formats often enough to reach deep branches
_pieces = st.sampled_from(
    [
        "\n",
        "\n\n",
        "\u2014 ",
        "prop.example/log",
        " ",
        "+",
        "PRIVATE+KEY+",
        "0",
        "12",
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        "AQ==",
        "=",
        "\x00",
        "\u00e9",
        "x",
    ]
)
formatish = st.lists(st.one_of(_pieces, st.text(max_size=8)), max_size=20).map("".join)
any_text = st.one_of(st.text(), formatish, st.text(alphabet=st.characters(blacklist_categories=())))
any_bytes = st.one_of(st.binary(), formatish.map(lambda s: s.encode("utf-8", "surrogatepass")))


def _only_ours(fn, value) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(IndustryBrainError):
        fn(value)


@SETTINGS
@given(any_text)
def test_text_parsers_raise_only_our_errors(text: str) -> None:
    for fn in (
        parse_note,
        parse_checkpoint_body,
        read_checkpoint_unverified,
        parse_verifier,
        parse_signer,
        parse_proof_bundle,
        lambda t: open_checkpoint(t, VKEY),
        lambda t: verify_note(t, [VKEY]),
        lambda t: verify_proof_bundle(t, VKEY),
    ):
        _only_ours(fn, text)


@SETTINGS
@given(any_bytes)
def test_byte_parsers_raise_only_our_errors(data: bytes) -> None:
    for fn in (
        parse_note,
        read_checkpoint_unverified,
        parse_proof_bundle,
        read_timestamp,
        lambda b: decode_tile(b, 1),
        lambda b: decode_bundle(b),
        lambda b: decode_bundle(b, 3),
        lambda b: open_checkpoint(b, VKEY),
        lambda b: verify_proof_bundle(b, VKEY),
    ):
        _only_ours(fn, data)


_json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=10),
        formatish,
        st.text(alphabet=st.characters(blacklist_categories=()), max_size=5),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(
            ["format", "origin", "index", "tree_size", "entry", "inclusion_proof", "checkpoint", "timestamps"]
        ),
        _json_values,
    )
)
def test_bundle_shaped_json_raises_only_our_errors(doc: dict) -> None:  # type: ignore[type-arg]
    doc.setdefault("format", "industry-brain/proof-bundle/v1")
    _only_ours(lambda d: verify_proof_bundle(json.dumps(d), VKEY), doc)


@SETTINGS
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), min_size=1).filter(
        lambda s: "+" not in s and not any(c.isspace() for c in s)
    ),
    st.integers(0, 2**63 - 1),
    st.binary(min_size=32, max_size=32),
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(
            lambda s: "\n" not in s and "\x7f" not in s
        ),
        max_size=3,
    ),
)
def test_checkpoint_round_trip(origin: str, size: int, root: bytes, ext: list[str]) -> None:
    if origin != origin.strip():
        return
    cp = make_checkpoint(origin, size, root, ext)
    assert parse_checkpoint_body(cp.body()) == cp
    signed = sign_checkpoint(cp, SKEY)
    again = read_checkpoint_unverified(signed.signed_text())
    assert again == cp and parse_note(signed.signed_text()) == signed.note


@SETTINGS
@given(st.lists(st.binary(max_size=300), max_size=256))
def test_bundle_round_trip(entries: list[bytes]) -> None:
    assert decode_bundle(encode_bundle(entries), len(entries)) == entries


@given(st.integers(0, 10**12))
def test_index_encoding(n: int) -> None:
    path = encode_index(n)
    parts = path.split("/")
    assert all(p.startswith("x") for p in parts[:-1]) and not parts[-1].startswith("x")
    assert int("".join(p.lstrip("x") for p in parts)) == n
    assert all(len(p.lstrip("x")) == 3 for p in parts)
